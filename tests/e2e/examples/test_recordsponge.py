"""examples/recordsponge against moto: staging and prod are workspaces of one
stack whose only differences are in environments/*.toml; a deploy is `make
staging TAG=...` (reconcile deploy --workspace staging image_tag=...), the
tag remembered by the workspace (no --var for plan and destroy). Checked: both
environments through AWS (same resources, their own sizes), a no-op plan, a
deploy that rolls staging only, destroy of both."""
import os
import re
import subprocess
import sys
import time
import unittest

os.environ["MOTO_ECS_SERVICE_RUNNING"] = "2"   # moto's services report their tasks running: deploys complete

from example_harness import ExampleTestCase
from load_balancer_checks import LOAD_BALANCER_RESOURCES, LoadBalancerChecks
from reconcile_harness import BIN

RESOURCES = 22 + LOAD_BALANCER_RESOURCES + 1  # database.toml: two private subnets, subnet group, security group, database; + the target group
SIZES = {"staging": {"desired": 1, "cpu": "256", "memory": "512", "retention": 7, "domain": "dev.recordsponge.com"},
         "prod": {"desired": 2, "cpu": "512", "memory": "1024", "retention": 90, "domain": "recordsponge.com"}}


class RecordSpongeTest(ExampleTestCase, LoadBalancerChecks):
    example = "recordsponge"

    def make(self, target, tag):
        """`make staging|prod TAG=...`, the one-command deploy."""
        started = time.monotonic()
        proc = subprocess.run(["make", "-s", target, "TAG=" + tag, "RECONCILE=" + BIN], cwd=self.dir, env=self.env,
                              capture_output=True, text=True, timeout=300)
        sys.stderr.write("  make %s TAG=%s -> %d (%.1fs)\n" % (target, tag, proc.returncode, time.monotonic() - started))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        return proc.stdout

    def test_staging_and_prod_alike(self):
        # Given the state bucket and lock table, the domain's zone, and the staging workspace
        self.zone_id = self.create_zone("recordsponge.com")
        self.ok("init", "--bootstrap")
        self.ok("workspace", "new", "staging")

        # When staging is planned, then deployed with make
        plan = self.plan_with_changes("--var", "image_tag=2024-05-01-a1b2c3d")
        self.assertIn("Plan: %d to add, 0 to change, 0 to destroy." % RESOURCES, plan.stdout)
        made = self.make("staging", "2024-05-01-a1b2c3d")
        self.assertIn("Apply complete! Resources: %d added" % RESOURCES, made)
        self.assertIn("image_tag: (none) -> 2024-05-01-a1b2c3d in staging", made)
        self.assertIn("Deploy complete: 1 rollout(s) completed.", made)

        # Then staging runs that image with staging's sizes
        self.check_environment("staging", tag="2024-05-01-a1b2c3d", revision=1)
        self.check_database("staging")
        staging_addresses = self.managed_addresses()
        self.assertIn("image_tag = 2024-05-01-a1b2c3d (recorded by the last apply)", self.assert_no_changes().stdout)

        # When prod is deployed from the same stack
        self.make("prod", "2024-05-01-a1b2c3d")
        # Then it has exactly the same resources, with prod's values
        self.check_environment("prod", tag="2024-05-01-a1b2c3d", revision=1)
        # (the certificate's validation records are keyed by the environment's domain)
        self.assertEqual(self.same_resources(self.managed_addresses()), self.same_resources(staging_addresses))
        self.assertEqual(self.state_object_keys("recordsponge-state"),
                         ["env:/prod/recordsponge/state.json", "env:/staging/recordsponge/state.json"])

        # When a new image is deployed to staging
        self.ok("workspace", "select", "staging")
        deploy = self.plan_with_changes("--var", "image_tag=2024-05-02-e4f5a6b")
        self.assertIn("# aws_ecs_task_definition.app must be replaced", deploy.stdout)
        self.assertIn("Plan: 1 to add, 1 to change, 1 to destroy.", deploy.stdout)
        self.make("staging", "2024-05-02-e4f5a6b")
        # Then staging rolled to a new revision of it; prod did not move
        self.check_environment("staging", tag="2024-05-02-e4f5a6b", revision=2)
        self.check_environment("prod", tag="2024-05-01-a1b2c3d", revision=1)
        self.assert_no_changes()

        # When both are destroyed, nothing of them is left
        for workspace in ("staging", "prod"):
            self.ok("workspace", "select", workspace)
            destroy = self.ok("destroy", "--auto-approve")
            self.assertIn("%d destroyed" % RESOURCES, destroy.stdout)
            self.assertEqual(self.managed_addresses(), [])
            self.check_nothing_left(workspace)

    @staticmethod
    def same_resources(addresses):
        return [re.sub(r'^(aws_route53_record\.certificate_validation)\[".*"\]$', r"\1[DOMAIN]", a) for a in addresses]

    def check_environment(self, workspace, tag, revision):
        name = "recordsponge-" + workspace
        sizes = SIZES[workspace]
        ecs = self.aws("ecs")
        [service] = ecs.describe_services(cluster=name, services=["expungeservice"])["services"]
        self.assertEqual((service["taskDefinition"].rsplit("/", 1)[1], service["desiredCount"], service["launchType"]),
                         ("%s:%d" % (name, revision), sizes["desired"], "FARGATE"))
        [vpc] = self.vpcs_named(name)
        subnets = self.aws("ec2").describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
        self.assertEqual(sorted(service["networkConfiguration"]["awsvpcConfiguration"]["subnets"]),
                         sorted(s["SubnetId"] for s in subnets
                                if self.tags_of(s.get("Tags")).get("tier") != "private"))  # (the database's)
        task = ecs.describe_task_definition(taskDefinition="%s:%d" % (name, revision))["taskDefinition"]
        self.assertEqual((task["cpu"], task["memory"]), (sizes["cpu"], sizes["memory"]))
        [container] = task["containerDefinitions"]
        self.assertEqual(container["image"], "recordsponge/expungeservice:" + tag)
        env = {e["name"]: e["value"] for e in container["environment"]}
        self.assertEqual((env["TIER"], env["SERVER_NAME"]), (workspace, sizes["domain"]))
        password = self.aws("ssm").get_parameter(Name="/recordsponge/%s/POSTGRES_PASSWORD" % workspace,
                                                 WithDecryption=True)["Parameter"]
        self.assertEqual((password["Type"], len(password["Value"])), ("SecureString", 32))
        self.assertEqual(container["secrets"], [{"name": "POSTGRES_PASSWORD", "valueFrom": password["ARN"]}])
        [group] = self.aws("logs").describe_log_groups(logGroupNamePrefix="/ecs/" + name)["logGroups"]
        self.assertEqual(group["retentionInDays"], sizes["retention"])
        # load_balancer.toml: the site behind an HTTPS load balancer, its domain an alias of it
        self.check_load_balancer(name, sizes["domain"], self.zone_id,
                                 target_groups={name + "-app": (5000, "/", "200-399", 30)},
                                 services={(name, "expungeservice"): name + "-app"})

    # ---- database.toml (issue 19), through the aws CLI: the subnet group and security group.
    def check_database(self, workspace):
        name = "recordsponge-" + workspace
        [db] = self.aws_cli("rds", "describe-db-instances", "--db-instance-identifier", name)["DBInstances"]
        self.assertEqual((db["Engine"], db["DBName"], db["MasterUsername"]), ("postgres", "record_expunge", "expungeservice"))
        [vpc] = self.vpcs_named(name)
        subnets = self.aws_cli("ec2", "describe-subnets", "--filters", "Name=vpc-id,Values=" + vpc["VpcId"],
                               "Name=tag:tier,Values=private")["Subnets"]
        self.assertEqual(len(subnets), 2)
        self.assertEqual(db["DBSubnetGroup"]["DBSubnetGroupName"], name)
        self.assertEqual(sorted(s["SubnetIdentifier"] for s in db["DBSubnetGroup"]["Subnets"]),
                         sorted(s["SubnetId"] for s in subnets))
        [membership] = db["VpcSecurityGroups"]
        [group] = self.aws_cli("ec2", "describe-security-groups", "--group-ids",
                               membership["VpcSecurityGroupId"])["SecurityGroups"]
        [app] = self.aws_cli("ec2", "describe-security-groups", "--filters",
                             "Name=group-name,Values=%s-app" % name)["SecurityGroups"]
        [rule] = group["IpPermissions"]
        self.assertEqual((rule["FromPort"], rule["ToPort"], rule["IpRanges"]), (5432, 5432, []))
        self.assertEqual([p["GroupId"] for p in rule["UserIdGroupPairs"]], [app["GroupId"]])

    def check_nothing_left(self, workspace):
        name = "recordsponge-" + workspace
        self.assertEqual(self.vpcs_named(name), [])
        databases = self.aws_cli("rds", "describe-db-instances")["DBInstances"]
        self.assertEqual([d["DBInstanceIdentifier"] for d in databases if d["DBInstanceIdentifier"] == name], [])
        ecs = self.aws("ecs")
        self.assertEqual([c for c in ecs.describe_clusters(clusters=[name])["clusters"] if c["status"] == "ACTIVE"], [])
        self.assertEqual(self.active_task_definitions(name), [])
        self.assertEqual(self.aws("ssm").get_parameters_by_path(Path="/recordsponge/" + workspace)["Parameters"], [])
        self.assertEqual(self.aws("logs").describe_log_groups(logGroupNamePrefix="/ecs/" + name)["logGroups"], [])
        self.check_load_balancer_gone(name, SIZES[workspace]["domain"])


if __name__ == "__main__":
    unittest.main()
