"""examples/hoffman-house (the main job) against moto: bootstrap, plan, apply,
the resources checked through AWS, a no-op plan, a resize of the MySQL volume,
destroy refused by prevent_destroy, then allowed once the guard is lifted."""
import base64
import unittest

from example_harness import ExampleTestCase

STATE_BUCKET = "hoffman-house-tf-state"
EXPECTED = sorted(["aws_autoscaling_group.web", "aws_ebs_volume.mysql", "aws_internet_gateway.gw",
                   "aws_launch_template.web", "aws_route53_record.apex_mx", "aws_route53_record.www",
                   "aws_route53_zone.site", "aws_route_table.public", "aws_route_table_association.public",
                   "aws_s3_bucket.backups", "aws_s3_bucket_versioning.backups", "aws_security_group.web",
                   "aws_subnet.public", "aws_vpc.main",
                   # address.toml and build_server.toml
                   "aws_eip.web", "aws_iam_role.vm", "aws_iam_role_policy.vm", "aws_iam_instance_profile.vm",
                   "aws_security_group.build", "aws_vpc_security_group_ingress_rule.build_ssh",
                   "aws_instance.build", "aws_cloudwatch_metric_alarm.build_idle"])


class HoffmanHouseTest(ExampleTestCase):
    example = "hoffman-house"

    def test_main_job(self):
        # Given the state bucket and lock table made by init --bootstrap
        init = self.ok("init", "--bootstrap")
        self.assertIn('Created S3 bucket "hoffman-house-tf-state"', init.output)
        self.assertIn('Created DynamoDB lock table "hoffman-house-tf-locks"', init.output)

        # When the stack is planned and applied
        plan = self.plan_with_changes()
        self.assertIn("Plan: %d to add, 0 to change, 0 to destroy." % len(EXPECTED), plan.stdout)
        apply = self.apply()
        self.assertIn("Apply complete! Resources: %d added, 0 changed, 0 destroyed." % len(EXPECTED), apply.stdout)

        # Then AWS holds what the stack declares, and the state is in S3
        self.assertEqual(self.managed_addresses(), EXPECTED)
        self.assertEqual(self.state_object_keys(STATE_BUCKET), ["site/state.json"])
        volume_id = self.check_resources(mysql_gb=20)
        build_server = self.check_address_and_build_server()
        self.assert_no_changes()

        # When the MySQL volume is grown (the default edited, as a commit would)
        self.write("main.toml", self.read("main.toml").replace("default = 20\n", "default = 30\n"))
        resize = self.plan_with_changes()
        self.assertIn("# aws_ebs_volume.mysql will be updated in-place", resize.stdout)
        self.assertIn("Plan: 0 to add, 1 to change, 0 to destroy.", resize.stdout)
        self.apply()
        # Then the same volume has the new size
        self.assertEqual(self.check_resources(mysql_gb=30), volume_id)
        self.assert_no_changes()

        # When destroy is asked for, prevent_destroy refuses it and nothing goes
        refused = self.fails("destroy", "--auto-approve")
        self.assertIn("Instance aws_ebs_volume.mysql has lifecycle.prevent_destroy set, but the plan destroys it",
                      refused.stderr)
        self.assertEqual(self.managed_addresses(), EXPECTED)
        self.assertEqual(len(self.vpcs_named("hh-prod")), 1)

        # When the guard is lifted, destroy removes everything
        self.write("main.toml", self.read("main.toml").replace("prevent_destroy = true", "prevent_destroy = false"))
        destroy = self.ok("destroy", "--auto-approve")
        self.assertIn("%d destroyed" % len(EXPECTED), destroy.stdout)
        self.assertEqual(self.managed_addresses(), [])
        self.check_nothing_left(volume_id)
        self.check_build_server_gone(build_server)

    def check_resources(self, mysql_gb):
        """Every declared resource through the AWS APIs; returns the volume id."""
        ec2 = self.aws("ec2")
        [vpc] = self.vpcs_named("hh-prod")
        self.assertEqual(vpc["CidrBlock"], "10.20.0.0/16")
        self.assertEqual(self.tags_of(vpc["Tags"])["project"], "hoffman-house")
        [subnet] = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]
        self.assertEqual((subnet["CidrBlock"], subnet["AvailabilityZone"], subnet["MapPublicIpOnLaunch"]),
                         ("10.20.1.0/24", "us-west-2a", True))
        [group] = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["hh-prod-web"]}])[
            "SecurityGroups"]
        self.assertEqual(sorted(p["FromPort"] for p in group["IpPermissions"]), [22, 80, 443])
        [volume] = ec2.describe_volumes(Filters=[{"Name": "tag:Name", "Values": ["hh-prod-mysql"]}])["Volumes"]
        self.assertEqual((volume["Size"], volume["VolumeType"], volume["Encrypted"], volume["AvailabilityZone"]),
                         (mysql_gb, "gp3", True, "us-west-2a"))
        [template] = ec2.describe_launch_templates(LaunchTemplateNames=["hh-prod-web"])["LaunchTemplates"]
        [group] = self.aws("autoscaling").describe_auto_scaling_groups(AutoScalingGroupNames=["hh-prod-web"])[
            "AutoScalingGroups"]
        self.assertEqual((group["MinSize"], group["MaxSize"], group["DesiredCapacity"]), (1, 1, 1))
        self.assertEqual(group["LaunchTemplate"]["LaunchTemplateId"], template["LaunchTemplateId"])
        self.assertEqual(group["VPCZoneIdentifier"], subnet["SubnetId"])
        s3 = self.aws("s3")
        self.assertEqual(s3.get_bucket_versioning(Bucket="hh-prod-backups")["Status"], "Enabled")
        route53 = self.aws("route53")
        [zone] = [z for z in route53.list_hosted_zones()["HostedZones"] if z["Name"] == "hoffman-house.com."]
        records = route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
        by_name = {(r["Name"], r["Type"]): [v["Value"] for v in r.get("ResourceRecords", [])] for r in records}
        [address] = ec2.describe_addresses(Filters=[{"Name": "tag:Name", "Values": ["hh-prod-web"]}])["Addresses"]
        self.assertEqual(by_name[("www.hoffman-house.com.", "A")], [address["PublicIp"]])
        self.assertEqual(by_name[("hoffman-house.com.", "MX")], ["10 mail.hoffman-house.com"])
        return volume["VolumeId"]

    def check_address_and_build_server(self):
        """The Elastic IP, the VM's instance profile, the build server and its
        idle alarm, through the aws CLI; returns the build server's id."""
        [address] = self.aws_cli("ec2", "describe-addresses", "--filters", "Name=tag:Name,Values=hh-prod-web")["Addresses"]
        self.assertEqual(address["Domain"], "vpc")
        [profile] = [p for p in self.aws_cli("iam", "list-instance-profiles")["InstanceProfiles"]
                     if p["InstanceProfileName"] == "hh-prod-vm"]
        self.assertEqual([r["RoleName"] for r in profile["Roles"]], ["hh-prod-vm"])
        policy = self.aws_cli("iam", "get-role-policy", "--role-name", "hh-prod-vm", "--policy-name", "boot")
        self.assertIn("ec2:AssociateAddress", policy["PolicyDocument"]["Statement"][0]["Action"])
        versions = self.aws_cli("ec2", "describe-launch-template-versions", "--launch-template-name", "hh-prod-web",
                                "--versions", "$Latest")["LaunchTemplateVersions"]
        data = versions[0]["LaunchTemplateData"]
        self.assertEqual(data["IamInstanceProfile"]["Name"], "hh-prod-vm")
        user_data = base64.b64decode(data["UserData"]).decode()
        self.assertIn('associate_address.sh "%s"' % address["AllocationId"], user_data)
        self.assertNotIn("route53", user_data)

        reservations = self.aws_cli("ec2", "describe-instances", "--filters", "Name=tag:Name,Values=hh-prod-build",
                                    "Name=instance-state-name,Values=running")["Reservations"]
        [instance] = [i for r in reservations for i in r["Instances"]]
        self.assertEqual((instance["InstanceType"], instance["ImageId"]), ("t3.large", "ami-03cf127a"))
        self.assertEqual(instance["MetadataOptions"]["HttpTokens"], "required")
        self.assertTrue(instance["IamInstanceProfile"]["Arn"].endswith("/hh-prod-vm"))
        [group] = self.aws_cli("ec2", "describe-security-groups", "--filters",
                               "Name=group-name,Values=hh-prod-build")["SecurityGroups"]
        self.assertEqual([g["GroupId"] for g in instance["SecurityGroups"]], [group["GroupId"]])
        ssh = [r for r in self.aws_cli("ec2", "describe-security-group-rules")["SecurityGroupRules"]
               if r["GroupId"] == group["GroupId"] and not r["IsEgress"]]
        self.assertEqual([(r["IpProtocol"], r["FromPort"], r["CidrIpv4"]) for r in ssh], [("tcp", 22, "0.0.0.0/0")])
        [alarm] = self.aws_cli("cloudwatch", "describe-alarms", "--alarm-names", "hh-prod-build-idle")["MetricAlarms"]
        self.assertEqual((alarm["Namespace"], alarm["MetricName"], alarm["Statistic"], alarm["ComparisonOperator"],
                          alarm["Threshold"], alarm["Period"], alarm["EvaluationPeriods"]),
                         ("AWS/EC2", "CPUUtilization", "Average", "LessThanThreshold", 5.0, 300, 6))
        self.assertEqual(alarm["Dimensions"], [{"Name": "InstanceId", "Value": instance["InstanceId"]}])
        self.assertEqual(alarm["AlarmActions"], ["arn:aws:automate:us-west-2:ec2:stop"])
        return instance["InstanceId"]

    def check_build_server_gone(self, instance_id):
        reservations = self.aws_cli("ec2", "describe-instances", "--instance-ids", instance_id)["Reservations"]
        self.assertEqual(reservations[0]["Instances"][0]["State"]["Name"], "terminated")
        self.assertEqual(self.aws_cli("cloudwatch", "describe-alarms", "--alarm-names",
                                      "hh-prod-build-idle")["MetricAlarms"], [])
        self.assertEqual(self.aws_cli("ec2", "describe-addresses")["Addresses"], [])

    def check_nothing_left(self, volume_id):
        ec2 = self.aws("ec2")
        self.assertEqual(self.vpcs_named("hh-prod"), [])
        volumes = ec2.describe_volumes(Filters=[{"Name": "volume-id", "Values": [volume_id]}])["Volumes"]
        self.assertEqual(volumes, [])
        self.assertEqual(ec2.describe_launch_templates(
            Filters=[{"Name": "launch-template-name", "Values": ["hh-prod-web"]}])["LaunchTemplates"], [])
        self.assertEqual(self.aws("autoscaling").describe_auto_scaling_groups(
            AutoScalingGroupNames=["hh-prod-web"])["AutoScalingGroups"], [])
        buckets = [b["Name"] for b in self.aws("s3").list_buckets()["Buckets"]]
        self.assertEqual(buckets, [STATE_BUCKET])
        zones = [z["Name"] for z in self.aws("route53").list_hosted_zones()["HostedZones"]]
        self.assertEqual(zones, [])


if __name__ == "__main__":
    unittest.main()
