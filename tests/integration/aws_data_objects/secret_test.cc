// aws_secretsmanager_secret and aws_secretsmanager_secret_version through the
// engine against moto, checked with the aws CLI.
#include "aws_stack.h"
#include "shell_command.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string SecretStack(const std::string& name, const std::string& description, const std::string& value,
                        const std::string& stages = "") {
  return "[resource.aws_secretsmanager_secret.db]\nname = \"" + name + "\"\ndescription = \"" + description +
         "\"\nrecovery_window_in_days = 0\ntags = { Name = \"db\" }\n\n"
         "[resource.aws_secretsmanager_secret_version.db]\nsecret_id = \"${aws_secretsmanager_secret.db.id}\"\n"
         "secret_string = \"" + value + "\"\n" + stages + "\n";
}

class AwsSecretTest : public AwsStackTest {
 protected:
  json Describe(const std::string& id) { return AwsCli("secretsmanager describe-secret --secret-id " + id); }
  std::string Current(const std::string& id) {
    return AwsCli("secretsmanager get-secret-value --secret-id " + id)["SecretString"];
  }
};

TEST_F(AwsSecretTest, SecretAndVersionCreateNoOpUpdateReplaceImportDelete) {
  // Given a secret with a value
  WriteStack(SecretStack("app/db", "database", "hunter2"));
  EXPECT_EQ(Changes(Apply()),
            "create aws_secretsmanager_secret.db\ncreate aws_secretsmanager_secret_version.db\n");
  std::string arn = Attr("aws_secretsmanager_secret.db", "arn");
  ASSERT_TRUE(arn.starts_with("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-")) << arn;
  json described = Describe(arn);
  EXPECT_EQ(described["Description"], "database");
  std::map<std::string, std::string> tags = TagsOf(described["Tags"]);
  EXPECT_EQ(tags["Name"], "db");
  EXPECT_EQ(tags["reconcile:workspace"], "default");
  EXPECT_EQ(Current(arn), "hunter2");
  std::string version = Attr("aws_secretsmanager_secret_version.db", "version_id");
  EXPECT_EQ(Attr("aws_secretsmanager_secret_version.db", "id"), arn + "|" + version);
  EXPECT_EQ(Attr("aws_secretsmanager_secret_version.db", "version_stages"), R"(["AWSCURRENT"])");
  // The value is sensitive in state
  Value state = StateOf("aws_secretsmanager_secret_version.db");
  ASSERT_NE(state.Find("secret_string"), nullptr);
  EXPECT_TRUE(state.Find("secret_string")->ContainsSensitive());
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new description updates the secret in place; a new value is a new version
  WriteStack(SecretStack("app/db", "primary database", "correct horse"));
  Plan plan = Apply();
  EXPECT_EQ(ChangeFor(plan, "aws_secretsmanager_secret.db").action, Action::kUpdate);
  EXPECT_EQ(ChangeFor(plan, "aws_secretsmanager_secret_version.db").action, Action::kReplace);
  EXPECT_EQ(Describe(arn)["Description"], "primary database");
  EXPECT_EQ(Current(arn), "correct horse");
  std::string second = Attr("aws_secretsmanager_secret_version.db", "version_id");
  EXPECT_NE(second, version);
  json stages = Describe(arn)["VersionIdsToStages"];
  EXPECT_EQ(stages[second], json::array({"AWSCURRENT"}));
  EXPECT_EQ(stages[version], json::array({"AWSPREVIOUS"}));
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A stage added to the version moves onto it in place
  WriteStack(SecretStack("app/db", "primary database", "correct horse",
                         "version_stages = [\"AWSCURRENT\", \"blue\"]"));
  EXPECT_EQ(Changes(Apply()), "update aws_secretsmanager_secret_version.db\n");
  EXPECT_EQ(Describe(arn)["VersionIdsToStages"][second], json::array({"AWSCURRENT", "blue"}));
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import of both matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_secretsmanager_secret.db").HasErrors());
  ASSERT_FALSE(RemoveFromState("aws_secretsmanager_secret_version.db").HasErrors());
  Import("aws_secretsmanager_secret.db", arn);
  Import("aws_secretsmanager_secret_version.db", arn + "|" + second);
  // recovery_window_in_days lives in state only: the import records AWS's default of 30
  EXPECT_EQ(Changes(PlanChanges()), "update aws_secretsmanager_secret.db\n");
  EXPECT_EQ(Changes(Apply()), "update aws_secretsmanager_secret.db\n");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new name replaces the secret; destroy deletes it without recovery
  WriteStack(SecretStack("app/db2", "primary database", "correct horse"));
  EXPECT_EQ(ChangeFor(Apply(), "aws_secretsmanager_secret.db").action, Action::kReplace);
  EXPECT_NE(AwsStatus("secretsmanager describe-secret --secret-id " + arn), 0);
  EXPECT_EQ(Current("app/db2"), "correct horse");
  Destroy();
  EXPECT_NE(AwsStatus("secretsmanager describe-secret --secret-id app/db2"), 0);
}

TEST_F(AwsSecretTest, InterruptedCreatesAreAdoptedNotRepeated) {
  // Given a secret whose create reached AWS but was never recorded
  WriteStack("[resource.aws_secretsmanager_secret.db]\nname = \"app/api\"\nrecovery_window_in_days = 0\n");
  std::string arn = InterruptedCreate(
      "aws_secretsmanager_secret", "aws_secretsmanager_secret.db",
      Value::Map({{"name", Value::String("app/api")}, {"recovery_window_in_days", Value::Number(0)}}));
  ASSERT_FALSE(arn.empty());
  // When applied again, it is adopted: one secret
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_secretsmanager_secret.db", "arn"), arn);
  EXPECT_EQ(AwsCli("secretsmanager list-secrets")["SecretList"].size(), 1u);

  // Given a version whose put reached AWS but was never recorded
  WriteStack("[resource.aws_secretsmanager_secret.db]\nname = \"app/api\"\nrecovery_window_in_days = 0\n\n"
             "[resource.aws_secretsmanager_secret_version.db]\nsecret_id = \"${aws_secretsmanager_secret.db.id}\"\n"
             "secret_string = \"s3cret\"\n");
  std::string version_id = InterruptedCreate(
      "aws_secretsmanager_secret_version", "aws_secretsmanager_secret_version.db",
      Value::Map({{"secret_id", Value::String(arn)}, {"secret_string", Value::String("s3cret")}}));
  ASSERT_TRUE(version_id.starts_with(arn + "|")) << version_id;
  // When applied again, it is found by the version id its client token made: one version
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_secretsmanager_secret_version.db", "id"), version_id);
  EXPECT_EQ(Describe(arn)["VersionIdsToStages"].size(), 1u);

  // Another workspace's secret of the same name is refused
  ExpectTakenByOtherWorkspace(
      "[resource.aws_secretsmanager_secret.fixed]\nname = \"fixed\"\nrecovery_window_in_days = 0\n",
      "Secrets Manager secret \"fixed\"",
      [&] { return TagsOf(AwsCli("secretsmanager describe-secret --secret-id fixed")["Tags"]); });
}

}  // namespace
}  // namespace reconcile::testing
