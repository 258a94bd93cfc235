// aws_iam_policy and data aws_iam_policy through the engine against moto,
// checked with the aws CLI.
#include "aws_stack.h"
#include "shell_command.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string PolicyText(const std::string& action) {
  return "'${jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = \"" + action +
         "\", Resource = \"*\" }] })}'";
}

std::string PolicyStack(const std::string& action, const std::string& description = "reads",
                        const std::string& tag = "app") {
  return "[resource.aws_iam_policy.read]\nname = \"app-read\"\npath = \"/app/\"\ndescription = \"" + description +
         "\"\npolicy = " + PolicyText(action) + "\ntags = { Name = \"" + tag + "\" }\n\n"
         "[data.aws_iam_policy.by_name]\nname = \"${aws_iam_policy.read.name}\"\n\n"
         "[data.aws_iam_policy.by_arn]\narn = \"${aws_iam_policy.read.arn}\"\npath_prefix = \"/app/\"\n\n"
         "[output.data_policy]\nvalue = \"${data.aws_iam_policy.by_name.policy}\"\n";
}

// A policy changed: the data sources naming it are read again after the apply.
const char* kUpdateAndRead =
    "update aws_iam_policy.read\nread data.aws_iam_policy.by_arn\nread data.aws_iam_policy.by_name\n";

class AwsIamPolicyTest : public AwsStackTest {
 protected:
  json Versions(const std::string& arn) {
    return AwsCli("iam list-policy-versions --policy-arn " + arn)["Versions"];
  }
  std::string DefaultAction(const std::string& arn) {
    std::string version = AwsCli("iam get-policy --policy-arn " + arn)["Policy"]["DefaultVersionId"];
    json document =
        AwsCli("iam get-policy-version --policy-arn " + arn + " --version-id " + version)["PolicyVersion"]["Document"];
    if (document.is_string()) document = json::parse(document.get<std::string>());
    return document["Statement"][0]["Action"];
  }
};

TEST_F(AwsIamPolicyTest, PolicyCreateNoOpVersionsRotateReplaceImportDelete) {
  // Given a managed policy and data sources finding it by name and by ARN
  WriteStack(PolicyStack("s3:GetObject"));
  Apply();
  std::string arn = Attr("aws_iam_policy.read", "arn");
  EXPECT_EQ(arn, "arn:aws:iam::123456789012:policy/app/app-read");
  EXPECT_EQ(Attr("aws_iam_policy.read", "id"), arn);
  EXPECT_FALSE(Attr("aws_iam_policy.read", "policy_id").empty());
  EXPECT_EQ(DefaultAction(arn), "s3:GetObject");
  std::map<std::string, std::string> tags =
      TagsOf(AwsCli("iam list-policy-tags --policy-arn " + arn)["Tags"]);
  EXPECT_EQ(tags["Name"], "app");
  EXPECT_EQ(tags["reconcile:address"], "aws_iam_policy.read");
  EXPECT_EQ(Attr("data.aws_iam_policy.by_name", "arn"), arn);
  EXPECT_NE(Attr("data.aws_iam_policy.by_name", "policy").find("s3:GetObject"), std::string::npos);
  EXPECT_EQ(Attr("data.aws_iam_policy.by_name", "tags"), R"({"Name":"app"})");
  EXPECT_EQ(Attr("data.aws_iam_policy.by_arn", "name"), "app-read");
  EXPECT_EQ(Attr("data.aws_iam_policy.by_arn", "path"), "/app/");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Six new texts: each a new default version; IAM's five are never exceeded
  for (const char* action : {"s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "sqs:SendMessage",
                             "sqs:ReceiveMessage", "sns:Publish"}) {
    WriteStack(PolicyStack(action));
    EXPECT_EQ(Changes(Apply()), kUpdateAndRead) << action;
    EXPECT_EQ(DefaultAction(arn), action);
    EXPECT_LE(Versions(arn).size(), 5u);
  }
  json versions = Versions(arn);
  ASSERT_EQ(versions.size(), 5u);
  std::set<std::string> ids;
  for (const json& v : versions) ids.insert(v["VersionId"].get<std::string>());
  EXPECT_EQ(ids, (std::set<std::string>{"v3", "v4", "v5", "v6", "v7"}));
  EXPECT_NE(Attr("data.aws_iam_policy.by_name", "policy").find("sns:Publish"), std::string::npos);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new tag changes in place; a new description replaces the policy
  WriteStack(PolicyStack("sns:Publish", "reads", "app-2"));
  EXPECT_EQ(Changes(Apply()), kUpdateAndRead);
  EXPECT_EQ(TagsOf(AwsCli("iam list-policy-tags --policy-arn " + arn)["Tags"])["Name"], "app-2");
  WriteStack(PolicyStack("sns:Publish", "publishes", "app-2"));
  Plan replaced = Apply();
  EXPECT_EQ(ChangeFor(replaced, "aws_iam_policy.read").action, Action::kReplace);
  EXPECT_EQ(AwsCli("iam get-policy --policy-arn " + arn)["Policy"]["Description"], "publishes");
  EXPECT_EQ(Versions(arn).size(), 1u);

  // Import by ARN matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_iam_policy.read").HasErrors());
  Import("aws_iam_policy.read", arn);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy deletes it
  Destroy();
  EXPECT_NE(AwsStatus("iam get-policy --policy-arn " + arn), 0);
}

TEST_F(AwsIamPolicyTest, InterruptedCreateIsAdoptedAndAnotherWorkspacesRefused) {
  // Given a policy create (name from a prefix and the apply's token) never recorded
  std::string stack = "[resource.aws_iam_policy.read]\nname_prefix = \"app-\"\npolicy = " + PolicyText("s3:GetObject") + "\n";
  WriteStack(stack);
  Value planned = Value::Map({{"name_prefix", Value::String("app-")},
                              {"path", Value::String("/")},
                              {"policy", Value::String(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})")}});
  std::string arn = InterruptedCreate("aws_iam_policy", "aws_iam_policy.read", planned);
  ASSERT_TRUE(arn.starts_with("arn:aws:iam::123456789012:policy/app-")) << arn;

  // When applied again it is adopted: one policy
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_iam_policy.read", "arn"), arn);
  EXPECT_EQ(AwsCli("iam list-policies --scope Local")["Policies"].size(), 1u);

  // A fixed name held by another workspace's policy is refused, not taken over
  ExpectTakenByOtherWorkspace(
      "[resource.aws_iam_policy.fixed]\nname = \"fixed\"\npolicy = " + PolicyText("s3:GetObject") + "\n",
      "IAM policy \"fixed\"", [&] {
        return TagsOf(AwsCli("iam list-policy-tags --policy-arn arn:aws:iam::123456789012:policy/fixed")["Tags"]);
      });
}

}  // namespace
}  // namespace reconcile::testing
