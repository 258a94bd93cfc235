// aws_ebs_volume through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string VolumeStack(const std::string& zone, int size, const std::string& type) {
  return "[resource.aws_ebs_volume.mysql]\navailability_zone = \"" + zone + "\"\nsize = " +
         std::to_string(size) + "\ntype = \"" + type + "\"\ntags = { Name = \"mysql\" }\n";
}

class AwsEbsVolumeTest : public AwsStackTest {
 protected:
  json Volume(const std::string& id) { return AwsCli("ec2 describe-volumes --volume-ids " + id)["Volumes"][0]; }
  std::size_t VolumesWith(const std::string& filter) {
    return AwsCli("ec2 describe-volumes --filters " + filter)["Volumes"].size();
  }
};

TEST_F(AwsEbsVolumeTest, CreateNoOpResizeDriftReplaceImportDelete) {
  // Given a 20 GiB gp2 volume
  WriteStack(VolumeStack("us-east-1a", 20, "gp2"));
  Apply();
  std::string id = Attr("aws_ebs_volume.mysql", "id");
  ASSERT_TRUE(id.starts_with("vol-")) << id;
  json volume = Volume(id);
  EXPECT_EQ(volume["Size"], 20);
  EXPECT_EQ(volume["VolumeType"], "gp2");
  EXPECT_EQ(volume["State"], "available");
  EXPECT_EQ(Attr("aws_ebs_volume.mysql", "arn"), "arn:aws:ec2:us-east-1:123456789012:volume/" + id);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Size and type change in place
  WriteStack(VolumeStack("us-east-1a", 40, "gp3"));
  EXPECT_EQ(Changes(Apply()), "update aws_ebs_volume.mysql\n");
  EXPECT_EQ(Attr("aws_ebs_volume.mysql", "id"), id);
  EXPECT_EQ(Volume(id)["Size"], 40);
  EXPECT_EQ(Volume(id)["VolumeType"], "gp3");

  // A resize made with the aws CLI is drift, put back by the next apply
  AwsCli("ec2 modify-volume --volume-id " + id + " --size 50");
  EXPECT_EQ(Changes(Apply()), "update aws_ebs_volume.mysql\n");
  EXPECT_EQ(Volume(id)["Size"], 40);

  // Another availability zone replaces the volume
  WriteStack(VolumeStack("us-east-1b", 40, "gp3"));
  EXPECT_EQ(Changes(Apply()), "replace aws_ebs_volume.mysql [availability_zone]\n");
  std::string new_id = Attr("aws_ebs_volume.mysql", "id");
  EXPECT_EQ(VolumesWith("Name=volume-id,Values=" + id), 0u);
  EXPECT_EQ(Volume(new_id)["AvailabilityZone"], "us-east-1b");

  // Import by id matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_ebs_volume.mysql").HasErrors());
  Import("aws_ebs_volume.mysql", new_id);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy deletes it and waits until it is gone
  Destroy();
  EXPECT_EQ(VolumesWith("Name=volume-id,Values=" + new_id), 0u);
}

TEST_F(AwsEbsVolumeTest, InterruptedCreateIsAdoptedNotRepeated) {
  WriteStack(VolumeStack("us-east-1a", 20, "gp2"));
  Value planned = Value::Map({{"availability_zone", Value::String("us-east-1a")},
                              {"size", Value::Number(20)},
                              {"type", Value::String("gp2")},
                              {"tags", Value::Map({{"Name", Value::String("mysql")}})}});
  std::string id = InterruptedCreate("aws_ebs_volume", "aws_ebs_volume.mysql", planned);
  ASSERT_FALSE(id.empty());

  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_ebs_volume.mysql", "id"), id);
  EXPECT_EQ(VolumesWith("Name=tag:reconcile:address,Values=aws_ebs_volume.mysql"), 1u);
}

}  // namespace
}  // namespace reconcile::testing
