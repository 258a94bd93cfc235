// Ownership of IAM roles and instance profiles, log groups, ECS clusters,
// services and task definitions against moto: a name another workspace's
// object (or one reconcile did not make) holds is an error naming it and its
// owner, never a takeover; this instance's own object (a create whose answer
// was lost) is adopted.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

constexpr const char* kTrust =
    "'{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": "
    "{\"Service\": \"ecs-tasks.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}'";
constexpr const char* kTrustJson =
    "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": "
    "{\"Service\": \"ecs-tasks.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";
constexpr const char* kContainers =
    "[{\"name\": \"web\", \"image\": \"nginx:1.25\", \"memory\": 128}]";

Value S(const std::string& s) { return Value::String(s); }

class AwsOwnershipTest : public AwsStackTest {
 protected:
  std::map<std::string, std::string> RoleTags(const std::string& name) {
    return TagsOf(AwsCli("iam list-role-tags --role-name " + name)["Tags"]);
  }
  std::map<std::string, std::string> ProfileTags(const std::string& name) {
    return TagsOf(AwsCli("iam get-instance-profile --instance-profile-name " +
                         name)["InstanceProfile"]["Tags"]);
  }
  std::map<std::string, std::string> LogGroupTags(const std::string& name) {
    return AwsCli("logs list-tags-log-group --log-group-name " + name)["tags"];
  }
  std::map<std::string, std::string> ClusterTags(const std::string& name) {
    json clusters = AwsCli("ecs describe-clusters --clusters " + name + " --include TAGS");
    return TagsOf(clusters["clusters"][0]["tags"], "key", "value");
  }
  std::map<std::string, std::string> ServiceTags(const std::string& cluster,
                                                 const std::string& name) {
    json services = AwsCli("ecs describe-services --cluster " + cluster + " --services " + name +
                           " --include TAGS");
    return TagsOf(services["services"][0]["tags"], "key", "value");
  }
  // Revision → status, ownership workspace of every revision of `family`.
  std::map<std::string, std::string> Revisions(const std::string& family) {
    std::map<std::string, std::string> out;
    for (const char* status : {"ACTIVE", "INACTIVE"}) {
      json listed = AwsCli("ecs list-task-definitions --family-prefix " + family + " --status " +
                           status);
      for (const json& arn : listed["taskDefinitionArns"]) {
        json td = AwsCli("ecs describe-task-definition --task-definition " +
                         arn.get<std::string>() + " --include TAGS");
        std::string revision = std::to_string(td["taskDefinition"]["revision"].get<int>());
        out[revision] =
            std::string(status) + " " + TagsOf(td["tags"], "key", "value")["reconcile:workspace"];
      }
    }
    return out;
  }
};

TEST_F(AwsOwnershipTest, IamRoleOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace(
      std::string("[resource.aws_iam_role.app]\nname = \"app\"\nassume_role_policy = ") + kTrust,
      "IAM role \"app\"", [&] { return RoleTags("app"); });
}

TEST_F(AwsOwnershipTest, IamInstanceProfileOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace("[resource.aws_iam_instance_profile.app]\nname = \"app\"\n",
                              "IAM instance profile \"app\"", [&] { return ProfileTags("app"); });
}

TEST_F(AwsOwnershipTest, LogGroupOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace("[resource.aws_cloudwatch_log_group.app]\nname = \"/app/web\"\n",
                              "log group \"/app/web\"", [&] { return LogGroupTags("/app/web"); });
}

TEST_F(AwsOwnershipTest, EcsClusterOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace("[resource.aws_ecs_cluster.main]\nname = \"shared\"\n",
                              "ECS cluster \"shared\"", [&] { return ClusterTags("shared"); });
}

TEST_F(AwsOwnershipTest, EcsServiceOfAnotherWorkspaceIsRefused) {
  AwsCli("ecs create-cluster --cluster-name platform");
  ExpectTakenByOtherWorkspace(
      "[resource.aws_ecs_service.api]\nname = \"api\"\ncluster = \"platform\"\n",
      "ECS service \"api\"", [&] { return ServiceTags("platform", "api"); });
}

TEST_F(AwsOwnershipTest, TaskDefinitionRevisionsStayWithTheirWorkspace) {
  // Given a task definition family registered by workspace default
  std::string stack = std::string("[resource.aws_ecs_task_definition.app]\nfamily = \"app\"\n") +
                      "container_definitions = '" + kContainers + "'\n";
  WriteStack(stack);
  Apply();

  // When workspace prod, its first create interrupted before it reached ECS,
  // applies the same family
  UseWorkspace("prod");
  PendingCreate("aws_ecs_task_definition", "aws_ecs_task_definition.app",
                Value::Map({{"family", S("app")}, {"container_definitions", S(kContainers)}}));
  Apply();

  // Then it registered a revision of its own instead of adopting default's
  EXPECT_EQ(Attr("aws_ecs_task_definition.app", "revision"), "2");
  std::map<std::string, std::string> both = {{"1", "ACTIVE default"}, {"2", "ACTIVE prod"}};
  EXPECT_EQ(Revisions("app"), both);

  // and its destroy deregisters only that one
  Destroy();
  std::map<std::string, std::string> after = {{"1", "ACTIVE default"}, {"2", "INACTIVE prod"}};
  EXPECT_EQ(Revisions("app"), after);
}

TEST_F(AwsOwnershipTest, ObjectsNotMadeByReconcileAreRefused) {
  // Given a role, a log group and a cluster made outside reconcile
  AwsCli(std::string("iam create-role --role-name legacy --assume-role-policy-document '") +
         kTrustJson + "'");
  AwsCli("logs create-log-group --log-group-name /legacy");
  AwsCli("ecs create-cluster --cluster-name legacy");

  // When stacks name them, each apply is refused and the object left alone
  ExpectUnmanagedRefused(
      std::string("[resource.aws_iam_role.app]\nname = \"legacy\"\nassume_role_policy = ") +
          kTrust,
      "IAM role \"legacy\"", [&] { return RoleTags("legacy"); });
  ExpectUnmanagedRefused("[resource.aws_cloudwatch_log_group.app]\nname = \"/legacy\"\n",
                         "log group \"/legacy\"", [&] { return LogGroupTags("/legacy"); });
  ExpectUnmanagedRefused("[resource.aws_ecs_cluster.main]\nname = \"legacy\"\n",
                         "ECS cluster \"legacy\"", [&] { return ClusterTags("legacy"); });
}

TEST_F(AwsOwnershipTest, RepeatedCreatesAdoptWhatTheFirstMade) {
  ExpectRepeatedCreateAdopted("aws_iam_role", "aws_iam_role.app",
                              Value::Map({{"name", S("app")},
                                   {"path", S("/")},
                                   {"assume_role_policy", S(kTrustJson)},
                                   {"max_session_duration", Value::Number(3600)}}));
  ExpectRepeatedCreateAdopted("aws_iam_instance_profile", "aws_iam_instance_profile.app",
                              Value::Map({{"name", S("app")}, {"path", S("/")}, {"role", S("app")}}));
  ExpectRepeatedCreateAdopted("aws_cloudwatch_log_group", "aws_cloudwatch_log_group.app",
                              Value::Map({{"name", S("/app/web")}}));
  ExpectRepeatedCreateAdopted("aws_ecs_cluster", "aws_ecs_cluster.main",
                              Value::Map({{"name", S("shared")}}));
  ExpectRepeatedCreateAdopted(
      "aws_ecs_service", "aws_ecs_service.api",
      Value::Map({{"name", S("api")}, {"cluster", S("shared")}, {"desired_count", Value::Number(0)},
           {"scheduling_strategy", S("REPLICA")}}));
}

}  // namespace
}  // namespace reconcile::testing
