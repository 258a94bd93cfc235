"""examples/exii against moto: one AWS account per environment, reached
through its own profile (dev and prod assume a deploy role in accounts
111111111111 and 222222222222 from the master profile's keys), state in the
master account (123456789012). Checked: workspaces dev and prod from
environments/*.toml, the network module, NACLs, Fargate services whose task
definitions come from task-definitions/*.json, IAM policies, SSM parameters
with generated secrets; a no-op plan; rotation by a keeper; a CI deploy kept
out of the diff by ignore_changes; destroy of both environments."""
import json
import os
import shutil
import tempfile
import unittest

from example_harness import FAKE_KEY, ExampleTestCase
from load_balancer_checks import LOAD_BALANCER_RESOURCES, LoadBalancerChecks

MASTER, DEV, PROD = "123456789012", "111111111111", "222222222222"
REGION = "eu-west-2"
# database.toml: subnet group, security group, database, DATABASE_HOST; nat.toml: an Elastic IP
# and a NAT gateway; load_balancer.toml's: the zone, two target groups and a listener rule
# besides the common ones
RESOURCES = {"dev": 42 + LOAD_BALANCER_RESOURCES + 4, "prod": 46 + LOAD_BALANCER_RESOURCES + 4}
DOMAINS = {"dev": "dev.exii.example", "prod": "exii.example"}
PROFILES = """[profile master]
region = eu-west-2

[profile dev]
region = eu-west-2
role_arn = arn:aws:iam::%s:role/exii-deploy
source_profile = master

[profile prod]
region = eu-west-2
role_arn = arn:aws:iam::%s:role/exii-deploy
source_profile = master
""" % (DEV, PROD)
CREDENTIALS = """[master]
aws_access_key_id = %s
aws_secret_access_key = %s
""" % (FAKE_KEY, FAKE_KEY)


class ExiiTest(ExampleTestCase, LoadBalancerChecks):
    example = "exii"
    region = REGION

    def setUp(self):
        super().setUp()
        # Only the profiles give credentials: nothing in the environment.
        self.profiles = tempfile.mkdtemp(prefix="reconcile-e2e-aws-")
        with open(os.path.join(self.profiles, "config"), "w") as f:
            f.write(PROFILES)
        with open(os.path.join(self.profiles, "credentials"), "w") as f:
            f.write(CREDENTIALS)
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"):
            self.env.pop(name, None)
        self.env["AWS_CONFIG_FILE"] = os.path.join(self.profiles, "config")
        self.env["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(self.profiles, "credentials")

    def tearDown(self):
        shutil.rmtree(self.profiles, ignore_errors=True)
        super().tearDown()

    def test_environments_rotation_and_ci_deploys(self):
        # Given the state bucket and lock table, made in the master account
        self.ok("init", "--bootstrap")
        self.assertEqual(self.state_object_keys("exii-terraform-state"), [])

        # When dev is planned and applied in its workspace
        self.ok("workspace", "new", "dev")
        plan = self.plan_with_changes()
        self.assertIn("Plan: %d to add, 0 to change, 0 to destroy." % RESOURCES["dev"], plan.stdout)
        self.apply()

        # Then dev's account holds the environment; the master account holds its state only
        dev_secrets = self.check_environment("dev", DEV, cidr="10.10.0.0/16", zones=2, desired=1)
        self.check_database("dev", DEV, multi_az=False)
        self.check_nat("dev", DEV, first_public_cidr="10.10.0.0/24")
        self.assertEqual(self.vpcs_named("exii-dev", account=MASTER), [])
        self.assertEqual(self.state_object_keys("exii-terraform-state"), ["env:/dev/exii/state.json"])
        self.assert_no_changes()

        # When prod is applied in its own workspace (its own account, its own values)
        self.ok("workspace", "new", "prod")
        self.apply()
        prod_secrets = self.check_environment("prod", PROD, cidr="10.20.0.0/16", zones=3, desired=2)
        self.check_database("prod", PROD, multi_az=True)
        self.check_nat("prod", PROD, first_public_cidr=None)
        self.assertNotEqual(dev_secrets, prod_secrets)
        self.assertEqual(len(self.managed_addresses()), RESOURCES["prod"])

        # When dev's secrets are rotated by changing the keeper
        self.ok("workspace", "select", "dev")
        self.write("environments/dev.toml",
                   self.read("environments/dev.toml").replace('secrets_rotation = "1"', 'secrets_rotation = "2"'))
        rotation = self.plan_with_changes()
        self.assertIn("# random_password.django_secret_key must be replaced", rotation.stdout)
        self.assertIn("# aws_ssm_parameter.django_secret_key will be updated in-place", rotation.stdout)
        # (the database takes the new password in place)
        self.assertIn("# aws_db_instance.main will be updated in-place", rotation.stdout)
        self.assertIn("Plan: 2 to add, 3 to change, 2 to destroy.", rotation.stdout)
        self.apply()
        # Then dev has new values (version 2) and prod keeps its own
        rotated = self.secrets("dev", DEV)
        for name in rotated:
            self.assertNotEqual(rotated[name][0], dev_secrets[name][0], name)
            self.assertEqual(rotated[name][1], 2, name)
        self.assertEqual(self.secrets("prod", PROD), prod_secrets)
        for printed in (r.output for r in self.transcript):
            for value, _ in list(rotated.values()) + list(dev_secrets.values()):
                self.assertNotIn(value, printed)

        # When CI deploys a new django image (a new revision, the service moved to it)
        ecs = self.aws("ecs", account=DEV)
        task = ecs.describe_task_definition(taskDefinition="exii-dev-django")["taskDefinition"]
        containers = task["containerDefinitions"]
        containers[0]["image"] = "exii/django:ci-1234"
        registered = ecs.register_task_definition(
            family=task["family"], containerDefinitions=containers, cpu=task["cpu"], memory=task["memory"],
            networkMode=task["networkMode"], requiresCompatibilities=task["requiresCompatibilities"],
            executionRoleArn=task["executionRoleArn"], taskRoleArn=task["taskRoleArn"])["taskDefinition"]
        ecs.update_service(cluster="exii-dev", service="django", taskDefinition=registered["taskDefinitionArn"])
        # Then the next plan notes it but has nothing to do
        after_ci = self.assert_no_changes()
        self.assertIn("Objects have changed outside of reconcile", after_ci.stdout)
        [service] = ecs.describe_services(cluster="exii-dev", services=["django"])["services"]
        self.assertEqual(service["taskDefinition"], registered["taskDefinitionArn"])

        # When both environments are destroyed, nothing of them is left
        for workspace, account in (("dev", DEV), ("prod", PROD)):
            self.ok("workspace", "select", workspace)
            destroy = self.ok("destroy", "--auto-approve")
            self.assertIn("%d destroyed" % RESOURCES[workspace], destroy.stdout)
            self.assertEqual(self.managed_addresses(), [])
            self.check_nothing_left(workspace, account)

    def secrets(self, workspace, account):
        """Generated secret -> (value, version)."""
        ssm = self.aws("ssm", account=account)
        names = ["/exii/%s/DJANGO_SECRET_KEY" % workspace, "/exii/%s/DATABASE_PASSWORD" % workspace]
        answer = ssm.get_parameters(Names=names, WithDecryption=True)["Parameters"]
        self.assertEqual(sorted(p["Type"] for p in answer), ["SecureString", "SecureString"])
        return {p["Name"].rsplit("/", 1)[1]: (p["Value"], p["Version"]) for p in answer}

    # ---- database.toml (issue 19): the database's subnet group and security group.
    def check_database(self, workspace, account, multi_az):
        """The Postgres database: in the private subnets, reachable on 5432 only from the services' group."""
        name = "exii-" + workspace
        [vpc] = self.vpcs_named(name, account=account)
        ec2 = self.aws("ec2", account=account)
        subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
        private = sorted(s["SubnetId"] for s in subnets if self.tags_of(s["Tags"])["tier"] == "private")
        rds = self.aws("rds", account=account)
        [db] = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"]
        self.assertEqual((db["Engine"], db["DBName"], db["MasterUsername"], db["MultiAZ"], db["BackupRetentionPeriod"]),
                         ("postgres", "exii", "exii", multi_az, 7))
        self.assertEqual(db["DBSubnetGroup"]["DBSubnetGroupName"], name)
        self.assertEqual(sorted(s["SubnetIdentifier"] for s in db["DBSubnetGroup"]["Subnets"]), private)
        [membership] = db["VpcSecurityGroups"]
        [group] = ec2.describe_security_groups(GroupIds=[membership["VpcSecurityGroupId"]])["SecurityGroups"]
        [services] = ec2.describe_security_groups(
            Filters=[{"Name": "group-name", "Values": [name + "-services"]}])["SecurityGroups"]
        self.assertEqual(group["GroupName"], name + "-database")
        [rule] = group["IpPermissions"]
        self.assertEqual((rule["IpProtocol"], rule["FromPort"], rule["ToPort"], rule["IpRanges"]), ("tcp", 5432, 5432, []))
        self.assertEqual([p["GroupId"] for p in rule["UserIdGroupPairs"]], [services["GroupId"]])
        host = self.aws("ssm", account=account).get_parameter(Name="/exii/%s/DATABASE_HOST" % workspace)["Parameter"]
        self.assertEqual(host["Value"], db["Endpoint"]["Address"])

    def check_environment(self, workspace, account, cidr, zones, desired):
        """One environment through the AWS APIs of its account; returns its secrets."""
        name = "exii-" + workspace
        ec2 = self.aws("ec2", account=account)
        [vpc] = self.vpcs_named(name, account=account)
        self.assertEqual(vpc["CidrBlock"], cidr)
        self.assertEqual(self.tags_of(vpc["Tags"])["env"], workspace)
        subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
        tiers = {}
        for subnet in subnets:
            tiers.setdefault(self.tags_of(subnet["Tags"])["tier"], []).append(subnet["SubnetId"])
        self.assertEqual({k: len(v) for k, v in tiers.items()}, {"public": zones, "private": zones})
        acls = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]},
                                                  {"Name": "default", "Values": ["false"]}])["NetworkAcls"]
        by_name = {self.tags_of(a["Tags"])["Name"]: a for a in acls}
        self.assertEqual(sorted(by_name), [name + "-private", name + "-public"])
        for tier in ("public", "private"):
            acl = by_name["%s-%s" % (name, tier)]
            self.assertEqual(sorted(a["SubnetId"] for a in acl["Associations"]), sorted(tiers[tier]))
        public_in = sorted(e["RuleNumber"] for e in by_name[name + "-public"]["Entries"]
                           if not e["Egress"] and e["RuleNumber"] < 32767)
        self.assertEqual(public_in, [100, 110, 120, 200])
        [private_in] = [e for e in by_name[name + "-private"]["Entries"] if not e["Egress"] and e["RuleNumber"] == 100]
        self.assertEqual((private_in["CidrBlock"], private_in["PortRange"]), (cidr, {"From": 5432, "To": 5432}))

        ecs = self.aws("ecs", account=account)
        services = ecs.describe_services(cluster=name, services=["django", "concept"])["services"]
        self.assertEqual(len(services), 2)
        for service in services:
            network = service["networkConfiguration"]["awsvpcConfiguration"]
            self.assertEqual((service["launchType"], service["desiredCount"], network["assignPublicIp"]),
                             ("FARGATE", desired, "ENABLED"))
            self.assertEqual(sorted(network["subnets"]), sorted(tiers["public"]))
        django = ecs.describe_task_definition(taskDefinition=name + "-django")["taskDefinition"]
        with open(os.path.join(self.dir, "task-definitions", "django.json")) as f:
            from_file = json.load(f)
        self.assertEqual((django["cpu"], django["memory"], django["requiresCompatibilities"]),
                         (from_file["cpu"], from_file["memory"], ["FARGATE"]))
        [container] = django["containerDefinitions"]
        self.assertEqual(container["command"], from_file["containerDefinitions"][0]["command"])
        self.assertEqual(container["image"], "exii/django:bootstrap")
        self.assertEqual(container["logConfiguration"]["options"]["awslogs-group"], "/ecs/%s/django" % name)
        secret_refs = {s["name"]: s["valueFrom"] for s in container["secrets"]}
        self.assertEqual(secret_refs["DJANGO_SECRET_KEY"],
                         "arn:aws:ssm:%s:%s:parameter/exii/%s/DJANGO_SECRET_KEY" % (REGION, account, workspace))

        iam = self.aws("iam", account=account)
        attached = iam.list_attached_role_policies(RoleName=name + "-ecs-execution")["AttachedPolicies"]
        self.assertEqual([p["PolicyName"] for p in attached], ["AmazonECSTaskExecutionRolePolicy"])
        policy = iam.get_role_policy(RoleName=name + "-ecs-execution", PolicyName="read-secrets")["PolicyDocument"]
        self.assertIn(secret_refs["DJANGO_SECRET_KEY"], policy["Statement"][0]["Resource"])
        media = iam.get_role_policy(RoleName=name + "-ecs-task", PolicyName="media-bucket")["PolicyDocument"]
        self.assertEqual(media["Statement"][1]["Resource"], "arn:aws:s3:::%s-media/*" % name)

        ssm = self.aws("ssm", account=account)
        hosts = ssm.get_parameter(Name="/exii/%s/DJANGO_ALLOWED_HOSTS" % workspace)["Parameter"]
        self.assertEqual((hosts["Type"], hosts["Value"]),
                         ("String", "dev.exii.example" if workspace == "dev" else "exii.example"))
        secrets = self.secrets(workspace, account)
        self.assertEqual(len(secrets["DJANGO_SECRET_KEY"][0]), 50)
        self.assertEqual(len(secrets["DATABASE_PASSWORD"][0]), 32)
        self.assertTrue(secrets["DATABASE_PASSWORD"][0].isalnum())

        # load_balancer.toml: /api/* and /admin/* to django, the rest to concept, over HTTPS
        self.account = account
        [zone] = [z for z in self.lb_cli("route53", "list-hosted-zones")["HostedZones"]
                  if z["Name"] == DOMAINS[workspace] + "."]
        self.check_load_balancer(name, DOMAINS[workspace], zone["Id"].rsplit("/", 1)[1],
                                 target_groups={name + "-django": (8000, "/api/health/", "200", 15),
                                                name + "-concept": (80, "/", "200-399", 30)},
                                 rules={10: (["/api/*", "/admin/*"], name + "-django")},
                                 services={(name, "django"): name + "-django", (name, "concept"): name + "-concept"})
        return secrets

    def check_nat(self, workspace, account, first_public_cidr):
        """nat.toml: one NAT gateway with its Elastic IP in the first zone's
        public subnet, the private route table's way out."""
        name = "exii-" + workspace
        ec2 = self.aws("ec2", account=account)
        [vpc] = self.vpcs_named(name, account=account)
        [gateway] = ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]},
                                                       {"Name": "state", "Values": ["available"]}])["NatGateways"]
        [address] = ec2.describe_addresses(Filters=[{"Name": "tag:Name", "Values": [name + "-nat"]}])["Addresses"]
        self.assertEqual(gateway["NatGatewayAddresses"][0]["AllocationId"], address["AllocationId"])
        self.assertEqual(self.tags_of(gateway["Tags"])["Name"], name)
        [subnet] = ec2.describe_subnets(SubnetIds=[gateway["SubnetId"]])["Subnets"]
        self.assertEqual(self.tags_of(subnet["Tags"])["tier"], "public")
        if first_public_cidr:
            self.assertEqual(subnet["CidrBlock"], first_public_cidr)
        [table] = ec2.describe_route_tables(Filters=[{"Name": "tag:Name", "Values": [name + "-private"]}])["RouteTables"]
        out = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        self.assertEqual([r.get("NatGatewayId") for r in out], [gateway["NatGatewayId"]])
        outputs = json.loads(self.ok("output", "--json").stdout)
        self.assertEqual(outputs["nat_public_ip"]["value"], address["PublicIp"])

    def check_nothing_left(self, workspace, account):
        name = "exii-" + workspace
        self.assertEqual(self.vpcs_named(name, account=account), [])
        ecs = self.aws("ecs", account=account)
        self.assertEqual([c for c in ecs.describe_clusters(clusters=[name])["clusters"] if c["status"] == "ACTIVE"], [])
        ssm = self.aws("ssm", account=account)
        left = ssm.get_parameters_by_path(Path="/exii/%s" % workspace, Recursive=True)["Parameters"]
        self.assertEqual(left, [])
        roles = [r["RoleName"] for r in self.aws("iam", account=account).list_roles()["Roles"]
                 if r["RoleName"].startswith(name)]
        self.assertEqual(roles, [])
        buckets = [b["Name"] for b in self.aws("s3", account=account).list_buckets()["Buckets"]]
        self.assertNotIn(name + "-media", buckets)
        # What CI registered is CI's: only reconcile's own revisions are gone.
        self.assertEqual(self.active_task_definitions(name, account=account),
                         [name + "-django:2"] if workspace == "dev" else [])
        self.account = account
        self.check_load_balancer_gone(name, DOMAINS[workspace])


if __name__ == "__main__":
    unittest.main()
