// aws_launch_template through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string TemplateStack(const std::string& name, const std::string& instance_type) {
  return "[resource.aws_launch_template.node]\nname = \"" + name + "\"\nimage_id = \"ami-12c6146b\"\n"
         "instance_type = \"" + instance_type + "\"\nupdate_default_version = true\n"
         "vpc_security_group_ids = [\"sg-12345678\"]\n"
         "block_device_mappings = [{ device_name = \"/dev/sda1\", ebs = [{ volume_size = 20, volume_type = \"gp3\" }] }]\n"
         "tag_specifications = [{ resource_type = \"instance\", tags = { Name = \"node\" } }]\n"
         "tags = { Name = \"node\" }\n";
}

class AwsLaunchTemplateTest : public AwsStackTest {
 protected:
  json Template(const std::string& id) {
    return AwsCli("ec2 describe-launch-templates --launch-template-ids " + id)["LaunchTemplates"][0];
  }
  json LatestData(const std::string& id) {
    return AwsCli("ec2 describe-launch-template-versions --launch-template-id " + id +
                  " --versions '$Latest'")["LaunchTemplateVersions"][0]["LaunchTemplateData"];
  }
};

TEST_F(AwsLaunchTemplateTest, CreateNoOpNewVersionDriftReplaceImportDelete) {
  // Given a launch template
  WriteStack(TemplateStack("node", "t3.small"));
  Apply();
  std::string id = Attr("aws_launch_template.node", "id");
  ASSERT_TRUE(id.starts_with("lt-")) << id;
  json data = LatestData(id);
  EXPECT_EQ(data["ImageId"], "ami-12c6146b");
  EXPECT_EQ(data["InstanceType"], "t3.small");
  EXPECT_EQ(data["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"], 20);
  EXPECT_EQ(Attr("aws_launch_template.node", "latest_version"), "1");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new instance type makes version 2 (the default), not a new template
  WriteStack(TemplateStack("node", "t3.large"));
  Plan update = Apply();
  EXPECT_EQ(Changes(update), "update aws_launch_template.node\n");
  EXPECT_TRUE(ChangeFor(update, "aws_launch_template.node").after.Find("latest_version")->is_unknown());
  EXPECT_EQ(Attr("aws_launch_template.node", "id"), id);
  EXPECT_EQ(Attr("aws_launch_template.node", "latest_version"), "2");
  EXPECT_EQ(Template(id)["LatestVersionNumber"], 2);
  EXPECT_EQ(Template(id)["DefaultVersionNumber"], 2);
  EXPECT_EQ(LatestData(id)["InstanceType"], "t3.large");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A version made with the aws CLI is drift: the next apply makes a version with our data
  AwsCli("ec2 create-launch-template-version --launch-template-id " + id +
         " --launch-template-data '{\"ImageId\":\"ami-12c6146b\",\"InstanceType\":\"m5.large\"}'");
  EXPECT_EQ(Changes(Apply()), "update aws_launch_template.node\n");
  EXPECT_EQ(LatestData(id)["InstanceType"], "t3.large");
  EXPECT_EQ(Template(id)["LatestVersionNumber"], 4);

  // A new name replaces the template
  WriteStack(TemplateStack("node2", "t3.large"));
  EXPECT_EQ(Changes(Apply()), "replace aws_launch_template.node [name]\n");
  std::string new_id = Attr("aws_launch_template.node", "id");
  EXPECT_EQ(Template(new_id)["LaunchTemplateName"], "node2");

  // Import by id matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_launch_template.node").HasErrors());
  Import("aws_launch_template.node", new_id);
  EXPECT_EQ(Changes(PlanChanges()), "update aws_launch_template.node\n");  // update_default_version is config-only

  // Destroy deletes it
  Destroy();
  EXPECT_EQ(AwsCli("ec2 describe-launch-templates --filters Name=launch-template-name,Values=node2")["LaunchTemplates"].size(), 0u);
}

TEST_F(AwsLaunchTemplateTest, InterruptedCreateIsAdoptedNotRepeated) {
  WriteStack(TemplateStack("node", "t3.small"));
  Value planned = Value::Map({{"name", Value::String("node")},
                              {"image_id", Value::String("ami-12c6146b")},
                              {"instance_type", Value::String("t3.small")}});
  std::string id = InterruptedCreate("aws_launch_template", "aws_launch_template.node", planned);
  ASSERT_FALSE(id.empty());

  // Adopted; the missing data then arrives as a new version, not a second template
  EXPECT_EQ(Changes(Apply()), "update aws_launch_template.node\n");
  EXPECT_EQ(Attr("aws_launch_template.node", "id"), id);
  EXPECT_EQ(AwsCli("ec2 describe-launch-templates --filters Name=launch-template-name,Values=node")["LaunchTemplates"].size(), 1u);
}

}  // namespace
}  // namespace reconcile::testing
