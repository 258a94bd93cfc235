"""Coming from Terraform, and going back (issue 20), with the real Terraform.

main_stack: Terraform applies hcl/main/ (41 objects of every AWS type reconcile
has, plus a data source and a terraform_data it must skip)
with state in moto's S3 under a DynamoDB lock; `reconcile import
--from-terraform s3://...` adopts it under that lock; stacks/main/ (the same
stack in TOML) plans no changes, and so does the drafted configuration;
`reconcile destroy` leaves nothing of it (checked with the aws CLI).

modular_workspace: the same with a module, in a second workspace (Terraform's
env:/staging/ layout) under Terraform's S3 lockfile.

state_pull: reconcile applies stacks/main/ (without the instance part);
`state pull --format terraform` feeds the real Terraform, whose plan of
hcl/main/ replaces and destroys nothing.

RECONCILE_TF_FIXTURES=DIR copies each Terraform state to DIR (how
tests/data/terraform/ was made)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from example_harness import ExampleTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
TERRAFORM = os.environ.get("TERRAFORM", "/usr/local/bin/terraform")
MIRROR = os.environ.get("TERRAFORM_MIRROR", "/opt/tf-plugins")
AWS_MIRROR = os.path.join(MIRROR, "registry.terraform.io", "hashicorp", "aws")
BUCKET = "tfm-state"
TABLE = "tfm-locks"


def terraform_missing():
    if not os.access(TERRAFORM, os.X_OK):
        return "no terraform at %s (set TERRAFORM)" % TERRAFORM
    if not os.path.isdir(AWS_MIRROR):
        return "no AWS provider in the Terraform filesystem mirror %s (set TERRAFORM_MIRROR)" % MIRROR
    return None


class TerraformMigrationTest(ExampleTestCase):

    @classmethod
    def setUpClass(cls):
        missing = terraform_missing()
        if missing:
            raise unittest.SkipTest("Terraform is not available: " + missing)
        super().setUpClass()

    def setUp(self):
        super().setUp()
        self.tf_home = tempfile.mkdtemp(prefix="reconcile-e2e-tf-")
        self.addCleanup(shutil.rmtree, self.tf_home, True)
        with open(os.path.join(self.tf_home, "terraformrc"), "w") as f:
            f.write('provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n'
                    '  direct {\n    exclude = ["*/*/*"]\n  }\n}\n' % MIRROR)
        self.tf_env = dict(self.env)
        self.tf_env.update({"HOME": self.tf_home, "TF_CLI_CONFIG_FILE": os.path.join(self.tf_home, "terraformrc"),
                            "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_INPUT": "0",
                            "TF_VAR_endpoint": self.moto.url, "NO_PROXY": "*", "no_proxy": "*"})

    # ---- Terraform ------------------------------------------------------------

    def terraform(self, tf_dir, *args, expect=(0,)):
        proc = subprocess.run([TERRAFORM, "-chdir=" + tf_dir] + list(args) + ["-no-color"], env=self.tf_env,
                              capture_output=True, text=True, timeout=600)
        sys.stderr.write("  terraform %s -> %d\n" % (" ".join(args[:2]), proc.returncode))
        self.assertIn(proc.returncode, expect, "terraform %s\n%s\n%s" % (" ".join(args), proc.stdout, proc.stderr))
        return proc

    def terraform_dir(self, hcl, skip=()):
        tf_dir = os.path.join(self.tf_home, hcl)
        shutil.copytree(os.path.join(HERE, "hcl", hcl), tf_dir, ignore=shutil.ignore_patterns(*skip))
        return tf_dir

    def s3_backend_block(self, key, lock):
        return ('terraform {\n  backend "s3" {\n    bucket = "%s"\n    key = "%s"\n    region = "us-west-2"\n'
                '    %s\n    endpoints = { s3 = "%s", dynamodb = "%s" }\n    use_path_style = true\n'
                '    skip_credentials_validation = true\n    skip_requesting_account_id = true\n'
                '    skip_metadata_api_check = true\n    skip_region_validation = true\n'
                '    access_key = "testing"\n    secret_key = "testing"\n  }\n}\n'
                % (BUCKET, key, lock, self.moto.url, self.moto.url))

    def terraform_state(self, key):
        body = self.aws("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read()
        fixtures = os.environ.get("RECONCILE_TF_FIXTURES")
        if fixtures:
            os.makedirs(fixtures, exist_ok=True)
            with open(os.path.join(fixtures, key.replace("/", "_").replace(":", "")), "wb") as f:
                f.write(body)
        return json.loads(body)

    # ---- reconcile ------------------------------------------------------------

    def stack(self, name):
        shutil.copytree(os.path.join(HERE, "stacks", name), self.dir, dirs_exist_ok=True)

    def write_backend(self, key, directory=None):
        text = ('[backend.s3]\nbucket = "%s"\nkey = "%s"\nregion = "us-west-2"\nlock_table = "%s"\n'
                % (BUCKET, key, TABLE))
        path = os.path.join(directory or self.dir, "backend.toml")
        with open(path, "w") as f:
            f.write(text)

    def bootstrap(self):
        """The state bucket (versioned, encrypted) and lock table both tools use."""
        self.write_backend("bootstrap.json")
        self.ok("init", "--bootstrap")
        os.remove(os.path.join(self.dir, "backend.toml"))

    def import_lines(self, result):
        return [line.strip() for line in result.stdout.splitlines() if line.startswith("  ")]

    def lock_items(self):
        items = self.aws("dynamodb").scan(TableName=TABLE)["Items"]
        return sorted(item["LockID"]["S"] for item in items)

    # ---- scenario 1 -------------------------------------------------------------

    def test_main_stack(self):
        self.bootstrap()
        tf_dir = self.terraform_dir("main")
        key = "main/terraform.tfstate"
        with open(os.path.join(tf_dir, "backend.tf"), "w") as f:
            f.write(self.s3_backend_block(key, 'dynamodb_table = "%s"' % TABLE))
        self.terraform(tf_dir, "init", "-input=false")
        self.terraform(tf_dir, "apply", "-auto-approve", "-input=false")
        tfstate = self.terraform_state(key)
        bastion = [r for r in tfstate["resources"] if r["type"] == "aws_instance"][0]["instances"][0]["attributes"]["id"]
        managed = [(r["type"], r["name"], i.get("index_key")) for r in tfstate["resources"] if r["mode"] == "managed"
                   for i in r["instances"]]
        self.assertEqual(len(managed), 41)

        self.stack("main")
        self.write_backend("reconcile/main.json")
        instance_var = ["--var", "bastion_instance_id=" + bastion]

        # Given a Terraform run holding its lock, the import waits for nothing and changes nothing.
        lock_id = "%s/%s" % (BUCKET, key)
        held = json.dumps({"ID": "0f1e2d3c-aaaa-bbbb-cccc-000000000001", "Operation": "OperationTypeApply",
                           "Who": "alice@laptop", "Version": "1.11.4", "Created": "2026-01-01T00:00:00Z",
                           "Path": lock_id, "Info": ""})
        self.aws("dynamodb").put_item(TableName=TABLE, Item={"LockID": {"S": lock_id}, "Info": {"S": held}})
        refused = self.fails("import", "--from-terraform", "s3://%s/%s" % (BUCKET, key), "--auto-approve", *instance_var)
        self.assertIn("Terraform's state is locked", refused.stderr)
        self.assertIn("alice@laptop", refused.stderr)
        self.assertEqual(self.managed_addresses(), [])
        self.aws("dynamodb").delete_item(TableName=TABLE, Key={"LockID": {"S": lock_id}})

        # A state that does not match the digest Terraform recorded (a stale read) is not imported.
        digest = {"LockID": {"S": lock_id + "-md5"}}
        recorded = self.aws("dynamodb").get_item(TableName=TABLE, Key=digest)["Item"]
        self.aws("dynamodb").put_item(TableName=TABLE, Item=dict(digest, Digest={"S": "0" * 32}))
        stale = self.fails("import", "--from-terraform", "s3://%s/%s" % (BUCKET, key), "--auto-approve", *instance_var)
        self.assertIn("The state at s3://tfm-state/main/terraform.tfstate does not match the digest Terraform recorded",
                      stale.stderr)
        self.assertEqual(self.managed_addresses(), [])
        self.aws("dynamodb").put_item(TableName=TABLE, Item=recorded)

        # When imported (the stack's lock_table is Terraform's too).
        imported = self.ok("import", "--from-terraform", "s3://%s/%s" % (BUCKET, key), "--auto-approve",
                           "--generate-config", "draft.toml.txt", *instance_var)
        self.assertIn("Terraform state s3://tfm-state/main/terraform.tfstate (written by Terraform 1.11.4)",
                      imported.stdout)
        self.assertIn("Holding Terraform's lock: DynamoDB table \"tfm-locks\", item LockID = "
                      "\"tfm-state/main/terraform.tfstate\"", imported.stdout)
        self.assertIn("Will be imported: 40, skipped: 2 (data sources: 1; other providers: 1).", imported.stdout)
        lines = self.import_lines(imported)
        self.assertIn("+ aws_instance.bastion (id %s)" % bastion, lines)
        self.assertIn("! data.aws_availability_zones.available: skipped, data source (the configuration's data "
                      "block reads it again)", lines)
        self.assertIn("! terraform_data.release: skipped, provider terraform.io/builtin/terraform (reconcile has "
                      "aws, random and local)", lines)
        subnet = [i for r in tfstate["resources"] if r["type"] == "aws_subnet" and r["name"] == "public"
                  for i in r["instances"] if i["index_key"] == "a"][0]["attributes"]["id"]
        self.assertIn('+ aws_subnet.public["a"] (id %s)' % subnet, lines)
        self.assertIn("outputs: api_key, public_subnets, vpc_id", lines)
        # Terraform's lock was released (reconcile's too); the digest items stay.
        self.assertEqual(self.lock_items(), [lock_id + "-md5", "tfm-state/reconcile/main.json-md5"])

        expected = sorted('%s.%s%s' % (t, n, "" if k is None else ("[%d]" % k if isinstance(k, int) else '["%s"]' % k))
                          for t, n, k in managed if t != "terraform_data")
        self.assertEqual(self.managed_addresses(), expected)
        state = {r["address"]: r for r in self.pulled_state()["resources"]}
        self.assertTrue(state["aws_launch_template.web"].get("create_before_destroy"))
        self.assertIn("value", state["aws_ssm_parameter.api_key"]["sensitive_attributes"])
        self.assertEqual(sorted(state["aws_efs_mount_target.shared"]["dependencies"]),
                         ["aws_efs_file_system.shared", "aws_security_group.web", "aws_subnet.private", "aws_vpc.main"])
        self.assertEqual(state["aws_subnet.private[1]"]["attributes"]["cidr_block"], "10.70.12.0/24")
        self.assertEqual(state["aws_route53_zone.site"]["attributes"]["force_destroy"], True)
        outputs = self.pulled_state()["outputs"]
        self.assertEqual(outputs["api_key"]["sensitive"], True)
        self.assertEqual(outputs["vpc_id"]["value"], tfstate["outputs"]["vpc_id"]["value"])

        # Then importing again is refused: those addresses are managed already.
        again = self.fails("import", "--from-terraform", "s3://%s/%s" % (BUCKET, key), "--auto-approve", *instance_var)
        self.assertIn('Workspace "default" already manages 40 of the addresses in the Terraform state', again.stderr)

        # The equivalent TOML stack plans no changes.
        self.assert_no_changes(*instance_var)

        # So does the drafted configuration, in a stack of its own on the same state.
        draft_dir = os.path.join(self.dir, "draft")
        os.makedirs(draft_dir)
        shutil.move(os.path.join(self.dir, "draft.toml.txt"), os.path.join(draft_dir, "resources.toml"))
        self.write_backend("reconcile/main.json", draft_dir)
        with open(os.path.join(draft_dir, "provider.toml"), "w") as f:
            f.write('[stack]\nname = "tfm"\n\n[provider.aws]\nregion = "us-west-2"\n'
                    'default_tags = { team = "platform" }\n')
        draft = self.read("draft/resources.toml")
        self.assertIn('vpc_id = "${aws_vpc.main.id}"', draft)
        self.assertIn('subnet_id = "${aws_subnet.public[each.key].id}"', draft)
        self.assertIn("lifecycle = { create_before_destroy = true }", draft)
        self.assertNotIn("s3cr3t", draft)
        secrets = ["--var", "aws_ssm_parameter_api_key_value=s3cr3t-tfm",
                   "--var", 'aws_ssm_parameter_setting_value=["value-0", "value-1", "value-2"]',
                   "--var", "output_api_key=s3cr3t-tfm"]
        plan = self.run_tool("-C", draft_dir, "plan", "--detailed-exitcode", *secrets)
        self.assertEqual(plan.returncode, 0, repr(plan) + "\n--- draft\n" + draft)

        # reconcile destroys what it adopted, the instance included.
        self.ok("destroy", "--auto-approve", *instance_var)
        self.assertEqual(self.aws_cli("ec2", "describe-vpcs", "--filters", "Name=tag:Name,Values=tfm")["Vpcs"], [])
        self.assertEqual(self.aws_cli("ec2", "describe-volumes", "--filters",
                                      "Name=tag:Name,Values=tfm-data,tfm-scratch")["Volumes"], [])
        buckets = [b["Name"] for b in self.aws_cli("s3api", "list-buckets")["Buckets"]]
        self.assertEqual(sorted(buckets), [BUCKET])
        self.assertEqual(self.aws_cli("ssm", "describe-parameters")["Parameters"], [])
        self.assertEqual(self.aws_cli("dynamodb", "list-tables")["TableNames"], [TABLE])
        clusters = self.aws_cli("ecs", "describe-clusters", "--clusters", "tfm")["clusters"]
        self.assertEqual([c for c in clusters if c["status"] == "ACTIVE"], [])  # moto keeps INACTIVE ones
        self.assertEqual(self.aws_cli("route53", "list-hosted-zones")["HostedZones"], [])
        self.assertEqual([r["RoleName"] for r in self.aws_cli("iam", "list-roles")["Roles"]
                          if r["RoleName"].startswith("tfm")], [])
        self.assertEqual(self.aws_cli("logs", "describe-log-groups")["logGroups"], [])
        self.assertEqual(self.aws_cli("efs", "describe-file-systems")["FileSystems"], [])
        self.assertEqual(self.aws_cli("ec2", "describe-launch-templates")["LaunchTemplates"], [])
        self.assertEqual(self.aws_cli("autoscaling", "describe-auto-scaling-groups")["AutoScalingGroups"], [])
        self.assertEqual(self.managed_addresses(), [])
        terminated = self.aws_cli("ec2", "describe-instances", "--instance-ids", bastion)["Reservations"]
        self.assertEqual(terminated[0]["Instances"][0]["State"]["Name"], "terminated")

    # ---- scenario 2 -------------------------------------------------------------

    def test_modular_workspace(self):
        self.bootstrap()
        tf_dir = self.terraform_dir("modular")
        key = "modular/terraform.tfstate"
        with open(os.path.join(tf_dir, "backend.tf"), "w") as f:
            f.write(self.s3_backend_block(key, "use_lockfile = true"))
        self.terraform(tf_dir, "init", "-input=false")
        self.terraform(tf_dir, "workspace", "new", "staging")
        self.terraform(tf_dir, "apply", "-auto-approve", "-input=false")
        tfstate = self.terraform_state("env:/staging/" + key)

        self.stack("modular")
        self.write_backend("reconcile/modular.json")
        source = "s3://%s/%s" % (BUCKET, key)
        # In the default workspace, Terraform's default state is looked for (there is none).
        missing = self.fails("import", "--from-terraform", source, "--lockfile", "--auto-approve")
        self.assertIn("There is no Terraform state at s3://tfm-state/modular/terraform.tfstate", missing.stderr)
        self.ok("workspace", "new", "staging")

        # A Terraform run's lockfile stops the import.
        lockfile = "env:/staging/%s.tflock" % key
        self.aws("s3").put_object(Bucket=BUCKET, Key=lockfile, Body=json.dumps(
            {"ID": "11111111-2222-3333-4444-555555555555", "Operation": "OperationTypeApply", "Who": "bob@ci",
             "Version": "1.11.4", "Created": "2026-01-01T00:00:00Z", "Path": BUCKET + "/" + key, "Info": ""}))
        refused = self.fails("import", "--from-terraform", source, "--lockfile", "--auto-approve")
        self.assertIn("Terraform's state is locked (s3://tfm-state/env:/staging/modular/terraform.tfstate.tflock)",
                      refused.stderr)
        self.assertIn("bob@ci", refused.stderr)
        self.aws("s3").delete_object(Bucket=BUCKET, Key=lockfile)

        # Answering anything but "yes" writes nothing.
        cancelled = self.run_tool("import", "--from-terraform", source, "--lockfile", input_text="no\n")
        self.assertEqual(cancelled.returncode, 1, repr(cancelled))
        self.assertIn("Import cancelled", cancelled.stderr)
        self.assertEqual(self.managed_addresses(), [])

        imported = self.run_tool("import", "--from-terraform", source, "--lockfile", input_text="yes\n")
        self.assertEqual(imported.returncode, 0, repr(imported))
        self.assertIn("Terraform state s3://tfm-state/env:/staging/modular/terraform.tfstate", imported.stdout)
        self.assertIn("Holding Terraform's lock: s3://tfm-state/env:/staging/modular/terraform.tfstate.tflock",
                      imported.stdout)
        self.assertIn("Will be imported: 25, skipped: 0.", imported.stdout)
        self.assertNotIn(lockfile, self.state_object_keys(BUCKET))
        expected = sorted(["aws_ssm_parameter.vpc_id"] + ["aws_ssm_parameter.setting[%d]" % i for i in range(16)] +
                          ["module.network.aws_vpc.this", "module.network.aws_subnet.app[0]",
                           "module.network.aws_subnet.app[1]", "module.network.aws_internet_gateway.this",
                           "module.network.aws_route_table.app", "module.network.aws_route_table_association.app[0]",
                           "module.network.aws_route_table_association.app[1]", "module.network.aws_security_group.app"])
        self.assertEqual(self.managed_addresses(), expected)
        state = {r["address"]: r for r in self.pulled_state()["resources"]}
        self.assertEqual(state["aws_ssm_parameter.vpc_id"]["dependencies"], ["module.network.aws_vpc.this"])
        vpc = [r for r in tfstate["resources"] if r["type"] == "aws_vpc"][0]["instances"][0]["attributes"]["id"]
        self.assertEqual(state["module.network.aws_vpc.this"]["attributes"]["id"], vpc)
        self.assertIn("env:/staging/reconcile/modular.json", self.state_object_keys(BUCKET))

        self.assert_no_changes()
        self.ok("destroy", "--auto-approve")
        self.assertEqual(self.aws_cli("ec2", "describe-vpcs", "--filters", "Name=tag:Name,Values=tfm-staging")["Vpcs"],
                         [])
        self.assertEqual(self.aws_cli("ssm", "describe-parameters")["Parameters"], [])
        self.assertEqual(self.aws_cli("ec2", "describe-security-groups", "--filters",
                                      "Name=group-name,Values=tfm-staging-app")["SecurityGroups"], [])

    # ---- the way back -----------------------------------------------------------

    def test_state_pull(self):
        self.stack("main")
        os.remove(os.path.join(self.dir, "instance.toml"))
        with open(os.path.join(self.dir, "instance.toml"), "w") as f:
            f.write("")
        self.ok("apply", "--auto-approve", "--var", "bastion_instance_id=unused")
        pulled = self.ok("state", "pull", "--format", "terraform").stdout
        document = json.loads(pulled)
        self.assertEqual(document["version"], 4)
        vpc = [r for r in document["resources"] if r["type"] == "aws_vpc"][0]
        self.assertEqual(vpc["provider"], 'provider["registry.terraform.io/hashicorp/aws"]')
        self.assertEqual(vpc["instances"][0]["schema_version"], 1)
        subnets = [r for r in document["resources"] if r["type"] == "aws_subnet" and r["name"] == "public"][0]
        self.assertEqual(subnets["each"], "map")
        self.assertEqual([i["index_key"] for i in subnets["instances"]], ["a", "b"])

        tf_dir = self.terraform_dir("main", skip=("instance.tf",))
        with open(os.path.join(tf_dir, "terraform.tfstate"), "w") as f:
            f.write(pulled)
        self.terraform(tf_dir, "init", "-input=false")
        plan = self.terraform(tf_dir, "plan", "-input=false", "-detailed-exitcode", "-out=tfplan", expect=(0, 2))
        shown = json.loads(self.terraform(tf_dir, "show", "-json", "tfplan").stdout)
        changes = {c["address"]: c["change"]["actions"] for c in shown.get("resource_changes", [])
                   if c["change"]["actions"] != ["no-op"]}
        sys.stderr.write("  terraform wants: %s\n" % json.dumps(changes, sort_keys=True))
        replaced = {a: actions for a, actions in changes.items() if "delete" in actions or "create" in actions}
        self.assertEqual(replaced, {}, plan.stdout)
        self.assertEqual(changes, {}, plan.stdout)
        self.ok("destroy", "--auto-approve", "--var", "bastion_instance_id=unused")


if __name__ == "__main__":
    unittest.main()
