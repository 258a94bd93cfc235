// aws_volume_attachment through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

class AwsVolumeAttachmentTest : public AwsStackTest {
 protected:
  // An instance made outside the stack, passed in as a variable.
  std::string RunInstance() {
    return AwsCli("ec2 run-instances --image-id ami-12c6146b --count 1 --instance-type t3.small "
                  "--placement AvailabilityZone=us-east-1a")["Instances"][0]["InstanceId"];
  }
  std::string Stack(const std::string& instance, const std::string& device) {
    return "[resource.aws_ebs_volume.data]\navailability_zone = \"us-east-1a\"\nsize = 10\n\n"
           "[resource.aws_volume_attachment.data]\ndevice_name = \"" + device + "\"\n"
           "volume_id = \"${aws_ebs_volume.data.id}\"\ninstance_id = \"" + instance + "\"\n";
  }
  // "instance device status" of the volume's attachments.
  std::string Attachments(const std::string& volume) {
    std::string out;
    json volumes = AwsCli("ec2 describe-volumes --volume-ids " + volume);
    for (const json& a : volumes["Volumes"][0]["Attachments"])
      out += a["InstanceId"].get<std::string>() + " " + a["Device"].get<std::string>() + " " +
             a["State"].get<std::string>() + "\n";
    return out;
  }
};

TEST_F(AwsVolumeAttachmentTest, CreateNoOpReplaceDriftImportDelete) {
  // Given a volume attached to an instance at /dev/sdf
  std::string instance = RunInstance();
  WriteStack(Stack(instance, "/dev/sdf"));
  Apply();
  std::string volume = Attr("aws_ebs_volume.data", "id");
  EXPECT_EQ(Attachments(volume), instance + " /dev/sdf attached\n");
  EXPECT_TRUE(Attr("aws_volume_attachment.data", "id").starts_with("vai-"));
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Another device name replaces the attachment
  WriteStack(Stack(instance, "/dev/sdg"));
  EXPECT_EQ(Changes(Apply()), "replace aws_volume_attachment.data [device_name]\n");
  EXPECT_EQ(Attachments(volume), instance + " /dev/sdg attached\n");

  // Detached with the aws CLI, it is planned again and re-attached
  AwsCli("ec2 detach-volume --volume-id " + volume + " --instance-id " + instance + " --device /dev/sdg");
  EXPECT_EQ(Changes(Apply()), "create aws_volume_attachment.data\n");
  EXPECT_EQ(Attachments(volume), instance + " /dev/sdg attached\n");

  // Import by DEVICE:VOLUME:INSTANCE matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_volume_attachment.data").HasErrors());
  Import("aws_volume_attachment.data", "/dev/sdg:" + volume + ":" + instance);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy detaches, then deletes the volume
  Destroy();
  EXPECT_EQ(AwsCli("ec2 describe-volumes --filters Name=volume-id,Values=" + volume)["Volumes"].size(), 0u);
}

TEST_F(AwsVolumeAttachmentTest, InterruptedAttachIsAdoptedNotRepeated) {
  std::string instance = RunInstance();
  WriteStack("[resource.aws_ebs_volume.data]\navailability_zone = \"us-east-1a\"\nsize = 10\n");
  Apply();
  std::string volume = Attr("aws_ebs_volume.data", "id");
  WriteStack(Stack(instance, "/dev/sdf"));
  Value planned = Value::Map({{"device_name", Value::String("/dev/sdf")},
                              {"volume_id", Value::String(volume)},
                              {"instance_id", Value::String(instance)}});
  ASSERT_FALSE(InterruptedCreate("aws_volume_attachment", "aws_volume_attachment.data", planned).empty());

  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attachments(volume), instance + " /dev/sdf attached\n");
}

}  // namespace
}  // namespace reconcile::testing
