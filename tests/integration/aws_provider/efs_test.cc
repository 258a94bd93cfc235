// aws_efs_file_system and aws_efs_mount_target through the engine against
// moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string EfsStack(const std::string& fs_settings, const std::string& group,
                     const std::string& token = "certs", const std::string& name = "certs") {
  return "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
         "[resource.aws_subnet.a]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.1.0/24\"\n"
         "availability_zone = \"us-east-1a\"\n\n"
         "[resource.aws_security_group.one]\nname = \"one\"\nvpc_id = \"${aws_vpc.main.id}\"\n\n"
         "[resource.aws_security_group.two]\nname = \"two\"\nvpc_id = \"${aws_vpc.main.id}\"\n\n"
         "[resource.aws_efs_file_system.certs]\ncreation_token = \"" + token + "\"\ntags = { Name = \"" + name + "\" }\n" +
         fs_settings + "\n\n"
         "[resource.aws_efs_mount_target.a]\nfile_system_id = \"${aws_efs_file_system.certs.id}\"\n"
         "subnet_id = \"${aws_subnet.a.id}\"\nsecurity_groups = [\"${aws_security_group." + group + ".id}\"]\n";
}

class AwsEfsTest : public AwsStackTest {
 protected:
  json FileSystem(const std::string& id) {
    return AwsCli("efs describe-file-systems --file-system-id " + id)["FileSystems"][0];
  }
  std::string MountTargetGroups(const std::string& id) {
    return AwsCli("efs describe-mount-target-security-groups --mount-target-id " + id)["SecurityGroups"].dump();
  }
  std::size_t FileSystemsWithToken(const std::string& token) {
    return AwsCli("efs describe-file-systems --creation-token " + token)["FileSystems"].size();
  }
};

TEST_F(AwsEfsTest, CreateNoOpUpdateDriftReplaceImportDelete) {
  // Given a file system with a mount target in one subnet
  WriteStack(EfsStack("", "one"));
  Apply();
  std::string fs = Attr("aws_efs_file_system.certs", "id");
  std::string mt = Attr("aws_efs_mount_target.a", "id");
  ASSERT_TRUE(fs.starts_with("fs-")) << fs;
  json described = FileSystem(fs);
  EXPECT_EQ(described["CreationToken"], "certs");
  EXPECT_EQ(described["ThroughputMode"], "bursting");
  EXPECT_EQ(MountTargetGroups(mt), "[\"" + Attr("aws_security_group.one", "id") + "\"]");
  EXPECT_EQ(Attr("aws_efs_file_system.certs", "dns_name"), fs + ".efs.us-east-1.amazonaws.com");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // New tags and another security group change in place (moto has no
  // UpdateFileSystem, so throughput changes are not exercised here)
  WriteStack(EfsStack("", "two", "certs", "certs-v2"));
  EXPECT_EQ(Changes(Apply()), "update aws_efs_file_system.certs\nupdate aws_efs_mount_target.a\n");
  EXPECT_EQ(Attr("aws_efs_file_system.certs", "tags"), R"({"Name":"certs-v2"})");
  EXPECT_NE(AwsCli("efs list-tags-for-resource --resource-id " + fs)["Tags"].dump().find("certs-v2"), std::string::npos);
  EXPECT_EQ(MountTargetGroups(mt), "[\"" + Attr("aws_security_group.two", "id") + "\"]");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A tag removed with the aws CLI is drift, put back by the next apply
  AwsCli("efs untag-resource --resource-id " + fs + " --tag-keys Name");
  EXPECT_EQ(Changes(Apply()), "update aws_efs_file_system.certs\n");
  EXPECT_NE(AwsCli("efs list-tags-for-resource --resource-id " + fs)["Tags"].dump().find("certs"), std::string::npos);

  // A new performance mode replaces the file system (and so its mount target)
  WriteStack(EfsStack("performance_mode = \"maxIO\"", "two", "certs2", "certs-v2"));
  Plan replaced = Apply();
  EXPECT_EQ(ChangeFor(replaced, "aws_efs_file_system.certs").action, Action::kReplace);
  EXPECT_EQ(FileSystemsWithToken("certs"), 0u);
  EXPECT_EQ(FileSystem(Attr("aws_efs_file_system.certs", "id"))["PerformanceMode"], "maxIO");

  // Import of both matches the configuration
  std::string new_fs = Attr("aws_efs_file_system.certs", "id");
  std::string new_mt = Attr("aws_efs_mount_target.a", "id");
  ASSERT_FALSE(RemoveFromState("aws_efs_file_system.certs").HasErrors());
  ASSERT_FALSE(RemoveFromState("aws_efs_mount_target.a").HasErrors());
  Import("aws_efs_file_system.certs", new_fs);
  Import("aws_efs_mount_target.a", new_mt);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy deletes the mount target, then the file system
  Destroy();
  EXPECT_EQ(FileSystemsWithToken("certs2"), 0u);
}

TEST_F(AwsEfsTest, InterruptedCreateIsAdoptedThroughItsCreationToken) {
  // Given a file system create (no configured token) that was never recorded
  WriteStack("[resource.aws_efs_file_system.certs]\ntags = { Name = \"certs\" }\n");
  Value planned = Value::Map({{"throughput_mode", Value::String("bursting")},
                              {"tags", Value::Map({{"Name", Value::String("certs")}})}});
  std::string id = InterruptedCreate("aws_efs_file_system", "aws_efs_file_system.certs", planned);
  ASSERT_FALSE(id.empty());

  // When applied again, the same token finds it: adopted, not created twice
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_efs_file_system.certs", "id"), id);
  EXPECT_EQ(AwsCli("efs describe-file-systems")["FileSystems"].size(), 1u);
}

}  // namespace
}  // namespace reconcile::testing
