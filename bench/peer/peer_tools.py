"""The two tools under comparison, behind one small interface: set up a
working directory for the stack (state in S3 + DynamoDB on the benchmark's
moto), then give the command line of each benchmarked operation.

Operations: "apply" (from nothing), "noop" (a plan right after the apply),
"change" (a plan with one attribute changed: log_retention 30 -> 60), and
"destroy". Each tool's objects carry its own name prefix so both live on one
moto at once."""
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
OPERATIONS = ("apply", "noop", "change", "destroy")
# Exit codes that mean success: plans run with a detailed exit code.
EXPECTED_EXIT = {"apply": 0, "noop": 0, "change": 2, "destroy": 0}
CHANGED_VARIABLE = ("log_retention", "60")


def _aws_environment(moto_url):
    """The environment both tools run in: moto's credentials, no real AWS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_", "RECONCILE_"))}
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "us-west-2", "AWS_ENDPOINT_URL": moto_url,
                "AWS_EC2_METADATA_DISABLED": "true", "NO_COLOR": "1", "no_proxy": "*", "NO_PROXY": "*"})
    return env


def _operation_variables(operation, variables):
    """The stack variables of one operation: the run's, plus the change."""
    chosen = dict(variables)
    if operation == "change":
        chosen[CHANGED_VARIABLE[0]] = CHANGED_VARIABLE[1]
    return chosen


def bootstrap_backend(reconcile_bin, plugin_dir, workdir, moto_url, bucket, table):
    """Creates a state bucket (versioned, encrypted) and a lock table through
    `reconcile init --bootstrap`, so both tools' backends start alike."""
    os.makedirs(workdir, exist_ok=True)
    with open(os.path.join(workdir, "backend.toml"), "w") as f:
        f.write('[backend.s3]\nbucket = "%s"\nkey = "bootstrap/state.json"\nregion = "us-west-2"\n'
                'lock_table = "%s"\n' % (bucket, table))
    env = _aws_environment(moto_url)
    env["RECONCILE_PLUGIN_PATH"] = plugin_dir
    subprocess.run([reconcile_bin, "-C", workdir, "init", "--bootstrap"], env=env, check=True,
                   capture_output=True, text=True, timeout=300)


class Reconcile:
    """reconcile with the built AWS plugin; the stack from bench/peer/stack/."""

    name = "reconcile"
    prefix = "peer-rc"

    def __init__(self, reconcile_bin, plugin_dir, workdir, moto_url, parts):
        self.bin = reconcile_bin
        self.plugin_dir = plugin_dir
        self.dir = os.path.join(workdir, "stack")
        self.moto_url = moto_url
        self.parts = parts
        self.env = _aws_environment(moto_url)
        self.env["RECONCILE_PLUGIN_PATH"] = plugin_dir

    def setup(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        for part in self.parts:
            shutil.copy(os.path.join(HERE, "stack", part + ".toml"), self.dir)
        bootstrap_backend(self.bin, self.plugin_dir, self.dir, self.moto_url, self.prefix + "-state",
                          self.prefix + "-locks")

    def warm_up(self):
        """An unmeasured apply and destroy: moto imports each service's code on
        its first request, seconds that would fall on whoever comes first."""
        for operation in ("apply", "destroy"):
            subprocess.run(self.command(operation, {}), env=self.env, check=True, capture_output=True, timeout=600)

    def command(self, operation, variables):
        argv = [self.bin, "-C", self.dir, "--no-color"]
        argv += {"apply": ["apply", "--auto-approve"], "noop": ["plan", "--detailed-exitcode"],
                 "change": ["plan", "--detailed-exitcode"], "destroy": ["destroy", "--auto-approve"]}[operation]
        for key, value in sorted(_operation_variables(operation, variables).items()):
            argv += ["--var", "%s=%s" % (key, value)]
        return argv


class Terraform:
    """terraform with the AWS provider from the filesystem mirror; the stack
    from bench/peer/terraform/, its S3 backend block written here."""

    name = "terraform"
    prefix = "peer-tf"

    def __init__(self, terraform_bin, mirror, reconcile_bin, plugin_dir, workdir, moto_url, parts):
        self.bin = terraform_bin
        self.mirror = mirror
        self.reconcile_bin = reconcile_bin
        self.plugin_dir = plugin_dir
        self.home = os.path.join(workdir, "tf-home")
        self.dir = os.path.join(workdir, "tf")
        self.moto_url = moto_url
        self.parts = parts
        self.env = _aws_environment(moto_url)
        self.env.update({"HOME": self.home, "TF_CLI_CONFIG_FILE": os.path.join(self.home, ".terraformrc"),
                         "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_INPUT": "0",
                         "TF_VAR_endpoint": moto_url})

    def setup(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        os.makedirs(self.home, exist_ok=True)
        with open(self.env["TF_CLI_CONFIG_FILE"], "w") as f:
            f.write('provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n'
                    '  direct {\n    exclude = ["*/*/*"]\n  }\n}\n' % self.mirror)
        for part in ["main"] + [p for p in self.parts if p != "main"]:
            shutil.copy(os.path.join(HERE, "terraform", part + ".tf"), self.dir)
        with open(os.path.join(self.dir, "backend.tf"), "w") as f:
            f.write(self._backend_block())
        bootstrap_backend(self.reconcile_bin, self.plugin_dir, os.path.join(self.home, "bootstrap"),
                          self.moto_url, self.prefix + "-state", self.prefix + "-locks")
        subprocess.run([self.bin, "-chdir=" + self.dir, "init", "-input=false", "-no-color"], env=self.env,
                       check=True, capture_output=True, text=True, timeout=600)

    def warm_up(self):
        """An unmeasured validate: the 700 MB provider binary into the page cache."""
        subprocess.run([self.bin, "-chdir=" + self.dir, "validate", "-no-color"], env=self.env, check=True,
                       capture_output=True, timeout=600)

    def _backend_block(self):
        url = self.moto_url
        return ('terraform {\n  backend "s3" {\n    bucket = "%s-state"\n    key = "peer/terraform.tfstate"\n'
                '    region = "us-west-2"\n    dynamodb_table = "%s-locks"\n'
                '    endpoints = { s3 = "%s", dynamodb = "%s" }\n    use_path_style = true\n'
                '    skip_credentials_validation = true\n    skip_requesting_account_id = true\n'
                '    skip_metadata_api_check = true\n    skip_region_validation = true\n'
                '    access_key = "testing"\n    secret_key = "testing"\n  }\n}\n'
                % (self.prefix, self.prefix, url, url))

    def command(self, operation, variables):
        argv = [self.bin, "-chdir=" + self.dir]
        argv += {"apply": ["apply", "-auto-approve"], "noop": ["plan", "-detailed-exitcode"],
                 "change": ["plan", "-detailed-exitcode"], "destroy": ["destroy", "-auto-approve"]}[operation]
        argv += ["-input=false", "-no-color"]
        for key, value in sorted(_operation_variables(operation, variables).items()):
            argv += ["-var", "%s=%s" % (key, value)]
        return argv
