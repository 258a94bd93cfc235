// aws_efs_access_point through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"
#include "shell_command.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string AccessPointStack(const std::string& path, int uid, const std::string& tag) {
  return "[resource.aws_efs_file_system.data]\ncreation_token = \"data\"\n\n"
         "[resource.aws_efs_access_point.mongo]\nfile_system_id = \"${aws_efs_file_system.data.id}\"\n"
         "posix_user = { uid = " + std::to_string(uid) + ", gid = 999, secondary_gids = [4, 5] }\n"
         "root_directory = { path = \"" + path +
         "\", creation_info = { owner_uid = 999, owner_gid = 999, permissions = \"750\" } }\n"
         "tags = { Name = \"" + tag + "\" }\n";
}

class AwsEfsAccessPointTest : public AwsStackTest {
 protected:
  json Point(const std::string& id) {
    return AwsCli("efs describe-access-points --access-point-id " + id)["AccessPoints"][0];
  }
  std::size_t Points() { return AwsCli("efs describe-access-points")["AccessPoints"].size(); }
};

TEST_F(AwsEfsAccessPointTest, AccessPointCreateNoOpTagsReplaceImportDelete) {
  // Given an access point with a POSIX user and a root directory made on first use
  WriteStack(AccessPointStack("/mongo/default", 999, "mongo"));
  Apply();
  std::string id = Attr("aws_efs_access_point.mongo", "id");
  ASSERT_TRUE(id.starts_with("fsap-")) << id;
  json point = Point(id);
  EXPECT_EQ(point["RootDirectory"]["Path"], "/mongo/default");
  EXPECT_EQ(point["RootDirectory"]["CreationInfo"]["Permissions"], "750");
  EXPECT_EQ(point["RootDirectory"]["CreationInfo"]["OwnerUid"], 999);
  EXPECT_EQ(point["PosixUser"]["Uid"], 999);
  EXPECT_EQ(point["FileSystemId"], Attr("aws_efs_file_system.data", "id"));
  EXPECT_EQ(TagsOf(point["Tags"])["reconcile:address"], "aws_efs_access_point.mongo");
  EXPECT_EQ(Attr("aws_efs_access_point.mongo", "arn"), point["AccessPointArn"]);
  EXPECT_EQ(Attr("aws_efs_access_point.mongo", "file_system_arn"),
            "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/" + Attr("aws_efs_file_system.data", "id"));
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new tag changes in place
  WriteStack(AccessPointStack("/mongo/default", 999, "mongo-2"));
  EXPECT_EQ(Changes(Apply()), "update aws_efs_access_point.mongo\n");
  EXPECT_EQ(TagsOf(Point(id)["Tags"])["Name"], "mongo-2");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new root directory or user replaces it
  WriteStack(AccessPointStack("/mongo/prod", 1000, "mongo-2"));
  Plan replaced = Apply();
  const PlannedChange& change = ChangeFor(replaced, "aws_efs_access_point.mongo");
  EXPECT_EQ(change.action, Action::kReplace);
  std::string second = Attr("aws_efs_access_point.mongo", "id");
  EXPECT_NE(second, id);
  EXPECT_EQ(Point(second)["RootDirectory"]["Path"], "/mongo/prod");
  EXPECT_EQ(Points(), 1u);

  // Import by id matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_efs_access_point.mongo").HasErrors());
  Import("aws_efs_access_point.mongo", second);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy deletes it with its file system
  Destroy();
  EXPECT_EQ(Points(), 0u);
}

TEST_F(AwsEfsAccessPointTest, InterruptedCreateIsFoundByItsOwnershipTags) {
  // Given a file system, and an access point create never recorded
  WriteStack("[resource.aws_efs_file_system.data]\ncreation_token = \"data\"\n");
  Apply();
  std::string fs = Attr("aws_efs_file_system.data", "id");
  WriteStack(AccessPointStack("/mongo/default", 999, "mongo"));
  Value planned = Value::Map(
      {{"file_system_id", Value::String(fs)},
       {"posix_user", Value::List({Value::Map({{"uid", Value::Number(999)}, {"gid", Value::Number(999)},
                                               {"secondary_gids", Value::List({Value::Number(4), Value::Number(5)})}})})},
       {"root_directory",
        Value::List({Value::Map({{"path", Value::String("/mongo/default")},
                                 {"creation_info", Value::List({Value::Map({{"owner_uid", Value::Number(999)},
                                                                            {"owner_gid", Value::Number(999)},
                                                                            {"permissions", Value::String("750")}})})}})})},
       {"tags", Value::Map({{"Name", Value::String("mongo")}})}});
  std::string id = InterruptedCreate("aws_efs_access_point", "aws_efs_access_point.mongo", planned);
  ASSERT_TRUE(id.starts_with("fsap-")) << id;

  // When applied again, it is adopted: one access point
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_efs_access_point.mongo", "id"), id);
  EXPECT_EQ(Points(), 1u);
}

}  // namespace
}  // namespace reconcile::testing
