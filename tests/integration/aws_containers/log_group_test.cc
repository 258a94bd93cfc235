// aws_cloudwatch_log_group through the engine against moto, checked with the aws CLI.
#include "aws/call_stats.h"
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string GroupStack(const std::string& name, int retention, const std::string& kms_key,
                       const std::string& tag) {
  return "[resource.aws_cloudwatch_log_group.app]\nname = \"" + name +
         "\"\nretention_in_days = " + std::to_string(retention) + "\nkms_key_id = \"" + kms_key +
         "\"\ntags = { Name = \"" + tag + "\" }\n";
}

class AwsLogGroupTest : public AwsStackTest {
 protected:
  // The group as the aws CLI sees it (null when missing).
  json Describe(const std::string& name) {
    json listed = AwsCli("logs describe-log-groups --log-group-name-prefix " + name);
    for (const json& g : listed["logGroups"])
      if (g["logGroupName"] == name) return g;
    return json();
  }
  std::map<std::string, std::string> Tags(const std::string& arn) {
    return AwsCli("logs list-tags-for-resource --resource-arn " + arn)["tags"];
  }
};

TEST_F(AwsLogGroupTest, CreateNoOpUpdateDriftReplaceImportDelete) {
  // Given a log group with a retention, a KMS key and a Name tag
  std::string key = AwsCli("kms create-key")["KeyMetadata"]["Arn"];
  WriteStack(GroupStack("/ecs/app", 14, key, "app"), "default_tags = { team = \"core\" }");

  // When applied, CloudWatch Logs has it as configured
  EXPECT_EQ(Changes(Apply()), "create aws_cloudwatch_log_group.app\n");
  json group = Describe("/ecs/app");
  ASSERT_TRUE(group.is_object());
  EXPECT_EQ(group["retentionInDays"], 14);
  EXPECT_EQ(group["kmsKeyId"], key);
  std::string arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app";
  EXPECT_EQ(Attr("aws_cloudwatch_log_group.app", "arn"), arn);
  std::map<std::string, std::string> tags = Tags(arn);
  EXPECT_EQ(tags["Name"], "app");
  EXPECT_EQ(tags["team"], "core");
  EXPECT_EQ(tags["reconcile:address"], "aws_cloudwatch_log_group.app");

  // A second plan changes nothing
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Retention and tags change in place
  WriteStack(GroupStack("/ecs/app", 30, key, "app-2"), "default_tags = { team = \"core\" }");
  EXPECT_EQ(Changes(Apply()), "update aws_cloudwatch_log_group.app\n");
  EXPECT_EQ(Describe("/ecs/app")["retentionInDays"], 30);
  EXPECT_EQ(Tags(arn)["Name"], "app-2");

  // Retention and tags changed with the aws CLI are drift, put back
  AwsCli("logs put-retention-policy --log-group-name /ecs/app --retention-in-days 7");
  AwsCli("logs tag-resource --resource-arn " + arn + " --tags extra=x");
  EXPECT_EQ(Changes(Apply()), "update aws_cloudwatch_log_group.app\n");
  EXPECT_EQ(Describe("/ecs/app")["retentionInDays"], 30);
  EXPECT_EQ(Tags(arn).count("extra"), 0u);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new name replaces the group, naming the attribute
  WriteStack(GroupStack("/ecs/app2", 30, key, "app-2"), "default_tags = { team = \"core\" }");
  EXPECT_EQ(Changes(Apply()), "replace aws_cloudwatch_log_group.app [name]\n");
  EXPECT_TRUE(Describe("/ecs/app").is_null());
  EXPECT_EQ(Describe("/ecs/app2")["retentionInDays"], 30);

  // Forgotten and imported by name, the state matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_cloudwatch_log_group.app").HasErrors());
  Import("aws_cloudwatch_log_group.app", "/ecs/app2");
  EXPECT_EQ(Attr("aws_cloudwatch_log_group.app", "kms_key_id"), key);
  EXPECT_EQ(Attr("aws_cloudwatch_log_group.app", "tags"), R"({"Name":"app-2"})");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Retention back to "never expire" drops the policy
  WriteStack("[resource.aws_cloudwatch_log_group.app]\nname = \"/ecs/app2\"\nkms_key_id = \"" +
                 key + "\"\ntags = { Name = \"app-2\" }\n",
             "default_tags = { team = \"core\" }");
  EXPECT_EQ(Changes(Apply()), "update aws_cloudwatch_log_group.app\n");
  EXPECT_FALSE(Describe("/ecs/app2").contains("retentionInDays"));

  // Removed from the configuration, the group is deleted
  WriteStack("");
  EXPECT_EQ(Changes(Apply()), "delete aws_cloudwatch_log_group.app\n");
  EXPECT_TRUE(Describe("/ecs/app2").is_null());
}

TEST_F(AwsLogGroupTest, RefreshOfSixtyGroupsMakesFourCalls) {
  // Given 60 tagged log groups under management
  WriteStack(
      "[resource.aws_cloudwatch_log_group.many]\ncount = 60\nname = \"/bulk/g${count.index}\"\n"
      "retention_in_days = 7\ntags = { Name = \"g${count.index}\" }\n");
  ASSERT_EQ(Apply().Summary().add, 60);

  // When state is refreshed, groups come 50 a call and tags in bulk
  aws::CallStats::Reset();
  Refresh();
  EXPECT_EQ(aws::CallStats::Calls("logs", "DescribeLogGroups"), 2u) << aws::CallStats::Format();
  EXPECT_LE(aws::CallStats::TotalCalls(), 4u) << aws::CallStats::Format();
  EXPECT_EQ(Attr("aws_cloudwatch_log_group.many[42]", "tags"), R"({"Name":"g42"})");

  // and a change made outside shows up in the next plan
  AwsCli("logs put-retention-policy --log-group-name /bulk/g7 --retention-in-days 1");
  EXPECT_EQ(Changes(PlanChanges()), "update aws_cloudwatch_log_group.many[7]\n");
}

}  // namespace
}  // namespace reconcile::testing
