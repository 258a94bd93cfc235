"""examples/grand-central against moto: bootstrap, plan, apply, the cluster,
task definition (app + CouchDB with volumes and mount points, a task role, no
keys in the environment), service and log group checked through AWS, a no-op
plan, `reconcile deploy` of a new image tag and `reconcile rollback` (the
service's revision read with the aws CLI each time, the history read back from
the state bucket's object versions), then destroy without the tag: refused for the CouchDB volume
(prevent_destroy), which is released from the state and kept. The secrets
file (secrets_file.toml): its content and the bucket policy read with the aws
CLI, a hand edit in S3 planned back."""
import base64
import json
import os
import unittest

os.environ["MOTO_ECS_SERVICE_RUNNING"] = "1"   # moto's service reports its task running: deploys complete

from example_harness import ExampleTestCase

REGISTRY = "123456789012.dkr.ecr.us-west-1.amazonaws.com/grand-central"
RESOURCES = 28  # with secrets_file.toml (object, bucket policy) and registry.toml (repository, lifecycle, policy)
# The production env file CI passes (secrets_file.toml), never printed.
SECRETS = "API_KEY=k-4711\nSMTP_PASSWORD=pw-0815\n"


class GrandCentralTest(ExampleTestCase):
    example = "grand-central"
    region = "us-west-1"

    def test_deploy_and_rollback(self):
        # Given the state bucket and lock table
        self.ok("init", "--bootstrap")
        # (CI passes the secrets file's content from its secret store)
        self.env["RECONCILE_VAR_secrets_env"] = SECRETS

        # When the stack is planned and deployed with the tag CI built
        plan = self.plan_with_changes("--var", "image_tag=v1")
        self.assertIn("Plan: %d to add, 0 to change, 0 to destroy." % RESOURCES, plan.stdout)
        self.assertNotIn("pw-0815", plan.stdout)
        first = self.deploy("image_tag=v1")
        self.assertIn("image_tag: (none) -> v1 in default", first.stdout)
        self.assertIn("Deploy complete: 1 rollout(s) completed.", first.stdout)

        # Then AWS holds the declared cluster, task, service, role and logs
        volume_id = self.check_resources()
        self.check_secrets_file()
        self.check_registry()
        self.assertEqual(self.service_task_definition(), "grand-central:1")
        self.check_task_definition(revision=1, tag="v1")
        self.assertEqual(self.state_object_keys("scpr-grand-central-state"), ["grand-central/state.json"])
        self.assert_no_changes()

        # When v2 is deployed: a new revision and the service rolled to it
        deploy = self.plan_with_changes("--var", "image_tag=v2")
        self.assertIn("# aws_ecs_task_definition.app must be replaced", deploy.stdout)
        self.assertIn("# aws_ecs_service.app will be updated in-place", deploy.stdout)
        self.assertIn("Plan: 1 to add, 1 to change, 1 to destroy.", deploy.stdout)
        self.assertIn("image_tag: v1 -> v2 in default", self.deploy("image_tag=v2").stdout)
        self.assertEqual(self.service_task_definition(), "grand-central:2")
        self.check_task_definition(revision=2, tag="v2")
        self.assertIn("image_tag = v2 (recorded by the last apply)", self.assert_no_changes().stdout)

        # When it is rolled back: the previous image again, as revision 3
        back = self.ok("rollback", "--auto-approve", "--poll-interval", "0.2s")
        self.assertIn("image_tag: v2 -> v1 in default", back.stdout)
        self.assertIn("Plan: 1 to add, 1 to change, 1 to destroy.", back.stdout)
        self.assertEqual(self.service_task_definition(), "grand-central:3")
        self.check_task_definition(revision=3, tag="v1")
        self.assertEqual(self.active_task_definitions("grand-central"), ["grand-central:3"])
        self.assert_no_changes()
        # and the history, read from the state object's versions, has all three
        entries = json.loads(self.ok("history", "--json").stdout)["entries"]
        self.assertEqual([(e["operation"], e["release"]["image_tag"], e["task_definitions"]["aws_ecs_task_definition.app"])
                          for e in entries],
                         [("rollback", "v1", "grand-central:3"), ("deploy", "v2", "grand-central:2"),
                          ("apply", "v1", "grand-central:1"),  # the secrets file put back (check_secrets_file)
                          ("deploy", "v1", "grand-central:1")])

        # When destroy is asked for, the CouchDB volume's guard refuses it
        refused = self.fails("destroy", "--auto-approve")
        self.assertIn("Instance aws_ebs_volume.couchdb has lifecycle.prevent_destroy set", refused.stderr)
        self.assertEqual(len(self.managed_addresses()), RESOURCES)

        # When the volume is released from the state, destroy takes the rest
        self.ok("state", "rm", "aws_ebs_volume.couchdb")
        destroy = self.ok("destroy", "--auto-approve")
        self.assertIn("%d destroyed" % (RESOURCES - 1), destroy.stdout)
        self.assertEqual(self.managed_addresses(), [])
        self.check_only_the_volume_is_left(volume_id)
        self.assertEqual(self.aws_cli("ecr", "describe-repositories")["repositories"], [])

    def deploy(self, *args):
        return self.ok("deploy", "--auto-approve", "--poll-interval", "0.2s", *args)

    # ---- the secrets file (secrets_file.toml) ----------------------------------

    def check_secrets_file(self):
        """The env file in S3 with the aws CLI: its content, only the task role
        named by the bucket policy; changed in S3, it is planned back."""
        key = "grand-central/production.env"
        self.assertEqual(self.secrets_file_content(key), SECRETS)
        head = self.aws_cli("s3api", "head-object", "--bucket", "scpr-grand-central-secrets", "--key", key)
        self.assertEqual((head["ContentType"], head["ServerSideEncryption"]), ("text/plain", "AES256"))
        policy = json.loads(self.aws_cli("s3api", "get-bucket-policy", "--bucket", "scpr-grand-central-secrets")["Policy"])
        [statement] = policy["Statement"]
        role = self.aws_cli("iam", "get-role", "--role-name", "grand-central-task")["Role"]["Arn"]
        self.assertEqual((statement["Effect"], statement["Principal"], statement["Action"], statement["Resource"]),
                         ("Allow", {"AWS": role}, "s3:GetObject", "arn:aws:s3:::scpr-grand-central-secrets/" + key))
        # Someone overwrites it by hand: the next plan puts it back
        edited = os.path.join(self.dir, "edited.env")
        with open(edited, "w") as f:
            f.write("API_KEY=wrong\n")
        self.aws_cli("s3api", "put-object", "--bucket", "scpr-grand-central-secrets", "--key", key, "--body", edited)
        drift = self.plan_with_changes()
        self.assertIn("# aws_s3_object.secrets will be updated in-place", drift.stdout)
        self.assertNotIn("pw-0815", drift.stdout)
        self.apply()
        self.assertEqual(self.secrets_file_content(key), SECRETS)

    def secrets_file_content(self, key):
        path = os.path.join(self.dir, "downloaded.env")
        self.aws_cli("s3api", "get-object", "--bucket", "scpr-grand-central-secrets", "--key", key, path)
        with open(path) as f:
            return f.read()

    # ---- the rest of the stack ----------------------------------------------

    def service_task_definition(self):
        """FAMILY:REVISION the service runs, read with the aws CLI."""
        answer = self.aws_cli("ecs", "describe-services", "--cluster", "grand-central", "--services", "grand-central")
        [service] = answer["services"]
        self.assertEqual((service["status"], service["desiredCount"], service["launchType"]), ("ACTIVE", 1, "EC2"))
        return service["taskDefinition"].rsplit("/", 1)[1]

    def check_task_definition(self, revision, tag):
        ecs = self.aws("ecs")
        task = ecs.describe_task_definition(taskDefinition="grand-central:%d" % revision)["taskDefinition"]
        role = self.aws("iam").get_role(RoleName="grand-central-task")["Role"]
        self.assertEqual((task["networkMode"], task["requiresCompatibilities"], task["taskRoleArn"]),
                         ("host", ["EC2"], role["Arn"]))
        self.assertEqual(sorted((v["name"], v["host"]["sourcePath"]) for v in task["volumes"]),
                         [("couch-data", "/opt/couchdb/data"), ("couch-etc", "/opt/couchdb/etc")])
        app, couchdb = task["containerDefinitions"]
        self.assertEqual((app["name"], app["image"]), ("grand-central", "%s:%s" % (REGISTRY, tag)))
        self.assertEqual(sorted(e["name"] for e in app["environment"]), ["COUCHDB_URL", "SECRETS_URL"])
        self.assertEqual(app["logConfiguration"]["options"]["awslogs-group"], "/ecs/grand-central")
        self.assertEqual((couchdb["name"], couchdb["image"]), ("couchdb", "klaemo/couchdb:2.0.0"))
        self.assertEqual(sorted((m["sourceVolume"], m["containerPath"]) for m in couchdb["mountPoints"]),
                         [("couch-data", "/opt/couchdb/data"), ("couch-etc", "/opt/couchdb/etc")])

    def check_resources(self):
        """The rest of the stack through the AWS APIs; returns the CouchDB volume id."""
        ecs = self.aws("ecs")
        [cluster] = ecs.describe_clusters(clusters=["grand-central"])["clusters"]
        self.assertEqual(cluster["status"], "ACTIVE")
        iam = self.aws("iam")
        trust = iam.get_role(RoleName="grand-central-task")["Role"]["AssumeRolePolicyDocument"]
        self.assertEqual(trust["Statement"][0]["Principal"], {"Service": "ecs-tasks.amazonaws.com"})
        policy = iam.get_role_policy(RoleName="grand-central-task", PolicyName="read-secrets")["PolicyDocument"]
        self.assertEqual(policy["Statement"][0]["Resource"],
                         "arn:aws:s3:::scpr-grand-central-secrets/grand-central/production.env")
        [group] = self.aws("logs").describe_log_groups(logGroupNamePrefix="/ecs/grand-central")["logGroups"]
        self.assertEqual(group["retentionInDays"], 30)
        s3 = self.aws("s3")
        self.assertEqual(s3.get_bucket_versioning(Bucket="scpr-grand-central-secrets")["Status"], "Enabled")
        block = s3.get_public_access_block(Bucket="scpr-grand-central-secrets")["PublicAccessBlockConfiguration"]
        self.assertTrue(all(block.values()))
        ec2 = self.aws("ec2")
        [volume] = ec2.describe_volumes(
            Filters=[{"Name": "tag:Name", "Values": ["grand-central-persistence"]}])["Volumes"]
        self.assertEqual((volume["Size"], volume["AvailabilityZone"], volume["Encrypted"]), (16, "us-west-1b", True))
        [group] = self.aws("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=["grand-central-ecs"])[
            "AutoScalingGroups"]
        self.assertEqual((group["MinSize"], group["MaxSize"], group["DesiredCapacity"]), (1, 1, 1))
        [version] = ec2.describe_launch_template_versions(
            LaunchTemplateId=group["LaunchTemplate"]["LaunchTemplateId"], Versions=["$Latest"])["LaunchTemplateVersions"]
        data = version["LaunchTemplateData"]
        self.assertTrue(data["IamInstanceProfile"]["Arn"].endswith(":instance-profile/grand-central-ecs-instance"))
        user_data = base64.b64decode(data["UserData"]).decode()
        self.assertIn("ECS_CLUSTER=grand-central", user_data)
        self.assertIn('aws ec2 attach-volume --volume-id "%s"' % volume["VolumeId"], user_data)
        return volume["VolumeId"]

    # ---- registry.toml (issue 19), through the aws CLI: the repository the image comes from and its policy.
    def check_registry(self):
        [repository] = self.aws_cli("ecr", "describe-repositories", "--repository-names", "grand-central")["repositories"]
        self.assertEqual(repository["repositoryUri"], REGISTRY)
        self.assertEqual((repository["imageTagMutability"], repository["imageScanningConfiguration"]["scanOnPush"]),
                         ("IMMUTABLE", True))
        policy = json.loads(self.aws_cli("ecr", "get-repository-policy", "--repository-name", "grand-central")["policyText"])
        [statement] = policy["Statement"]
        role = self.aws_cli("iam", "get-role", "--role-name", "grand-central-ecs-instance")["Role"]["Arn"]
        self.assertEqual((statement["Effect"], statement["Principal"]["AWS"]), ("Allow", role))
        self.assertIn("ecr:BatchGetImage", statement["Action"])
        lifecycle = json.loads(
            self.aws_cli("ecr", "get-lifecycle-policy", "--repository-name", "grand-central")["lifecyclePolicyText"])
        self.assertEqual(lifecycle["rules"][0]["selection"]["countNumber"], 30)

    def check_only_the_volume_is_left(self, volume_id):
        ec2 = self.aws("ec2")
        [volume] = ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"]
        self.assertEqual(volume["State"], "available")
        self.assertEqual(self.vpcs_named("grand-central"), [])
        clusters = self.aws("ecs").describe_clusters(clusters=["grand-central"])["clusters"]
        self.assertEqual([c for c in clusters if c["status"] == "ACTIVE"], [])
        self.assertEqual(self.active_task_definitions("grand-central"), [])
        roles = [r["RoleName"] for r in self.aws("iam").list_roles()["Roles"] if r["RoleName"].startswith("grand")]
        self.assertEqual(roles, [])
        self.assertEqual([b["Name"] for b in self.aws("s3").list_buckets()["Buckets"]], ["scpr-grand-central-state"])
        self.assertEqual(self.aws("logs").describe_log_groups(logGroupNamePrefix="/ecs/")["logGroups"], [])
        self.assertEqual(self.aws("autoscaling").describe_auto_scaling_groups(
            AutoScalingGroupNames=["grand-central-ecs"])["AutoScalingGroups"], [])


if __name__ == "__main__":
    unittest.main()
