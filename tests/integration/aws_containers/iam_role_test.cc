// aws_iam_role, aws_iam_role_policy, aws_iam_role_policy_attachment and
// aws_iam_instance_profile through the engine against moto, checked with the
// aws CLI.
#include <algorithm>
#include <cstdlib>

#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

constexpr const char* kEcsTrust =
    "'${jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\","
    " Principal = { Service = \"ecs-tasks.amazonaws.com\" }, Action = \"sts:AssumeRole\" }] })}'";

struct IamSettings {
  std::string role_name = "app-task";
  std::string description = "runs the app";
  int max_session = 7200;
  std::string trust = kEcsTrust;
  std::string actions = "[\"s3:GetObject\"]";
  std::string profile_role = "task";
  std::string policy_arn;
};

class AwsIamRoleTest : public AwsStackTest {
 protected:
  void SetUp() override {
    AwsStackTest::SetUp();
    // Managed policies to attach, made outside the stack (moto has no AWS-managed ones).
    for (const char* name : {"logs-write", "metrics-write"}) {
      json created = AwsCli(
          std::string("iam create-policy --policy-name ") + name +
          " --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          "\"Action\":\"logs:PutLogEvents\",\"Resource\":\"*\"}]}'");
      policies_.push_back(created["Policy"]["Arn"]);
    }
  }

  // Two roles, an inline policy and an attachment on one, a profile carrying one.
  std::string Stack(const IamSettings& s) {
    return "[resource.aws_iam_role.task]\nname = \"" + s.role_name +
           "\"\npath = \"/svc/\"\n"
           "description = \"" +
           s.description + "\"\nmax_session_duration = " + std::to_string(s.max_session) +
           "\n"
           "assume_role_policy = " +
           s.trust +
           "\ntags = { Name = \"task\" }\n\n"
           "[resource.aws_iam_role.node]\nname = \"app-node\"\nassume_role_policy = '{\"Version\": "
           "\"2012-10-17\","
           " \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": "
           "\"ec2.amazonaws.com\"},"
           " \"Action\": \"sts:AssumeRole\"}]}'\n\n"
           "[resource.aws_iam_role_policy.read]\nrole = \"${aws_iam_role.task.name}\"\nname = "
           "\"s3-read\"\n"
           "policy = '${jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", "
           "Action = " +
           s.actions +
           ", Resource = \"*\" }] })}'\n\n"
           "[resource.aws_iam_role_policy_attachment.logs]\nrole = \"${aws_iam_role.task.name}\"\n"
           "policy_arn = \"" +
           (s.policy_arn.empty() ? policies_[0] : s.policy_arn) +
           "\"\n\n"
           "[resource.aws_iam_instance_profile.node]\nname = \"app-node\"\n"
           "role = \"${aws_iam_role." +
           s.profile_role + ".name}\"\ntags = { Name = \"node\" }\n";
  }

  json GetRole(const std::string& name) {
    return AwsCli("iam get-role --role-name " + name)["Role"];
  }
  json TrustOf(const std::string& name) { return GetRole(name)["AssumeRolePolicyDocument"]; }
  std::vector<std::string> RoleNames() {
    std::vector<std::string> names;
    json listed = AwsCli("iam list-roles");
    for (const json& r : listed["Roles"]) names.push_back(r["RoleName"]);
    return names;
  }
  std::vector<std::string> Attached(const std::string& role) {
    std::vector<std::string> arns;
    json listed = AwsCli("iam list-attached-role-policies --role-name " + role);
    for (const json& p : listed["AttachedPolicies"]) arns.push_back(p["PolicyArn"]);
    return arns;
  }
  static std::map<std::string, std::string> Tags(const json& entity) {
    std::map<std::string, std::string> tags;
    for (const json& t : entity["Tags"]) tags[t["Key"]] = t["Value"];
    return tags;
  }
  static std::string Sorted(std::string changes) {
    std::vector<std::string> lines;
    for (std::size_t at = 0; at < changes.size();) {
      std::size_t end = changes.find('\n', at);
      lines.push_back(changes.substr(at, end + 1 - at));
      at = end + 1;
    }
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const std::string& line : lines) out += line;
    return out;
  }

  std::vector<std::string> policies_;
};

TEST_F(AwsIamRoleTest, CreateNoOpUpdateDriftReplaceImportDelete) {
  // Given a role with an inline policy, an attached policy and an instance profile
  IamSettings settings;
  WriteStack(Stack(settings), "default_tags = { team = \"core\" }");

  // When applied, IAM has them as configured
  EXPECT_EQ(Apply().Summary().add, 5);
  json role = GetRole("app-task");
  EXPECT_EQ(role["Path"], "/svc/");
  EXPECT_EQ(role["Description"], "runs the app");
  EXPECT_EQ(role["MaxSessionDuration"], 7200);
  EXPECT_EQ(role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
            "ecs-tasks.amazonaws.com");
  std::map<std::string, std::string> tags = Tags(role);
  EXPECT_EQ(tags["Name"], "task");
  EXPECT_EQ(tags["team"], "core");
  EXPECT_EQ(tags["reconcile:address"], "aws_iam_role.task");
  EXPECT_EQ(Attr("aws_iam_role.task", "arn"), "arn:aws:iam::123456789012:role/svc/app-task");
  EXPECT_EQ(Attr("aws_iam_role.task", "unique_id"), role["RoleId"]);
  json inline_policy =
      AwsCli("iam get-role-policy --role-name app-task --policy-name s3-read")["PolicyDocument"];
  EXPECT_EQ(inline_policy["Statement"][0]["Action"], json::array({"s3:GetObject"}));
  EXPECT_EQ(Attr("aws_iam_role_policy.read", "id"), "app-task:s3-read");
  EXPECT_EQ(Attached("app-task"), std::vector<std::string>{policies_[0]});
  EXPECT_EQ(Attr("aws_iam_role_policy_attachment.logs", "id"), "app-task/" + policies_[0]);
  json profile =
      AwsCli("iam get-instance-profile --instance-profile-name app-node")["InstanceProfile"];
  EXPECT_EQ(profile["Roles"][0]["RoleName"], "app-task");
  EXPECT_EQ(Tags(profile)["Name"], "node");
  EXPECT_EQ(Attr("aws_iam_instance_profile.node", "arn"), profile["Arn"]);

  // A second plan changes nothing; nor does the trust policy written in
  // another shape that means the same (one statement, not a list; a list of one action)
  EXPECT_EQ(Changes(PlanChanges()), "");
  settings.trust =
      "'''{ \"Statement\": { \"Action\": [\"sts:AssumeRole\"], \"Effect\": \"Allow\",\n"
      "  \"Principal\": { \"Service\": [\"ecs-tasks.amazonaws.com\"] } }, \"Version\": "
      "\"2012-10-17\" }'''";
  WriteStack(Stack(settings), "default_tags = { team = \"core\" }");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Description, session length, trust, inline policy and the profile's role
  // change in place; another managed policy replaces the attachment
  settings.description = "runs the app v2";
  settings.max_session = 3600;
  settings.trust =
      "'${jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Principal = "
      "{ Service = [\"ecs-tasks.amazonaws.com\", \"ecs.amazonaws.com\"] }, Action = "
      "\"sts:AssumeRole\" }] })}'";
  settings.actions = "[\"s3:GetObject\", \"s3:ListBucket\"]";
  settings.profile_role = "node";
  settings.policy_arn = policies_[1];
  WriteStack(Stack(settings), "default_tags = { team = \"core\" }");
  EXPECT_EQ(Sorted(Changes(Apply())),
            "replace aws_iam_role_policy_attachment.logs [policy_arn]\nupdate "
            "aws_iam_instance_profile.node\n"
            "update aws_iam_role.task\nupdate aws_iam_role_policy.read\n");
  role = GetRole("app-task");
  EXPECT_EQ(role["Description"], "runs the app v2");
  EXPECT_EQ(role["MaxSessionDuration"], 3600);
  EXPECT_EQ(role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"].size(), 2u);
  EXPECT_EQ(
      AwsCli("iam get-role-policy --role-name app-task --policy-name s3-read")["PolicyDocument"]
                                                                              ["Statement"][0]
                                                                              ["Action"],
      json::array({"s3:GetObject", "s3:ListBucket"}));
  EXPECT_EQ(Attached("app-task"), std::vector<std::string>{policies_[1]});
  EXPECT_EQ(
      AwsCli("iam get-instance-profile --instance-profile-name app-node")["InstanceProfile"]
                                                                         ["Roles"][0]["RoleName"],
      "app-node");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Changes made with the aws CLI are drift: trust and tag, a deleted inline
  // policy and a detached managed policy all come back
  AwsCli(
      "iam update-assume-role-policy --role-name app-task --policy-document "
      "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":{\"Service\":"
      "\"ecs.amazonaws.com\"},"
      "\"Action\":\"sts:AssumeRole\"}]}'");
  AwsCli("iam untag-role --role-name app-task --tag-keys Name");
  AwsCli("iam delete-role-policy --role-name app-task --policy-name s3-read");
  AwsCli("iam detach-role-policy --role-name app-task --policy-arn " + policies_[1]);
  EXPECT_EQ(Sorted(Changes(Apply())),
            "create aws_iam_role_policy.read\ncreate aws_iam_role_policy_attachment.logs\nupdate "
            "aws_iam_role.task\n");
  role = GetRole("app-task");
  EXPECT_EQ(role["AssumeRolePolicyDocument"]["Statement"][0]["Effect"], "Allow");
  EXPECT_EQ(Tags(role)["Name"], "task");
  EXPECT_EQ(Attached("app-task"), std::vector<std::string>{policies_[1]});
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new role name replaces the role and what hangs on it by name
  settings.role_name = "app-task-2";
  WriteStack(Stack(settings), "default_tags = { team = \"core\" }");
  EXPECT_EQ(Sorted(Changes(Apply())),
            "replace aws_iam_role.task [name]\nreplace aws_iam_role_policy.read [role]\n"
            "replace aws_iam_role_policy_attachment.logs [role]\n");
  std::vector<std::string> names = RoleNames();
  EXPECT_EQ(std::count(names.begin(), names.end(), "app-task"), 0);
  EXPECT_EQ(std::count(names.begin(), names.end(), "app-task-2"), 1);
  EXPECT_EQ(Attached("app-task-2"), std::vector<std::string>{policies_[1]});

  // Forgotten and imported by their ids, the state matches the configuration
  for (const char* address :
       {"aws_iam_role.task", "aws_iam_role_policy.read", "aws_iam_role_policy_attachment.logs",
        "aws_iam_instance_profile.node"})
    ASSERT_FALSE(RemoveFromState(address).HasErrors());
  Import("aws_iam_role.task", "app-task-2");
  Import("aws_iam_role_policy.read", "app-task-2:s3-read");
  Import("aws_iam_role_policy_attachment.logs", "app-task-2/" + policies_[1]);
  Import("aws_iam_instance_profile.node", "app-node");
  EXPECT_EQ(Attr("aws_iam_role.task", "tags"), R"({"Name":"task"})");
  EXPECT_EQ(Attr("aws_iam_instance_profile.node", "role"), "app-node");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroyed, every role and profile is gone
  Destroy();
  EXPECT_EQ(RoleNames(), std::vector<std::string>{});
  EXPECT_EQ(AwsCli("iam list-instance-profiles")["InstanceProfiles"].size(), 0u);
}

TEST_F(AwsIamRoleTest, ErrorsNameTheAddressAndTheAwsCode) {
  // Given an inline policy for a role that does not exist (IAM is waited on only briefly)
  setenv("RECONCILE_AWS_READ_AFTER_CREATE_MS", "300", 1);
  WriteStack(
      "[resource.aws_iam_role_policy.orphan]\nrole = \"no-such-role\"\nname = \"p\"\n"
      "policy = '{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", "
      "\"Resource\": \"*\"}]}'\n");

  // When applied, the error names the resource and IAM's code
  Diagnostics diags = ApplyAllowingErrors();
  unsetenv("RECONCILE_AWS_READ_AFTER_CREATE_MS");
  ASSERT_TRUE(diags.HasErrors());
  std::string text = diags.ToString();
  EXPECT_NE(text.find("aws_iam_role_policy.orphan"), std::string::npos) << text;
  EXPECT_NE(text.find("NoSuchEntity"), std::string::npos) << text;
  EXPECT_TRUE(StateOf("aws_iam_role_policy.orphan").is_null());

  // and a trust policy that is not JSON is refused at plan time
  WriteStack("[resource.aws_iam_role.bad]\nname = \"bad\"\nassume_role_policy = \"{not json\"\n");
  text = ApplyAllowingErrors().ToString();
  EXPECT_NE(text.find("assume_role_policy of aws_iam_role.bad is not a policy document"),
            std::string::npos)
      << text;
  EXPECT_EQ(RoleNames(), std::vector<std::string>{});
}

TEST_F(AwsIamRoleTest, InterruptedCreateWithNamePrefixIsAdoptedNotRepeated) {
  // Given a role create under a generated name that reached IAM but was never recorded
  WriteStack("[resource.aws_iam_role.task]\nname_prefix = \"app-\"\nassume_role_policy = " +
             std::string(kEcsTrust) + "\n");
  Value planned = Value::Map(
      {{"name_prefix", Value::String("app-")},
       {"path", Value::String("/")},
       {"assume_role_policy",
        Value::String(
            R"({"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow",)"
            R"("Principal":{"Service":"ecs-tasks.amazonaws.com"}}],"Version":"2012-10-17"})")},
       {"max_session_duration", Value::Number(3600)}});
  std::string name = InterruptedCreate("aws_iam_role", "aws_iam_role.task", planned);
  ASSERT_TRUE(name.starts_with("app-")) << name;

  // When applied again, the next apply makes the same name and adopts the role
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_iam_role.task", "name"), name);
  EXPECT_EQ(RoleNames(), std::vector<std::string>{name});
}

}  // namespace
}  // namespace reconcile::testing
