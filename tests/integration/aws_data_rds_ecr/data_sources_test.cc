// data aws_ecs_task_definition, aws_ecs_service and aws_db_instance reading
// what another stack made (here the aws CLI), through the engine against moto.
#include <cstdlib>

#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

class AwsLookupTest : public AwsStackTest {};

TEST_F(AwsLookupTest, TaskDefinitionServiceAndDatabaseOfAnotherStack) {
  // Given a cluster, two revisions of a task definition, a service and a database made elsewhere
  AwsCli("ecs create-cluster --cluster-name shared");
  const std::string containers = R"('[{"name":"web","image":"nginx:1","memory":128,"essential":true}]')";
  AwsCli("ecs register-task-definition --family web --network-mode awsvpc --cpu 256 --memory 512 "
         "--requires-compatibilities FARGATE --container-definitions " + containers);
  json second = AwsCli("ecs register-task-definition --family web --network-mode awsvpc --cpu 512 --memory 1024 "
                       "--requires-compatibilities FARGATE --container-definitions " + containers)["taskDefinition"];
  std::string service_arn = AwsCli("ecs create-service --cluster shared --service-name web --task-definition web:1 "
                                   "--desired-count 3 --launch-type FARGATE --tags key=Team,value=web")["service"]["serviceArn"];
  json db = AwsCli("rds create-db-instance --db-instance-identifier shared-db --engine postgres "
                   "--db-instance-class db.t3.micro --allocated-storage 20 --master-username app "
                   "--master-user-password secret-pw --tags Key=Team,Value=data --endpoint-url " +
                   std::string(std::getenv("AWS_ENDPOINT_URL")))["DBInstance"];

  // When a stack reads them and passes them on
  WriteStack(R"(
[data.aws_ecs_task_definition.latest]
task_definition = "web"

[data.aws_ecs_task_definition.first]
task_definition = "web:1"

[data.aws_ecs_service.web]
service_name = "web"
cluster_arn = "shared"

[data.aws_db_instance.shared]
db_instance_identifier = "shared-db"

[resource.aws_ssm_parameter.db_endpoint]
name = "/app/db-endpoint"
type = "String"
value = "${data.aws_db_instance.shared.endpoint}"
)");
  Apply();

  // Then each reads what the other stack made
  EXPECT_EQ(Attr("data.aws_ecs_task_definition.latest", "arn"), second["taskDefinitionArn"]);
  EXPECT_EQ(Attr("data.aws_ecs_task_definition.latest", "revision"), "2");
  EXPECT_EQ(Attr("data.aws_ecs_task_definition.latest", "cpu"), "512");
  EXPECT_EQ(Attr("data.aws_ecs_task_definition.latest", "arn_without_revision"),
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web");
  EXPECT_EQ(Attr("data.aws_ecs_task_definition.first", "revision"), "1");
  EXPECT_EQ(Attr("data.aws_ecs_task_definition.first", "network_mode"), "awsvpc");
  EXPECT_NE(Attr("data.aws_ecs_task_definition.first", "container_definitions").find("nginx:1"), std::string::npos);

  EXPECT_EQ(Attr("data.aws_ecs_service.web", "arn"), service_arn);
  EXPECT_EQ(Attr("data.aws_ecs_service.web", "desired_count"), "3");
  EXPECT_EQ(Attr("data.aws_ecs_service.web", "launch_type"), "FARGATE");
  EXPECT_EQ(Attr("data.aws_ecs_service.web", "task_definition"),
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");
  EXPECT_EQ(Attr("data.aws_ecs_service.web", "tags"), R"({"Team":"web"})");

  std::string endpoint = db["Endpoint"]["Address"].get<std::string>() + ":5432";
  EXPECT_EQ(Attr("data.aws_db_instance.shared", "endpoint"), endpoint);
  EXPECT_EQ(Attr("data.aws_db_instance.shared", "db_instance_arn"), db["DBInstanceArn"]);
  EXPECT_EQ(Attr("data.aws_db_instance.shared", "db_instance_class"), "db.t3.micro");
  EXPECT_EQ(Attr("data.aws_db_instance.shared", "master_username"), "app");
  EXPECT_EQ(Attr("data.aws_db_instance.shared", "port"), "5432");
  EXPECT_EQ(Attr("data.aws_db_instance.shared", "tags"), R"({"Team":"data"})");
  EXPECT_EQ(AwsCli("ssm get-parameter --name /app/db-endpoint")["Parameter"]["Value"], endpoint);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // and what does not exist is an error naming it
  WriteStack("[data.aws_ecs_service.gone]\nservice_name = \"api\"\ncluster_arn = \"shared\"\n\n"
             "[data.aws_db_instance.gone]\ndb_instance_identifier = \"nope\"\n");
  std::string errors = ApplyAllowingErrors().ToString();
  EXPECT_NE(errors.find("No ECS service api in cluster shared"), std::string::npos) << errors;
  EXPECT_NE(errors.find("No RDS DB instance nope"), std::string::npos) << errors;
}

}  // namespace
}  // namespace reconcile::testing
