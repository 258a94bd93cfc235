// aws_launch_template's instance profile, metadata options, network
// interfaces and block device mappings through the engine against moto,
// checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string TemplateStack(const std::string& name, const std::string& tokens) {
  return "[resource.aws_launch_template.node]\nname = \"" + name +
         "\"\nimage_id = \"ami-12c6146b\"\n"
         "instance_type = \"t3.small\"\nupdate_default_version = true\n"
         "iam_instance_profile = [{ name = \"node\" }]\n"
         "metadata_options = [{ http_tokens = \"" +
         tokens +
         "\", http_put_response_hop_limit = 2, http_endpoint = \"enabled\" }]\n"
         "network_interfaces = [{ device_index = 0, associate_public_ip_address = \"true\", "
         "security_groups = [\"sg-12345678\"] }]\n"
         "block_device_mappings = [{ device_name = \"/dev/xvda\", ebs = [{ volume_size = 30, "
         "volume_type = \"gp3\", encrypted = \"true\" }] }]\n"
         "tags = { Name = \"node\" }\n";
}

class AwsLaunchTemplateOptionsTest : public AwsStackTest {
 protected:
  json LatestData(const std::string& id) {
    return AwsCli("ec2 describe-launch-template-versions --launch-template-id " + id +
                  " --versions '$Latest'")["LaunchTemplateVersions"][0]["LaunchTemplateData"];
  }
};

TEST_F(AwsLaunchTemplateOptionsTest, OptionsCreateNewVersionReplaceImportDelete) {
  // Given a template with an instance profile, IMDSv2, a public interface and an encrypted root
  // volume
  WriteStack(TemplateStack("node", "required"));
  Apply();
  std::string id = Attr("aws_launch_template.node", "id");
  json data = LatestData(id);
  EXPECT_EQ(data["IamInstanceProfile"]["Name"], "node");
  EXPECT_EQ(data["MetadataOptions"]["HttpTokens"], "required");
  EXPECT_EQ(data["MetadataOptions"]["HttpPutResponseHopLimit"], 2);
  EXPECT_EQ(data["NetworkInterfaces"][0]["DeviceIndex"], 0);
  EXPECT_EQ(data["NetworkInterfaces"][0]["AssociatePublicIpAddress"], true);
  EXPECT_EQ(data["NetworkInterfaces"][0]["Groups"][0], "sg-12345678");
  EXPECT_EQ(data["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"], 30);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Other metadata options make a new version of the same template
  WriteStack(TemplateStack("node", "optional"));
  EXPECT_EQ(Changes(Apply()), "update aws_launch_template.node\n");
  EXPECT_EQ(Attr("aws_launch_template.node", "id"), id);
  EXPECT_EQ(Attr("aws_launch_template.node", "latest_version"), "2");
  EXPECT_EQ(LatestData(id)["MetadataOptions"]["HttpTokens"], "optional");
  EXPECT_EQ(LatestData(id)["NetworkInterfaces"][0]["Groups"][0], "sg-12345678");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new name replaces it
  WriteStack(TemplateStack("node2", "optional"));
  EXPECT_EQ(Changes(Apply()), "replace aws_launch_template.node [name]\n");
  std::string new_id = Attr("aws_launch_template.node", "id");
  EXPECT_EQ(LatestData(new_id)["MetadataOptions"]["HttpTokens"], "optional");

  // Import reads the options back (update_default_version is configuration only)
  ASSERT_FALSE(RemoveFromState("aws_launch_template.node").HasErrors());
  Import("aws_launch_template.node", new_id);
  Value imported = StateOf("aws_launch_template.node");
  EXPECT_EQ(imported.Find("metadata_options")->AsList().at(0).Find("http_tokens")->AsString(),
            "optional");
  EXPECT_EQ(imported.Find("network_interfaces")
                ->AsList()
                .at(0)
                .Find("associate_public_ip_address")
                ->AsString(),
            "true");
  EXPECT_EQ(Changes(PlanChanges()), "update aws_launch_template.node\n");

  Destroy();
  EXPECT_EQ(AwsCli("ec2 describe-launch-templates --filters Name=launch-template-name,Values=node2")
                ["LaunchTemplates"]
                    .size(),
            0u);
}

TEST_F(AwsLaunchTemplateOptionsTest, InterruptedCreateIsAdoptedNotRepeated) {
  WriteStack(TemplateStack("node", "required"));
  Value planned =
      Value::Map({{"name", Value::String("node")},
                  {"image_id", Value::String("ami-12c6146b")},
                  {"metadata_options",
                   Value::List({Value::Map({{"http_tokens", Value::String("required")}})})},
                  {"tags", Value::Map({{"Name", Value::String("node")}})}});
  std::string id = InterruptedCreate("aws_launch_template", "aws_launch_template.node", planned);
  ASSERT_FALSE(id.empty());
  // Adopted, then given the rest of the configuration as a new version
  EXPECT_EQ(Changes(Apply()), "update aws_launch_template.node\n");
  EXPECT_EQ(Attr("aws_launch_template.node", "id"), id);
  EXPECT_EQ(LatestData(id)["NetworkInterfaces"][0]["DeviceIndex"], 0);
  EXPECT_EQ(Changes(PlanChanges()), "");
}

}  // namespace
}  // namespace reconcile::testing
