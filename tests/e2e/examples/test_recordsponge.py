"""examples/recordsponge against moto: staging and prod are workspaces of one
stack whose only differences are in environments/*.toml; a deploy is `make
staging TAG=...` (reconcile apply --var image_tag=...). Checked: both
environments through AWS (same resources, their own sizes), a no-op plan, a
deploy that rolls staging only, destroy of both."""
import re
import subprocess
import sys
import time
import unittest

from example_harness import ExampleTestCase
from load_balancer_checks import LOAD_BALANCER_RESOURCES, LoadBalancerChecks
from reconcile_harness import BIN

RESOURCES = 17 + LOAD_BALANCER_RESOURCES + 1  # + the target group
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
        self.assertIn("Apply complete! Resources: %d added" % RESOURCES, self.make("staging", "2024-05-01-a1b2c3d"))

        # Then staging runs that image with staging's sizes
        self.check_environment("staging", tag="2024-05-01-a1b2c3d", revision=1)
        staging_addresses = self.managed_addresses()
        self.assert_no_changes("--var", "image_tag=2024-05-01-a1b2c3d")

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
        self.assert_no_changes("--var", "image_tag=2024-05-02-e4f5a6b")

        # When both are destroyed, nothing of them is left
        for workspace, tag in (("staging", "2024-05-02-e4f5a6b"), ("prod", "2024-05-01-a1b2c3d")):
            self.ok("workspace", "select", workspace)
            destroy = self.ok("destroy", "--auto-approve", "--var", "image_tag=" + tag)
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
                         sorted(s["SubnetId"] for s in subnets))
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

    def check_nothing_left(self, workspace):
        name = "recordsponge-" + workspace
        self.assertEqual(self.vpcs_named(name), [])
        ecs = self.aws("ecs")
        self.assertEqual([c for c in ecs.describe_clusters(clusters=[name])["clusters"] if c["status"] == "ACTIVE"], [])
        self.assertEqual(self.active_task_definitions(name), [])
        self.assertEqual(self.aws("ssm").get_parameters_by_path(Path="/recordsponge/" + workspace)["Parameters"], [])
        self.assertEqual(self.aws("logs").describe_log_groups(logGroupNamePrefix="/ecs/" + name)["logGroups"], [])
        self.check_load_balancer_gone(name, SIZES[workspace]["domain"])


if __name__ == "__main__":
    unittest.main()
