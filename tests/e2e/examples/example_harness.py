"""Shared pieces of the example e2e tests: one moto_server per test file, the
built `reconcile` binary pointed at it, and boto3 / aws CLI as the independent
observers of what it made."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import boto3

from reconcile_harness import SOURCE_DIR, StackTestCase

MOTO_SH = os.path.join(SOURCE_DIR, "tests", "support", "moto.sh")
FAKE_KEY = "testing"


class MotoServer:
    """A moto_server on a free loopback port, started by tests/support/moto.sh."""

    def __init__(self):
        self.workdir = tempfile.mkdtemp(prefix="reconcile-e2e-moto-")
        env = dict(os.environ)
        # AWS managed policies (AmazonECSTaskExecutionRolePolicy, ...) exist in
        # every real account; moto loads them only when asked.
        env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
        # moto issues a DNS-validated ACM certificate this many seconds after
        # its request (60 by default), whatever its validation records.
        env.setdefault("MOTO_ACM_VALIDATION_WAIT", "2")
        started = subprocess.run(["bash", MOTO_SH, "start", self.workdir], env=env, capture_output=True, text=True,
                                 timeout=120, check=True)
        self.env = {}
        for line in started.stdout.splitlines():
            match = re.match(r"export (\w+)=(.*)$", line)
            if match:
                self.env[match.group(1)] = match.group(2)
        self.pid = self.env["MOTO_PID"]
        self.url = self.env["MOTO_URL"]

    def stop(self):
        subprocess.run(["bash", MOTO_SH, "stop", self.pid], timeout=60)
        shutil.rmtree(self.workdir, ignore_errors=True)


class ExampleTestCase(StackTestCase):
    """A copy of examples/<example> applied against this file's moto_server."""

    region = "us-west-2"

    @classmethod
    def setUpClass(cls):
        cls.moto = MotoServer()

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()

    def setUp(self):
        super().setUp()
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            self.env.pop(name, None)
        self.env.update({k: v for k, v in self.moto.env.items() if k.startswith("AWS_")})
        self.env["AWS_REGION"] = self.region
        self.env["AWS_DEFAULT_REGION"] = self.region
        self.clients = {}

    # ---- the tool -------------------------------------------------------------

    def run_tool(self, *args, **kwargs):
        """As the harness's, with each command's duration logged (where e2e time goes)."""
        started = time.monotonic()
        result = super().run_tool(*args, **kwargs)
        sys.stderr.write("  reconcile %s -> %d (%.1fs)\n" % (" ".join(args), result.returncode,
                                                            time.monotonic() - started))
        return result

    def apply(self, *args):
        return self.ok("apply", "--auto-approve", *args)

    def plan_with_changes(self, *args):
        """A plan that has something to do (exit 2 with --detailed-exitcode)."""
        plan = self.run_tool("plan", "--detailed-exitcode", *args)
        self.assertEqual(plan.returncode, 2, repr(plan))
        return plan

    def assert_no_changes(self, *args):
        """A second plan right after an apply: exit 0, nothing to do."""
        plan = self.run_tool("plan", "--detailed-exitcode", *args)
        self.assertEqual(plan.returncode, 0, repr(plan))
        self.assertIn("No changes.", plan.stdout)
        return plan

    def pulled_state(self):
        return json.loads(self.ok("state", "pull").stdout)

    def managed_addresses(self):
        """Addresses of the managed resources recorded in the selected workspace."""
        return sorted(r["address"] for r in self.pulled_state()["resources"] if r.get("mode", "managed") == "managed")

    # ---- observers ------------------------------------------------------------

    def aws(self, service, region=None, account=None):
        """A boto3 client on moto (the test's own credentials, not the stack's);
        with `account`, through a role assumed in that moto account."""
        key = (service, region or self.region, account)
        if key not in self.clients:
            credentials = {"aws_access_key_id": FAKE_KEY, "aws_secret_access_key": FAKE_KEY}
            if account is not None:
                assumed = self.aws("sts").assume_role(RoleArn="arn:aws:iam::%s:role/e2e-observer" % account,
                                                      RoleSessionName="e2e")["Credentials"]
                credentials = {"aws_access_key_id": assumed["AccessKeyId"],
                               "aws_secret_access_key": assumed["SecretAccessKey"],
                               "aws_session_token": assumed["SessionToken"]}
            self.clients[key] = boto3.client(service, region_name=key[1], endpoint_url=self.moto.url, **credentials)
        return self.clients[key]

    def aws_cli(self, *args, region=None):
        """One aws CLI call, its JSON answer parsed."""
        env = dict(self.env)
        env["AWS_ACCESS_KEY_ID"] = FAKE_KEY
        env["AWS_SECRET_ACCESS_KEY"] = FAKE_KEY
        for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            env.pop(name, None)
        proc = subprocess.run(["aws", "--endpoint-url", self.moto.url, "--region", region or self.region,
                               "--output", "json"] + list(args), env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, "aws %s\n%s" % (" ".join(args), proc.stderr))
        return json.loads(proc.stdout) if proc.stdout.strip() else {}

    def tags_of(self, tag_list):
        return {t["Key"]: t["Value"] for t in tag_list or []}

    def state_object_keys(self, bucket):
        listing = self.aws("s3").list_objects_v2(Bucket=bucket)
        return sorted(o["Key"] for o in listing.get("Contents", []))

    def active_task_definitions(self, prefix, account=None):
        """FAMILY:REVISION of every ACTIVE task definition whose family starts
        with `prefix` (filtered here: moto takes familyPrefix as the whole family)."""
        ecs = self.aws("ecs", account=account)
        arns = []
        for page in ecs.get_paginator("list_task_definitions").paginate(status="ACTIVE"):
            arns += page["taskDefinitionArns"]
        names = (arn.rsplit("/", 1)[1] for arn in arns)
        return sorted(n for n in names if n.startswith(prefix))

    def vpcs_named(self, name, region=None, account=None):
        answer = self.aws("ec2", region, account).describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [name]}])
        return answer["Vpcs"]
