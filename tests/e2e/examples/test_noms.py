"""examples/noms against moto, driven as its CI would: ./deploy.sh TAG picks
the channel's workspace from the tag (devbuild-* -> dev, release-* -> prod)
through the stack's [deploy] channels (reconcile deploy --tag TAG), and the
tag is remembered per workspace (no --var for plan and destroy). Checked: the ECS task with its EFS
volume, the file system and its mount targets, a no-op plan, a new devbuild
tag rolling dev only, a tag of the wrong channel refused, destroy of both.
The database (database.toml): one Mongo task per channel, its EFS access
point's root directory read with the aws CLI, untouched by a release."""
import os
import subprocess
import sys
import time
import unittest

os.environ["MOTO_ECS_SERVICE_RUNNING"] = "2"   # moto's services report their tasks running: deploys complete

from example_harness import ExampleTestCase
from load_balancer_checks import LOAD_BALANCER_RESOURCES, LoadBalancerChecks
from reconcile_harness import BIN

RESOURCES = 26 + LOAD_BALANCER_RESOURCES + 1  # database.toml, + the target group


class NomsTest(ExampleTestCase, LoadBalancerChecks):
    example = "noms"

    def run_deploy(self, tag):
        """./deploy.sh TAG, as the CI job runs it."""
        env = dict(self.env)
        env["RECONCILE"] = BIN
        started = time.monotonic()
        proc = subprocess.run(["./deploy.sh", tag], cwd=self.dir, env=env, capture_output=True, text=True, timeout=300)
        sys.stderr.write("  ./deploy.sh %s -> %d (%.1fs)\n" % (tag, proc.returncode, time.monotonic() - started))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        return proc.stdout

    def test_release_channels(self):
        # Given the state bucket and lock table, the site's zone, and the dev channel's workspace
        self.zone_id = self.create_zone("nomsbook.com")
        self.ok("init", "--bootstrap")
        self.ok("workspace", "new", "dev")

        # When CI deploys devbuild-42 (after a plan, as a reviewer would look)
        plan = self.plan_with_changes("--var", "release_tag=devbuild-42")
        self.assertIn("Plan: %d to add, 0 to change, 0 to destroy." % RESOURCES, plan.stdout)
        out = self.run_deploy("devbuild-42")
        self.assertIn("release_tag: (none) -> devbuild-42 in dev", out)
        self.assertIn("Deploy complete: 2 rollout(s) completed.", out)  # the site and its database (database.toml)

        # Then dev runs it, with its certificates on EFS, state at env:/dev/
        dev_fs = self.check_channel("dev", tag="devbuild-42", revision=1, desired=1, domain="dev.nomsbook.com")
        dev_database = self.check_database("dev")
        self.assertIn("release_tag = devbuild-42 (recorded by the last apply)", self.assert_no_changes().stdout)

        # When release-1.3 is pushed, prod is made beside dev
        out = self.run_deploy("release-1.3")
        self.assertIn("release_tag: (none) -> release-1.3 in prod", out)
        prod_fs = self.check_channel("prod", tag="release-1.3", revision=1, desired=2, domain="nomsbook.com")
        self.assertNotEqual(dev_fs, prod_fs)
        # (prod runs two site tasks, but one database of its own)
        self.assertNotEqual(self.check_database("prod"), dev_database)
        self.assertEqual(self.state_object_keys("nomsbook-state"),
                         ["env:/dev/noms/state.json", "env:/prod/noms/state.json"])

        # When devbuild-43 is pushed, dev rolls to a new revision; prod stays
        self.assertIn("release_tag: devbuild-42 -> devbuild-43 in dev", self.run_deploy("devbuild-43"))
        self.check_channel("dev", tag="devbuild-43", revision=2, desired=1, domain="dev.nomsbook.com")
        self.check_channel("prod", tag="release-1.3", revision=1, desired=2, domain="nomsbook.com")
        # (the release left the database alone: same task, same data)
        self.assertEqual(self.check_database("dev"), dev_database)
        self.assertEqual(self.ok("workspace", "show").stdout.strip(), "dev")
        self.assert_no_changes()
        history = self.ok("history", "--json")
        import json
        self.assertEqual([e["release"]["release_tag"] for e in json.loads(history.stdout)["entries"]],
                         ["devbuild-43", "devbuild-42"])

        # When CI pushes a tag of no channel, it is refused with the channels
        unknown = self.fails("deploy", "--tag", "nightly", "--auto-approve")
        self.assertIn('Tag "nightly" matches no deploy channel', unknown.stderr)
        self.assertIn("Channels: devbuild-* -> dev, release-* -> prod.", unknown.stderr)

        # When a prod tag is given to the dev workspace, nothing is planned
        wrong = self.fails("plan", "--var", "release_tag=release-1.4")
        self.assertIn('the map has no key "release-* tags go to workspace dev"', wrong.stderr)
        bad = self.fails("plan", "--var", "release_tag=nightly")
        self.assertIn("A release tag is devbuild-<name> or release-<version>.", bad.stderr)

        # When both channels are destroyed, nothing of them is left
        for channel in ("dev", "prod"):
            self.ok("workspace", "select", channel)
            destroy = self.ok("destroy", "--auto-approve")
            self.assertIn("%d destroyed" % RESOURCES, destroy.stdout)
            self.assertEqual(self.managed_addresses(), [])
        self.check_nothing_left()

    def check_channel(self, channel, tag, revision, desired, domain):
        """One channel's site through the AWS APIs; returns its file system id."""
        name = "noms-" + channel
        efs = self.aws("efs")
        [fs] = [f for f in efs.describe_file_systems()["FileSystems"] if f["CreationToken"] == name + "-letsencrypt"]
        self.assertEqual((fs["Encrypted"], fs["PerformanceMode"]), (True, "generalPurpose"))
        targets = efs.describe_mount_targets(FileSystemId=fs["FileSystemId"])["MountTargets"]
        [vpc] = self.vpcs_named(name)
        subnets = self.aws("ec2").describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
        self.assertEqual(sorted(t["SubnetId"] for t in targets), sorted(s["SubnetId"] for s in subnets))
        self.assertEqual(len(targets), 2)
        ecs = self.aws("ecs")
        [service] = ecs.describe_services(cluster=name, services=["noms"])["services"]
        self.assertEqual((service["taskDefinition"].rsplit("/", 1)[1], service["desiredCount"], service["launchType"]),
                         ("%s:%d" % (name, revision), desired, "FARGATE"))
        task = ecs.describe_task_definition(taskDefinition="%s:%d" % (name, revision))["taskDefinition"]
        [volume] = task["volumes"]
        self.assertEqual((volume["name"], volume["efsVolumeConfiguration"]["fileSystemId"],
                          volume["efsVolumeConfiguration"]["transitEncryption"]),
                         ("letsencrypt", fs["FileSystemId"], "ENABLED"))
        containers = {c["name"]: c for c in task["containerDefinitions"]}
        self.assertEqual(sorted(containers), ["noms-main", "proximation"])
        self.assertEqual(containers["noms-main"]["image"], "nomsbook/noms:" + tag)
        self.assertEqual(containers["proximation"]["mountPoints"],
                         [{"containerPath": "/etc/letsencrypt", "sourceVolume": "letsencrypt"}])
        env = {e["name"]: e["value"] for e in containers["proximation"]["environment"]}
        self.assertEqual(env["VIRTUAL_HOST"], domain)
        # load_balancer.toml: proximation behind an HTTPS load balancer, the domain an alias of it
        self.check_load_balancer(name, domain, self.zone_id,
                                 target_groups={name + "-site": (80, "/", "200-399", 30)},
                                 services={(name, "noms"): name + "-site"})
        return fs["FileSystemId"]

    # ---- the database (database.toml) -------------------------------------------

    def check_database(self, channel):
        """One channel's Mongo with the aws CLI: one task of its own, its data
        on the EFS access point rooted at /mongo/<channel>; returns the access
        point id."""
        name = "noms-" + channel
        [service] = self.aws_cli("ecs", "describe-services", "--cluster", name, "--services", "mongo")["services"]
        self.assertEqual((service["desiredCount"], service["taskDefinition"].rsplit("/", 1)[1]), (1, name + "-mongo:1"))
        task = self.aws_cli("ecs", "describe-task-definition", "--task-definition", name + "-mongo:1")["taskDefinition"]
        [volume] = task["volumes"]
        efs = volume["efsVolumeConfiguration"]
        [mongo] = task["containerDefinitions"]
        self.assertEqual(mongo["mountPoints"], [{"containerPath": "/data/db", "sourceVolume": "mongo-data"}])
        [point] = self.aws_cli("efs", "describe-access-points", "--access-point-id",
                               efs["authorizationConfig"]["accessPointId"])["AccessPoints"]
        self.assertEqual(point["FileSystemId"], efs["fileSystemId"])
        self.assertEqual(point["RootDirectory"], {
            "Path": "/mongo/" + channel,
            "CreationInfo": {"OwnerUid": 999, "OwnerGid": 999, "Permissions": "750"}})
        self.assertEqual(point["PosixUser"], {"Uid": 999, "Gid": 999})
        [fs] = self.aws_cli("efs", "describe-file-systems", "--file-system-id", efs["fileSystemId"])["FileSystems"]
        self.assertEqual(fs["CreationToken"], name + "-database")
        return point["AccessPointId"]

    def check_nothing_left(self):
        self.assertEqual(self.aws("efs").describe_file_systems()["FileSystems"], [])
        self.assertEqual(self.aws_cli("efs", "describe-access-points")["AccessPoints"], [])
        self.assertEqual(self.vpcs_named("noms-dev") + self.vpcs_named("noms-prod"), [])
        ecs = self.aws("ecs")
        self.assertEqual(self.active_task_definitions("noms"), [])
        active = [c for c in ecs.describe_clusters(clusters=["noms-dev", "noms-prod"])["clusters"]
                  if c["status"] == "ACTIVE"]
        self.assertEqual(active, [])
        self.check_load_balancer_gone("noms-dev", "dev.nomsbook.com")
        self.check_load_balancer_gone("noms-prod", "nomsbook.com")


if __name__ == "__main__":
    unittest.main()
