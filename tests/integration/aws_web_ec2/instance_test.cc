// aws_instance through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

struct InstanceSettings {
  std::string ami = "ami-12c6146b";
  std::string type = "t3.micro";
  std::string tokens;  // metadata_options.http_tokens, unset by default
  std::string tag = "build";
  std::string root = "volume_size = 20, volume_type = \"gp3\"";
};

std::string InstanceStack(const InstanceSettings& s) {
  std::string metadata =
      s.tokens.empty() ? "" : "metadata_options = [{ http_tokens = \"" + s.tokens + "\" }]\n";
  return "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
         "[resource.aws_subnet.a]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.1.0/24\"\n"
         "availability_zone = \"us-east-1a\"\n\n"
         "[resource.aws_security_group.build]\nname = \"build\"\nvpc_id = "
         "\"${aws_vpc.main.id}\"\n\n"
         "[resource.aws_iam_role.build]\nname = \"build\"\n"
         "assume_role_policy = "
         "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{"
         "\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'\n\n"
         "[resource.aws_iam_instance_profile.build]\nname = \"build\"\nrole = "
         "\"${aws_iam_role.build.name}\"\n\n"
         "[resource.aws_instance.build]\nami = \"" +
         s.ami + "\"\ninstance_type = \"" + s.type +
         "\"\n"
         "subnet_id = \"${aws_subnet.a.id}\"\nvpc_security_group_ids = "
         "[\"${aws_security_group.build.id}\"]\n"
         "iam_instance_profile = \"${aws_iam_instance_profile.build.name}\"\n"
         "user_data = \"#!/bin/sh\\necho hello\\n\"\n"
         "root_block_device = [{ " + s.root + " }]\n"
         "ebs_block_device = [{ device_name = \"/dev/sdf\", volume_size = 50 }]\n" +
         metadata + "tags = { Name = \"" + s.tag + "\" }\n";
}

class AwsInstanceTest : public AwsStackTest {
 protected:
  json Instance(const std::string& id) {
    return AwsCli("ec2 describe-instances --instance-ids " + id)["Reservations"][0]["Instances"][0];
  }
  json Volume(const std::string& id) {
    return AwsCli("ec2 describe-volumes --volume-ids " + id)["Volumes"][0];
  }
  std::size_t LiveInstances() {
    const json reservations = AwsCli(
        "ec2 describe-instances --filters "
        "Name=instance-state-name,Values=pending,running,stopping,stopped")["Reservations"];
    std::size_t n = 0;
    for (const json& r : reservations) n += r["Instances"].size();
    return n;
  }
};

TEST_F(AwsInstanceTest, CreateResizeInPlaceReplaceImportDelete) {
  // Given an instance with a profile, user data, a root and an extra volume
  InstanceSettings s;
  WriteStack(InstanceStack(s));
  Apply();
  std::string id = Attr("aws_instance.build", "id");
  ASSERT_TRUE(id.starts_with("i-")) << id;
  json instance = Instance(id);
  EXPECT_EQ(instance["State"]["Name"], "running");
  EXPECT_EQ(instance["InstanceType"], "t3.micro");
  EXPECT_EQ(instance["SubnetId"], Attr("aws_subnet.a", "id"));
  EXPECT_EQ(instance["SecurityGroups"][0]["GroupId"], Attr("aws_security_group.build", "id"));
  EXPECT_EQ(instance["IamInstanceProfile"]["Arn"], Attr("aws_iam_instance_profile.build", "arn"));
  // Then the metadata service requires tokens (IMDSv2) without being asked
  EXPECT_EQ(instance["MetadataOptions"]["HttpTokens"], "required");
  EXPECT_EQ(TagsOf(instance["Tags"])["Name"], "build");
  EXPECT_EQ(Attr("aws_instance.build", "private_ip"), instance["PrivateIpAddress"]);
  EXPECT_EQ(Attr("aws_instance.build", "arn"), "arn:aws:ec2:us-east-1:123456789012:instance/" + id);
  EXPECT_EQ(Attr("aws_instance.build", "user_data"), "#!/bin/sh\necho hello\n");
  Value state = StateOf("aws_instance.build");
  const Value& root = state.Find("root_block_device")->AsList().at(0);
  EXPECT_EQ(Volume(root.Find("volume_id")->AsString())["Size"], 20);
  const Value& ebs = state.Find("ebs_block_device")->AsList().at(0);
  EXPECT_EQ(ebs.Find("device_name")->AsString(), "/dev/sdf");
  EXPECT_EQ(Volume(ebs.Find("volume_id")->AsString())["Size"], 50);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new instance type is a stop, modify and start of the same instance
  s.type = "t3.large";
  s.tokens = "optional";
  s.tag = "build2";
  s.root = "volume_size = 30, volume_type = \"gp3\", delete_on_termination = false";
  WriteStack(InstanceStack(s));
  EXPECT_EQ(Changes(Apply()), "update aws_instance.build\n");
  EXPECT_EQ(Attr("aws_instance.build", "id"), id);
  instance = Instance(id);
  EXPECT_EQ(instance["InstanceType"], "t3.large");
  EXPECT_EQ(instance["State"]["Name"], "running");
  EXPECT_EQ(instance["MetadataOptions"]["HttpTokens"], "optional");
  EXPECT_EQ(TagsOf(instance["Tags"])["Name"], "build2");
  // And the root volume grew in place and now outlives the instance
  EXPECT_EQ(Volume(root.Find("volume_id")->AsString())["Size"], 30);
  for (const json& mapping : instance["BlockDeviceMappings"])
    if (mapping["DeviceName"] == instance["RootDeviceName"]) {
      EXPECT_EQ(mapping["Ebs"]["DeleteOnTermination"], false);
    }
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Another AMI replaces it; the old one is terminated
  s.ami = "ami-03cf127a";
  WriteStack(InstanceStack(s));
  EXPECT_EQ(Changes(Apply()), "replace aws_instance.build [ami]\n");
  std::string new_id = Attr("aws_instance.build", "id");
  EXPECT_NE(new_id, id);
  EXPECT_EQ(Instance(id)["State"]["Name"], "terminated");
  EXPECT_EQ(Instance(new_id)["ImageId"], "ami-03cf127a");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import by id matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_instance.build").HasErrors());
  Import("aws_instance.build", new_id);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy terminates it and waits
  Destroy();
  EXPECT_EQ(Instance(new_id)["State"]["Name"], "terminated");
  EXPECT_EQ(LiveInstances(), 0u);
}

TEST_F(AwsInstanceTest, InterruptedCreateIsAdoptedNotRepeated) {
  WriteStack(
      "[resource.aws_instance.build]\nami = \"ami-12c6146b\"\ninstance_type = \"t3.micro\"\n");
  Value planned = Value::Map(
      {{"ami", Value::String("ami-12c6146b")}, {"instance_type", Value::String("t3.micro")}});
  std::string id = InterruptedCreate("aws_instance", "aws_instance.build", planned);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_instance.build", "id"), id);
  EXPECT_EQ(LiveInstances(), 1u);
  EXPECT_EQ(Changes(PlanChanges()), "");
  Destroy();
  EXPECT_EQ(LiveInstances(), 0u);
}

}  // namespace
}  // namespace reconcile::testing
