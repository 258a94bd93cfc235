"""A 30-resource AWS stack (stack.toml: VPC, gateway, route table, subnets,
security groups, SSM parameters, IAM roles, log groups, S3 buckets, a DynamoDB
table, ECS clusters) applied, replaced and destroyed by the real binary and
its AWS plugin through tests/support/fault_proxy.py, which answers 20% of the
calls with a 5xx after forwarding them, a throttle, a connection reset or a
stall, in front of moto.

An apply that meets a fault it cannot retry away (a create or delete whose
outcome is unknown) fails and is run again, as a user would; each phase must
converge within a few runs. After each phase the aws CLI, talking to moto
directly (not through the proxy), must find exactly the configured objects:
one EC2 object per address (by the reconcile:address tag), each named object
once, nothing left of an earlier generation or after the destroy (0
duplicates, 0 orphans).

FAULT_SEED (default 11) seeds the proxy; FAULT_CYCLES (default 1) repeats
apply, replace, destroy with seeds FAULT_SEED, FAULT_SEED+1, ...;
FAULT_STALL_SECONDS (default 2) is how long a stall lasts (40 exercises the
client's 30 s stalled-connection timeout). The long run is in docs/testing.md.
"""
import collections
import contextlib
import io
import json
import os
import shutil
import sys
import time
import unittest

from reconcile_harness import BIN, SOURCE_DIR, StackTestCase

sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "support"))
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e", "examples"))
from example_harness import MotoServer  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402

import awscli.clidriver  # noqa: E402

# What the aws CLI runs with: moto's test credentials, no profile or config file.
AWS_CLI_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_CONFIG_FILE": "/dev/null",
               "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_PAGER": ""}
AWS_CLI_UNSET = ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"]

MAX_RUNS = 10  # runs of one command before a phase counts as not converging
# The EC2 types of the stack: how to list them, where, and their ids.
EC2_TYPES = {
    "aws_vpc": ("describe-vpcs", "Vpcs", "VpcId"),
    "aws_subnet": ("describe-subnets", "Subnets", "SubnetId"),
    "aws_security_group": ("describe-security-groups", "SecurityGroups", "GroupId"),
    "aws_internet_gateway": ("describe-internet-gateways", "InternetGateways", "InternetGatewayId"),
    "aws_route_table": ("describe-route-tables", "RouteTables", "RouteTableId"),
}
COUNTS = {"aws_vpc": 1, "aws_internet_gateway": 1, "aws_route_table": 1, "aws_subnet": 4,
          "aws_security_group": 3, "aws_ssm_parameter": 6, "aws_iam_role": 4, "aws_cloudwatch_log_group": 4,
          "aws_s3_bucket": 3, "aws_dynamodb_table": 1, "aws_ecs_cluster": 2}
SINGLE = {"aws_vpc": "main", "aws_internet_gateway": "main", "aws_route_table": "public",
          "aws_dynamodb_table": "t"}
COUNTED = {"aws_subnet": "s", "aws_security_group": "sg", "aws_ssm_parameter": "p", "aws_iam_role": "r",
           "aws_cloudwatch_log_group": "lg", "aws_s3_bucket": "b", "aws_ecs_cluster": "c"}


def expected_addresses():
    addresses = {"%s.%s" % (t, n) for t, n in SINGLE.items()}
    addresses |= {"%s.%s[%d]" % (t, n, i) for t, n in COUNTED.items() for i in range(COUNTS[t])}
    assert len(addresses) == 30
    return addresses


def expected_names(generation):
    """Named objects of a generation: type -> set of names."""
    p = "fsoak-g%d" % generation
    return {
        "aws_security_group": {"%s-sg%d" % (p, i) for i in range(3)},
        "aws_ssm_parameter": {"/%s/p%d" % (p, i) for i in range(6)},
        "aws_iam_role": {"%s-role%d" % (p, i) for i in range(4)},
        "aws_cloudwatch_log_group": {"/%s/lg%d" % (p, i) for i in range(4)},
        "aws_s3_bucket": {"%s-bucket%d" % (p, i) for i in range(3)},
        "aws_dynamodb_table": {"%s-table" % p},
        "aws_ecs_cluster": {"%s-cluster%d" % (p, i) for i in range(2)},
    }


class FaultStackTest(StackTestCase):
    cli = None  # one aws CLI driver: it parses each service's model once

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
        shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "stack.toml"),
                    os.path.join(self.dir, "main.toml"))
        self.runs = collections.Counter()

    # ---- the tool through the proxy -----------------------------------------------

    def converge(self, label, *args):
        """Runs `args` until it succeeds (at most MAX_RUNS times)."""
        for attempt in range(1, MAX_RUNS + 1):
            started = time.monotonic()
            r = self.run_tool(*args, timeout=900)
            sys.stderr.write("  %s run %d: exit %d (%.1fs)\n" % (label, attempt, r.returncode,
                                                                 time.monotonic() - started))
            self.runs[label] += 1
            if r.returncode == 0:
                return r
            for line in r.output.splitlines():
                if line.startswith(("Error", "error", "warning", "Adopted")) or "nterrupted" in line:
                    sys.stderr.write("    %s\n" % line.strip())
            if os.environ.get("FAULT_VERBOSE"):
                sys.stderr.write(r.output)
            # A failed run is a fault it could not retry away, never a crash or a lost lock.
            self.assertEqual(r.returncode, 1, repr(r))
            self.assertNotIn("locked", r.output, repr(r))
            last_error = r
        self.fail("%s did not converge in %d runs; the last:\n%r" % (label, MAX_RUNS, last_error))

    # ---- moto, seen directly with the aws CLI ------------------------------------------

    def aws(self, *args):
        """One aws CLI command against moto itself, its JSON answer parsed. The
        CLI's own driver runs in this process, one for all commands (`aws`
        would start a Python and parse EC2's model for every command, ten
        seconds each on a loaded machine)."""
        argv = ["--endpoint-url", self.moto.url, "--region", "us-east-1", "--output", "json"] + list(args)
        out, err = io.StringIO(), io.StringIO()
        saved = {k: os.environ.get(k) for k in list(AWS_CLI_ENV) + AWS_CLI_UNSET}
        for k in AWS_CLI_UNSET:
            os.environ.pop(k, None)
        os.environ.update(AWS_CLI_ENV)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                if FaultStackTest.cli is None:
                    FaultStackTest.cli = awscli.clidriver.create_clidriver()
                code = FaultStackTest.cli.main(argv)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.assertEqual(code, 0, "aws %s\n%s" % (" ".join(args), err.getvalue()))
        return json.loads(out.getvalue()) if out.getvalue().strip() else {}

    def ec2_by_address(self):
        """reconcile:address -> ids of the EC2 objects carrying it. (One
        Describe call per type: moto's DescribeTags still lists the tags of
        deleted subnets and security groups.)"""
        owned = collections.defaultdict(list)
        for command, key, id_field in EC2_TYPES.values():
            for obj in self.aws("ec2", command)[key]:
                tags = {t["Key"]: t["Value"] for t in obj.get("Tags") or []}
                if "reconcile:address" in tags:
                    owned[tags["reconcile:address"]].append(obj[id_field])
        return owned

    def named_objects(self):
        """type -> every name of ours (prefix fsoak-) that exists in moto, repeated if duplicated."""
        found = {}
        groups = self.aws("ec2", "describe-security-groups")["SecurityGroups"]
        found["aws_security_group"] = [g["GroupName"] for g in groups if g["GroupName"].startswith("fsoak-")]
        params = self.aws("ssm", "describe-parameters").get("Parameters", [])
        found["aws_ssm_parameter"] = [p["Name"] for p in params if p["Name"].startswith("/fsoak-")]
        roles = self.aws("iam", "list-roles")["Roles"]
        found["aws_iam_role"] = [r["RoleName"] for r in roles if r["RoleName"].startswith("fsoak-")]
        groups = self.aws("logs", "describe-log-groups", "--log-group-name-prefix", "/fsoak-").get("logGroups", [])
        found["aws_cloudwatch_log_group"] = [g["logGroupName"] for g in groups]
        buckets = self.aws("s3api", "list-buckets").get("Buckets", [])
        found["aws_s3_bucket"] = [b["Name"] for b in buckets if b["Name"].startswith("fsoak-")]
        tables = self.aws("dynamodb", "list-tables").get("TableNames", [])
        found["aws_dynamodb_table"] = [t for t in tables if t.startswith("fsoak-")]
        arns = self.aws("ecs", "list-clusters").get("clusterArns", [])
        clusters = self.aws("ecs", "describe-clusters", "--clusters", *arns).get("clusters", []) if arns else []
        found["aws_ecs_cluster"] = [c["clusterName"] for c in clusters
                                    if c["clusterName"].startswith("fsoak-") and c["status"] == "ACTIVE"]
        return found

    def assert_exactly(self, generation, label):
        """moto holds exactly the stack of `generation` (None: nothing of it)."""
        owned = self.ec2_by_address()
        duplicates = {a: ids for a, ids in owned.items() if len(ids) > 1}
        self.assertEqual(duplicates, {}, "%s: duplicate EC2 objects" % label)
        ec2_expected = {a for a in expected_addresses() if a.split(".")[0] in EC2_TYPES} if generation is not None \
            else set()
        self.assertEqual(set(owned), ec2_expected, "%s: EC2 objects by reconcile:address" % label)
        names = self.named_objects()
        wanted = expected_names(generation) if generation is not None else {}
        for type_name, found in names.items():
            counts = collections.Counter(found)
            self.assertEqual({n: c for n, c in counts.items() if c > 1}, {}, "%s: duplicate %s" % (label, type_name))
            self.assertEqual(set(found), wanted.get(type_name, set()), "%s: %s" % (label, type_name))
        if generation is not None:
            state = json.loads(self.ok("state", "pull").stdout)
            recorded = {r["address"] for r in state["resources"] if r.get("mode", "managed") == "managed"}
            self.assertEqual(recorded, expected_addresses(), label)
            for r in state["resources"]:
                self.assertEqual(r.get("deposed", []), [], "%s: %s" % (label, r["address"]))
            for address, ids in owned.items():
                [entry] = [r for r in state["resources"] if r["address"] == address]
                self.assertEqual(entry["attributes"]["id"], ids[0], "%s: %s" % (label, address))

    # ---- the soak --------------------------------------------------------------------------

    def test_apply_replace_destroy_under_faults(self):
        seed = int(os.environ.get("FAULT_SEED", "11"))
        cycles = int(os.environ.get("FAULT_CYCLES", "1"))
        stall = float(os.environ.get("FAULT_STALL_SECONDS", "2"))
        print("FAULT_SEED=%d FAULT_CYCLES=%d FAULT_STALL_SECONDS=%g" % (seed, cycles, stall), flush=True)
        started = time.monotonic()
        faults = collections.Counter()
        requests = 0
        generation = 0
        for cycle in range(cycles):
            log = os.path.join(self.dir, "faults-%d.jsonl" % cycle)
            with FaultProxy(self.moto.url, rate=0.2, seed=seed + cycle, stall_seconds=stall, log_path=log) as proxy:
                self.env["AWS_ENDPOINT_URL"] = proxy.url
                self.converge("apply", "apply", "--auto-approve", "--var", "generation=%d" % generation)
                proxy.configure(rate=0)
                self.assertEqual(self.run_tool("plan", "--detailed-exitcode", "--var",
                                               "generation=%d" % generation).returncode, 0)
                self.assert_exactly(generation, "cycle %d apply" % cycle)

                generation += 1
                proxy.configure(rate=0.2)
                self.converge("replace", "apply", "--auto-approve", "--var", "generation=%d" % generation)
                proxy.configure(rate=0)
                self.assertEqual(self.run_tool("plan", "--detailed-exitcode", "--var",
                                               "generation=%d" % generation).returncode, 0)
                self.assert_exactly(generation, "cycle %d replace" % cycle)

                proxy.configure(rate=0.2)
                self.converge("destroy", "destroy", "--auto-approve", "--var", "generation=%d" % generation)
                proxy.configure(rate=0)
                self.assert_exactly(None, "cycle %d destroy" % cycle)
                stats = proxy.stats()
                requests += stats["requests"]
                faults.update(stats["faults"])
            generation += 1
        summary = {"cycles": cycles, "seed": seed, "requests": requests, "faults": dict(faults),
                   "runs": dict(self.runs), "duplicates": 0, "orphans": 0,
                   "wall_seconds": round(time.monotonic() - started, 1)}
        print("FAULT SUMMARY " + json.dumps(summary, sort_keys=True), flush=True)
        self.assertGreater(sum(faults.values()), 0)


if __name__ == "__main__":
    unittest.main()
