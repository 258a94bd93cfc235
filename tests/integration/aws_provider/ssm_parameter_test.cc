// aws_ssm_parameter through the engine against moto, checked with the aws CLI.
#include "aws/call_stats.h"
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string ParameterStack(const std::string& type, const std::string& value,
                           const std::string& description, const std::string& extra = "") {
  return "[resource.aws_ssm_parameter.db]\nname = \"/app/db\"\ntype = \"" + type + "\"\nvalue = \"" +
         value + "\"\ndescription = \"" + description + "\"\ntags = { Name = \"db\" }\n" + extra;
}

class AwsSsmParameterTest : public AwsStackTest {
 protected:
  json GetParameter(const std::string& name) {
    return AwsCli("ssm get-parameter --with-decryption --name " + name)["Parameter"];
  }
  std::string Description(const std::string& name) {
    json described = AwsCli("ssm describe-parameters --parameter-filters Key=Name,Values=" + name);
    return described["Parameters"][0].value("Description", "");
  }
  std::map<std::string, std::string> Tags(const std::string& name) {
    std::map<std::string, std::string> tags;
    json listed = AwsCli("ssm list-tags-for-resource --resource-type Parameter --resource-id " + name);
    for (const json& tag : listed["TagList"]) tags[tag["Key"]] = tag["Value"];
    return tags;
  }
};

TEST_F(AwsSsmParameterTest, CreateNoOpUpdateDriftReplaceImportDelete) {
  // Given a SecureString parameter
  WriteStack(ParameterStack("SecureString", "s3cr3t-one", "database password"),
             "default_tags = { team = \"core\" }");

  // When applied, SSM holds the value, description and tags
  Plan created = Apply();
  EXPECT_EQ(Changes(created), "create aws_ssm_parameter.db\n");
  json parameter = GetParameter("/app/db");
  EXPECT_EQ(parameter["Value"], "s3cr3t-one");
  EXPECT_EQ(parameter["Type"], "SecureString");
  EXPECT_EQ(Description("/app/db"), "database password");
  std::map<std::string, std::string> tags = Tags("/app/db");
  EXPECT_EQ(tags["Name"], "db");
  EXPECT_EQ(tags["team"], "core");
  EXPECT_EQ(tags["reconcile:address"], "aws_ssm_parameter.db");
  // and the value is sensitive in state and never rendered in the plan
  Value state = StateOf("aws_ssm_parameter.db");
  ASSERT_TRUE(state.Find("value") != nullptr);
  EXPECT_TRUE(state.Find("value")->sensitive());
  EXPECT_EQ(RenderPlan(created, {}).find("s3cr3t-one"), std::string::npos);
  EXPECT_EQ(Attr("aws_ssm_parameter.db", "version"), "1");
  EXPECT_EQ(Attr("aws_ssm_parameter.db", "arn"), parameter["ARN"]);

  // A second plan changes nothing
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new value and description update the parameter in place (a new version)
  WriteStack(ParameterStack("SecureString", "s3cr3t-two", "rotated"), "default_tags = { team = \"core\" }");
  EXPECT_EQ(Changes(Apply()), "update aws_ssm_parameter.db\n");
  EXPECT_EQ(GetParameter("/app/db")["Value"], "s3cr3t-two");
  EXPECT_EQ(Description("/app/db"), "rotated");
  EXPECT_EQ(Attr("aws_ssm_parameter.db", "version"), "2");

  // A value changed with the aws CLI is drift: planned and put back
  AwsCli("ssm put-parameter --name /app/db --type SecureString --value changed-outside --overwrite");
  AwsCli("ssm remove-tags-from-resource --resource-type Parameter --resource-id /app/db --tag-keys Name");
  Plan drift = Apply();
  EXPECT_EQ(Changes(drift), "update aws_ssm_parameter.db\n");
  EXPECT_EQ(RenderPlan(drift, {}).find("changed-outside"), std::string::npos);
  EXPECT_EQ(GetParameter("/app/db")["Value"], "s3cr3t-two");
  EXPECT_EQ(Tags("/app/db")["Name"], "db");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new data type replaces the parameter, naming the attribute
  WriteStack(ParameterStack("String", "plain", "rotated", "data_type = \"text\"\n"),
             "default_tags = { team = \"core\" }");
  EXPECT_EQ(Changes(PlanChanges()), "update aws_ssm_parameter.db\n");
  WriteStack("[resource.aws_ssm_parameter.db]\nname = \"/app/db2\"\ntype = \"String\"\nvalue = \"plain\"\n");
  EXPECT_EQ(Changes(Apply()), "replace aws_ssm_parameter.db [name]\n");
  EXPECT_EQ(GetParameter("/app/db2")["Value"], "plain");
  EXPECT_EQ(AwsCli("ssm get-parameters --names /app/db")["InvalidParameters"][0], "/app/db");

  // Import by name after the state forgets it matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_ssm_parameter.db").HasErrors());
  Import("aws_ssm_parameter.db", "/app/db2");
  EXPECT_EQ(Attr("aws_ssm_parameter.db", "name"), "/app/db2");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Removing it from the configuration deletes it
  WriteStack("");
  EXPECT_EQ(Changes(Apply()), "delete aws_ssm_parameter.db\n");
  EXPECT_EQ(AwsCli("ssm get-parameters --names /app/db2")["InvalidParameters"][0], "/app/db2");
}

TEST_F(AwsSsmParameterTest, RefreshOfHundredParametersMakesAtMostFifteenCalls) {
  // Given 100 tagged parameters under management
  WriteStack(
      "[resource.aws_ssm_parameter.many]\ncount = 100\nname = \"/bulk/p${count.index}\"\n"
      "type = \"String\"\nvalue = \"v${count.index}\"\ntags = { Name = \"p${count.index}\" }\n");
  Plan created = Apply();
  ASSERT_EQ(created.Summary().add, 100);

  // When state is refreshed
  aws::CallStats::Reset();
  Refresh();

  // Then values came 10 names a call, tags in bulk, and 15 calls at most in all
  EXPECT_EQ(aws::CallStats::Calls("ssm", "GetParameters"), 10u) << aws::CallStats::Format();
  EXPECT_EQ(aws::CallStats::Calls("ssm", "DescribeParameters"), 0u) << aws::CallStats::Format();
  EXPECT_LE(aws::CallStats::TotalCalls(), 15u) << aws::CallStats::Format();
  RecordProperty("refresh_calls", static_cast<int>(aws::CallStats::TotalCalls()));
  EXPECT_EQ(Attr("aws_ssm_parameter.many[42]", "tags"), R"({"Name":"p42"})");

  // and a value changed outside shows up in the next plan
  AwsCli("ssm put-parameter --name /bulk/p7 --type String --value other --overwrite");
  EXPECT_EQ(Changes(PlanChanges()), "update aws_ssm_parameter.many[7]\n");
}

TEST_F(AwsSsmParameterTest, CreateRecordsWhatAReadWouldWithoutReadingBack) {
  // Given a String parameter with every optional attribute but the key
  WriteStack(ParameterStack("String", "v-1", "pattern checked", "allowed_pattern = \"^v-[0-9]+$\"\ntier = \"Standard\"\n"),
             "default_tags = { team = \"core\" }");

  // When applied, the create makes one SSM call: no read back
  aws::CallStats::Reset();
  ASSERT_EQ(Changes(Apply()), "create aws_ssm_parameter.db\n");
  EXPECT_EQ(aws::CallStats::Calls("ssm", "PutParameter"), 1u) << aws::CallStats::Format();
  EXPECT_EQ(aws::CallStats::Calls("ssm", "GetParameters"), 0u) << aws::CallStats::Format();
  EXPECT_EQ(aws::CallStats::Calls("ssm", "DescribeParameters"), 0u) << aws::CallStats::Format();
  Value created = StateOf("aws_ssm_parameter.db");

  // Then the recorded state is exactly what a full read (an import) finds
  ASSERT_FALSE(RemoveFromState("aws_ssm_parameter.db").HasErrors());
  Import("aws_ssm_parameter.db", "/app/db");
  Value imported = StateOf("aws_ssm_parameter.db");
  EXPECT_EQ(ToJson(created), ToJson(imported));
  EXPECT_TRUE(created == imported);
  EXPECT_EQ(Attr("aws_ssm_parameter.db", "data_type"), "text");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A SecureString without a key is read back: only a read names the default key
  WriteStack("[resource.aws_ssm_parameter.secret]\nname = \"/app/secret\"\ntype = \"SecureString\"\n"
             "value = \"s\"\n");
  aws::CallStats::Reset();
  ASSERT_EQ(Changes(Apply()), "delete aws_ssm_parameter.db\ncreate aws_ssm_parameter.secret\n");
  EXPECT_GE(aws::CallStats::Calls("ssm", "GetParameters"), 1u) << aws::CallStats::Format();
  EXPECT_EQ(Changes(PlanChanges()), "");
}

TEST_F(AwsSsmParameterTest, InterruptedCreateIsAdoptedNotRepeated) {
  // Given a parameter create that reached SSM but was never recorded
  WriteStack("[resource.aws_ssm_parameter.db]\nname = \"/app/adopt\"\ntype = \"String\"\nvalue = \"x\"\n");
  Value planned = Value::Map({{"name", Value::String("/app/adopt")},
                              {"type", Value::String("String")},
                              {"value", Value::String("x")}});
  ASSERT_EQ(InterruptedCreate("aws_ssm_parameter", "aws_ssm_parameter.db", planned), "/app/adopt");

  // When applied again, the parameter is adopted (a second PutParameter would fail)
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_ssm_parameter.db", "id"), "/app/adopt");
  EXPECT_EQ(Attr("aws_ssm_parameter.db", "version"), "1");
}

}  // namespace
}  // namespace reconcile::testing
