// aws_ecs_service through the engine against moto, checked with the aws CLI:
// a Fargate service on a cluster and a task definition, deployed, rolled
// back, scaled, drifted, replaced, imported and deleted.
#include <algorithm>
#include <sstream>

#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

constexpr const char* kTargetGroup =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";

struct ServiceSettings {
  std::string image = "nginx:1.25";
  std::string name = "app";
  int desired_count = 2;
  int minimum_percent = 50;
  int maximum_percent = 150;
  bool public_ip = true;
};

class AwsEcsServiceTest : public AwsStackTest {
 protected:
  // Changes(plan) with its lines sorted (the plan lists independent changes in any order).
  static std::string SortedChanges(const Plan& plan) {
    std::vector<std::string> lines;
    std::istringstream in(Changes(plan));
    for (std::string line; std::getline(in, line);) lines.push_back(line + "\n");
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const std::string& line : lines) out += line;
    return out;
  }

  void SetUp() override {
    AwsStackTest::SetUp();
    // The network the service runs in, made outside the stack.
    std::string vpc = AwsCli("ec2 create-vpc --cidr-block 10.0.0.0/16")["Vpc"]["VpcId"];
    subnet_ = AwsCli("ec2 create-subnet --vpc-id " + vpc +
                     " --cidr-block 10.0.1.0/24")["Subnet"]["SubnetId"];
    group_ = AwsCli("ec2 create-security-group --group-name app --description app --vpc-id " +
                    vpc)["GroupId"];
  }

  // A cluster, a Fargate task definition and a service running it.
  std::string Stack(const ServiceSettings& s) {
    return "[locals]\ncontainers = [{ name = \"web\", image = \"" + s.image +
           "\", portMappings = [{ containerPort = 80 }] }]\n\n"
           "[resource.aws_ecs_cluster.main]\nname = \"web\"\n\n"
           "[resource.aws_ecs_task_definition.app]\nfamily = \"app\"\n"
           "container_definitions = \"${jsonencode(local.containers)}\"\n"
           "requires_compatibilities = [\"FARGATE\"]\nnetwork_mode = \"awsvpc\"\ncpu = "
           "\"256\"\nmemory = \"512\"\n\n"
           "[resource.aws_ecs_service.app]\nname = \"" +
           s.name +
           "\"\n"
           "cluster = \"${aws_ecs_cluster.main.id}\"\n"
           "task_definition = \"${aws_ecs_task_definition.app.arn}\"\n"
           "launch_type = \"FARGATE\"\n"
           "desired_count = " +
           std::to_string(s.desired_count) +
           "\n"
           "deployment_minimum_healthy_percent = " +
           std::to_string(s.minimum_percent) +
           "\n"
           "deployment_maximum_percent = " +
           std::to_string(s.maximum_percent) +
           "\n"
           "network_configuration = { subnets = [\"" +
           subnet_ + "\"], security_groups = [\"" + group_ +
           "\"], assign_public_ip = " + (s.public_ip ? "true" : "false") +
           " }\n"
           "load_balancer = [{ target_group_arn = \"" +
           kTargetGroup +
           "\", container_name = \"web\", container_port = 80 }]\n"
           "tags = { Name = \"app\" }\n";
  }

  // The service as the aws CLI sees it.
  json Describe(const std::string& name) {
    return AwsCli("ecs describe-services --cluster web --services " + name +
                  " --include TAGS")["services"][0];
  }
  // The image of the revision a service runs.
  std::string ImageOf(const json& service) {
    std::string td = service["taskDefinition"];
    return AwsCli("ecs describe-task-definition --task-definition " +
                  td)["taskDefinition"]["containerDefinitions"][0]["image"];
  }

  std::string subnet_;
  std::string group_;
};

TEST_F(AwsEcsServiceTest, CreateDeployRollbackUpdateDriftReplaceImportDelete) {
  // Given a Fargate service behind a target group
  ServiceSettings settings;
  WriteStack(Stack(settings));

  // When applied, ECS runs it as configured
  Plan created = Apply();
  EXPECT_EQ(created.Summary().add, 3) << Changes(created);
  json service = Describe("app");
  EXPECT_EQ(service["status"], "ACTIVE");
  EXPECT_EQ(service["desiredCount"], 2);
  EXPECT_EQ(service["launchType"], "FARGATE");
  EXPECT_EQ(service["clusterArn"], "arn:aws:ecs:us-east-1:123456789012:cluster/web");
  EXPECT_EQ(service["taskDefinition"], "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1");
  json vpc = service["networkConfiguration"]["awsvpcConfiguration"];
  EXPECT_EQ(vpc["subnets"], json::array({subnet_}));
  EXPECT_EQ(vpc["securityGroups"], json::array({group_}));
  EXPECT_EQ(vpc["assignPublicIp"], "ENABLED");
  EXPECT_EQ(service["loadBalancers"][0]["targetGroupArn"], kTargetGroup);
  EXPECT_EQ(service["loadBalancers"][0]["containerPort"], 80);
  EXPECT_EQ(service["deploymentConfiguration"]["minimumHealthyPercent"], 50);
  EXPECT_EQ(service["deploymentConfiguration"]["maximumPercent"], 150);
  EXPECT_EQ(
      service["tags"],
      json::parse(
          R"([{"key":"Name","value":"app"},{"key":"reconcile:address","value":"aws_ecs_service.app"},)"
          R"({"key":"reconcile:stack","value":"awstest"},{"key":"reconcile:workspace","value":"default"}])"));
  EXPECT_EQ(Attr("aws_ecs_service.app", "id"), service["serviceArn"]);

  // A second plan changes nothing
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Deploy: a new image plans a new revision and an in-place service update
  settings.image = "nginx:1.27";
  WriteStack(Stack(settings));
  Plan deploy = PlanChanges();
  EXPECT_EQ(
      SortedChanges(deploy),
      "replace aws_ecs_task_definition.app [container_definitions]\nupdate aws_ecs_service.app\n");
  EXPECT_TRUE(ChangeFor(deploy, "aws_ecs_service.app").after.Find("task_definition")->is_unknown());
  Apply();
  service = Describe("app");
  EXPECT_EQ(service["taskDefinition"], "arn:aws:ecs:us-east-1:123456789012:task-definition/app:2");
  EXPECT_EQ(ImageOf(service), "nginx:1.27");
  EXPECT_EQ(Attr("aws_ecs_service.app", "id"), service["serviceArn"]);
  EXPECT_EQ(
      AwsCli("ecs describe-task-definition --task-definition app:1")["taskDefinition"]["status"],
      "INACTIVE");

  // Rollback: the old image again is another revision and another rolling update
  settings.image = "nginx:1.25";
  WriteStack(Stack(settings));
  EXPECT_EQ(
      SortedChanges(Apply()),
      "replace aws_ecs_task_definition.app [container_definitions]\nupdate aws_ecs_service.app\n");
  service = Describe("app");
  EXPECT_EQ(service["taskDefinition"], "arn:aws:ecs:us-east-1:123456789012:task-definition/app:3");
  EXPECT_EQ(ImageOf(service), "nginx:1.25");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Scaling, deployment percentages and the public IP change in place
  settings.desired_count = 3;
  settings.minimum_percent = 100;
  settings.maximum_percent = 200;
  settings.public_ip = false;
  WriteStack(Stack(settings));
  EXPECT_EQ(Changes(Apply()), "update aws_ecs_service.app\n");
  service = Describe("app");
  EXPECT_EQ(service["desiredCount"], 3);
  EXPECT_EQ(service["deploymentConfiguration"]["minimumHealthyPercent"], 100);
  EXPECT_EQ(service["deploymentConfiguration"]["maximumPercent"], 200);
  EXPECT_EQ(service["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"], "DISABLED");

  // A count changed with the aws CLI is drift, put back
  AwsCli("ecs update-service --cluster web --service app --desired-count 1");
  EXPECT_EQ(Changes(Apply()), "update aws_ecs_service.app\n");
  EXPECT_EQ(Describe("app")["desiredCount"], 3);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new name replaces the service; the old one is drained to INACTIVE
  settings.name = "app2";
  WriteStack(Stack(settings));
  EXPECT_EQ(Changes(Apply()), "replace aws_ecs_service.app [name]\n");
  EXPECT_EQ(Describe("app")["status"], "INACTIVE");
  EXPECT_EQ(Describe("app2")["status"], "ACTIVE");

  // Forgotten and imported as CLUSTER/SERVICE, the state matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_ecs_service.app").HasErrors());
  Import("aws_ecs_service.app", "web/app2");
  EXPECT_EQ(Attr("aws_ecs_service.app", "cluster"), "web");
  EXPECT_EQ(Attr("aws_ecs_service.app", "task_definition"), "app:3");
  EXPECT_EQ(Attr("aws_ecs_service.app", "desired_count"), "3");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroyed, the service goes INACTIVE before its cluster
  Destroy();
  EXPECT_EQ(Describe("app2")["status"], "INACTIVE");
  json clusters = AwsCli("ecs describe-clusters --clusters web")["clusters"];
  EXPECT_EQ(clusters.empty() ? json("<gone>") : clusters[0]["status"], "INACTIVE");
}

TEST_F(AwsEcsServiceTest, InterruptedCreateIsAdoptedNotRepeated) {
  // Given a cluster and task definition, and a service create that reached
  // ECS but was never recorded
  std::string base =
      "[resource.aws_ecs_cluster.main]\nname = \"web\"\n\n"
      "[resource.aws_ecs_task_definition.app]\nfamily = \"app\"\n"
      "container_definitions = '[{\"name\": \"web\", \"image\": \"nginx:1.25\", \"memory\": "
      "128}]'\n";
  WriteStack(base);
  Apply();
  Value planned = Value::Map({{"name", Value::String("app")},
                              {"cluster", Value::String("web")},
                              {"task_definition", Value::String("app:1")},
                              {"launch_type", Value::String("EC2")},
                              {"scheduling_strategy", Value::String("REPLICA")},
                              {"desired_count", Value::Number(1)},
                              {"deployment_minimum_healthy_percent", Value::Number(100)},
                              {"deployment_maximum_percent", Value::Number(200)}});
  std::string arn = InterruptedCreate("aws_ecs_service", "aws_ecs_service.app", planned);
  ASSERT_EQ(arn, "arn:aws:ecs:us-east-1:123456789012:service/web/app");

  // When the stack with the service is applied, the service is adopted, not created again
  WriteStack(
      base +
      "\n[resource.aws_ecs_service.app]\nname = \"app\"\ncluster = "
      "\"${aws_ecs_cluster.main.name}\"\n"
      "task_definition = \"app:${aws_ecs_task_definition.app.revision}\"\nlaunch_type = \"EC2\"\n"
      "desired_count = 1\n");
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_ecs_service.app", "id"), arn);
  EXPECT_EQ(AwsCli("ecs list-services --cluster web")["serviceArns"].size(), 1u);
}

}  // namespace
}  // namespace reconcile::testing
