// Ownership of SSM parameters, Auto Scaling groups, launch templates,
// security groups, EFS file systems and tag-found EC2 objects against moto: a
// name another workspace's object (or one reconcile did not make) holds is an
// error naming it and its owner, never a takeover; this instance's own object
// (a create whose answer was lost) is adopted; an interrupted create in one
// workspace never adopts another workspace's object.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

constexpr const char* kImage = "ami-12c6146b";

Value S(const std::string& s) { return Value::String(s); }

class AwsOwnershipTest : public AwsStackTest {
 protected:
  std::map<std::string, std::string> ParameterTags(const std::string& name) {
    return TagsOf(AwsCli("ssm list-tags-for-resource --resource-type Parameter --resource-id " +
                         name)["TagList"]);
  }
  std::map<std::string, std::string> GroupTags(const std::string& name) {
    json groups =
        AwsCli("autoscaling describe-auto-scaling-groups --auto-scaling-group-names " + name);
    return TagsOf(groups["AutoScalingGroups"][0]["Tags"]);
  }
  std::map<std::string, std::string> TemplateTags(const std::string& name) {
    json templates = AwsCli("ec2 describe-launch-templates --launch-template-names " + name);
    return TagsOf(templates["LaunchTemplates"][0]["Tags"]);
  }
  std::map<std::string, std::string> SecurityGroupTags(const std::string& vpc,
                                                       const std::string& name) {
    json groups = AwsCli("ec2 describe-security-groups --filters Name=vpc-id,Values=" + vpc +
                         " Name=group-name,Values=" + name);
    return TagsOf(groups["SecurityGroups"][0]["Tags"]);
  }
  std::map<std::string, std::string> FileSystemTags(const std::string& token) {
    json found = AwsCli("efs describe-file-systems --creation-token " + token);
    return TagsOf(found["FileSystems"][0]["Tags"]);
  }
  std::string MakeVpc() {
    return AwsCli("ec2 create-vpc --cidr-block 10.9.0.0/16")["Vpc"]["VpcId"];
  }
  std::string MakeTemplate(const std::string& name) {
    return AwsCli("ec2 create-launch-template --launch-template-name " + name +
                  " --launch-template-data '{\"ImageId\": \"" + kImage +
                  "\"}'")["LaunchTemplate"]["LaunchTemplateId"];
  }
};

TEST_F(AwsOwnershipTest, SsmParameterOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace(
      "[resource.aws_ssm_parameter.key]\nname = \"/app/key\"\ntype = \"String\"\nvalue = \"v1\"\n",
      "SSM parameter \"/app/key\"", [&] { return ParameterTags("/app/key"); });
}

TEST_F(AwsOwnershipTest, AutoScalingGroupOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace(
      std::string("[resource.aws_launch_template.node]\nname_prefix = \"node-\"\nimage_id = \"") +
          kImage +
          "\"\n\n[resource.aws_autoscaling_group.nodes]\nname = \"nodes\"\nmin_size = 0\n"
          "max_size = 1\ndesired_capacity = 0\navailability_zones = [\"us-east-1a\"]\n"
          "launch_template = { id = \"${aws_launch_template.node.id}\", version = \"$Latest\" }\n",
      "Auto Scaling group \"nodes\"", [&] { return GroupTags("nodes"); });
}

TEST_F(AwsOwnershipTest, LaunchTemplateOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace(std::string("[resource.aws_launch_template.node]\nname = \"node\"\n"
                                          "image_id = \"") +
                                  kImage + "\"\n",
                              "launch template \"node\"", [&] { return TemplateTags("node"); });
}

TEST_F(AwsOwnershipTest, SecurityGroupOfAnotherWorkspaceIsRefused) {
  std::string vpc = MakeVpc();
  ExpectTakenByOtherWorkspace(
      "[resource.aws_security_group.web]\nname = \"web\"\nvpc_id = \"" + vpc + "\"\n",
      "security group \"web\"", [&] { return SecurityGroupTags(vpc, "web"); });
}

TEST_F(AwsOwnershipTest, EfsCreationTokenOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace(
      "[resource.aws_efs_file_system.certs]\ncreation_token = \"certs\"\n",
      "EFS file system with creation token \"certs\"", [&] { return FileSystemTags("certs"); });
}

TEST_F(AwsOwnershipTest, InterruptedCreateNeverAdoptsAnotherWorkspacesObject) {
  // Given a VPC applied by workspace default
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n");
  Apply();
  std::string theirs = Attr("aws_vpc.main", "id");

  // When workspace prod, its create of the same address interrupted before it
  // reached EC2, applies
  UseWorkspace("prod");
  PendingCreate("aws_vpc", "aws_vpc.main", Value::Map({{"cidr_block", S("10.0.0.0/16")}}));
  EXPECT_EQ(Changes(Apply()), "create aws_vpc.main\n");

  // Then prod made a VPC of its own; default's kept its owner
  std::string ours = Attr("aws_vpc.main", "id");
  EXPECT_NE(ours, theirs);
  std::map<std::string, std::string> owners;
  json vpcs = AwsCli("ec2 describe-vpcs --filters Name=tag:reconcile:address,Values=aws_vpc.main");
  for (const json& vpc : vpcs["Vpcs"])
    owners[vpc["VpcId"]] = TagsOf(vpc["Tags"])["reconcile:workspace"];
  std::map<std::string, std::string> expected = {{theirs, "default"}, {ours, "prod"}};
  EXPECT_EQ(owners, expected);
}

TEST_F(AwsOwnershipTest, ObjectsNotMadeByReconcileAreRefused) {
  // Given a parameter and a security group made outside reconcile
  AwsCli("ssm put-parameter --name /legacy --type String --value old");
  std::string vpc = MakeVpc();
  AwsCli("ec2 create-security-group --group-name legacy --description legacy --vpc-id " + vpc);

  // When stacks name them, each apply is refused and the object left alone
  ExpectUnmanagedRefused(
      "[resource.aws_ssm_parameter.key]\nname = \"/legacy\"\ntype = \"String\"\nvalue = \"new\"\n",
      "SSM parameter \"/legacy\"", [&] { return ParameterTags("/legacy"); });
  EXPECT_EQ(AwsCli("ssm get-parameter --name /legacy")["Parameter"]["Value"], "old");
  ExpectUnmanagedRefused(
      "[resource.aws_security_group.web]\nname = \"legacy\"\nvpc_id = \"" + vpc + "\"\n",
      "security group \"legacy\"", [&] { return SecurityGroupTags(vpc, "legacy"); });
}

TEST_F(AwsOwnershipTest, RepeatedCreatesAdoptWhatTheFirstMade) {
  std::string vpc = MakeVpc();
  std::string group_template = MakeTemplate("for-group");
  ExpectRepeatedCreateAdopted(
      "aws_ssm_parameter", "aws_ssm_parameter.key",
      Value::Map({{"name", S("/app/key")}, {"type", S("String")}, {"value", S("v1")}}));
  ExpectRepeatedCreateAdopted("aws_launch_template", "aws_launch_template.node",
                              Value::Map({{"name", S("node")}, {"image_id", S(kImage)}}));
  ExpectRepeatedCreateAdopted(
      "aws_security_group", "aws_security_group.web",
      Value::Map({{"name", S("web")}, {"description", S("web")}, {"vpc_id", S(vpc)}}));
  ExpectRepeatedCreateAdopted(
      "aws_efs_file_system", "aws_efs_file_system.certs",
      Value::Map({{"creation_token", S("certs")}, {"throughput_mode", S("bursting")}}));
  Value launch_template = Value::Map({{"id", S(group_template)}, {"version", S("$Latest")}});
  ExpectRepeatedCreateAdopted(
      "aws_autoscaling_group", "aws_autoscaling_group.nodes",
      Value::Map({{"name", S("nodes")},
                  {"min_size", Value::Number(0)},
                  {"max_size", Value::Number(1)},
                  {"desired_capacity", Value::Number(0)},
                  {"availability_zones", Value::List({S("us-east-1a")})},
                  {"launch_template", Value::List({launch_template})}}));
}

}  // namespace
}  // namespace reconcile::testing
