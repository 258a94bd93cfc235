// aws_ecs_task_definition through the engine against moto, checked with the
// aws CLI: revisions, semantic container definitions, volumes, roles.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

// A task definition for the EC2 launch type with a host and an EFS volume;
// `containers` is the container_definitions value (an expression or text).
std::string TaskStack(const std::string& image, const std::string& name_tag,
                      const std::string& containers = "\"${jsonencode(local.containers)}\"",
                      const std::string& extra = "") {
  return "[locals]\ncontainers = [{ name = \"web\", image = \"" + image +
         "\", memory = 256, portMappings = [{ containerPort = 80 }],"
         " environment = [{ name = \"MODE\", value = \"prod\" }, { name = \"LEVEL\", value = "
         "\"info\" }] }]\n\n"
         "[resource.aws_ecs_task_definition.app]\nfamily = \"app\"\n"
         "container_definitions = " +
         containers +
         "\n"
         "requires_compatibilities = [\"EC2\"]\nnetwork_mode = \"awsvpc\"\ncpu = 256\nmemory = "
         "\"512\"\n"
         "execution_role_arn = \"arn:aws:iam::123456789012:role/exec\"\n"
         "task_role_arn = \"arn:aws:iam::123456789012:role/task\"\n"
         "volume = [{ name = \"data\", host_path = \"/srv/data\" },\n"
         "  { name = \"certs\", efs_volume_configuration = { file_system_id = \"fs-12345678\","
         " root_directory = \"/certs\", transit_encryption = \"ENABLED\", transit_encryption_port "
         "= 2999 } }]\n"
         "tags = { Name = \"" +
         name_tag + "\" }\n" + extra;
}

// The same containers as TaskStack's, written by hand in another order with
// the defaults ECS fills in spelt out.
constexpr const char* kReformatted =
    "'''\n[\n  {\n    \"essential\": true, \"cpu\": 0, \"name\": \"web\", \"memory\": 256,\n"
    "    \"image\": \"nginx:1.25\",\n    \"environment\": [{\"value\": \"info\", \"name\": "
    "\"LEVEL\"},"
    " {\"name\": \"MODE\", \"value\": \"prod\"}],\n"
    "    \"portMappings\": [{\"containerPort\": 80, \"hostPort\": 80, \"protocol\": \"tcp\"}],\n"
    "    \"mountPoints\": []\n  }\n]\n'''";

class AwsEcsTaskDefinitionTest : public AwsStackTest {
 protected:
  json Describe(const std::string& which) {
    return AwsCli("ecs describe-task-definition --task-definition " + which + " --include TAGS");
  }
  static std::string Tag(const json& described, const std::string& key) {
    for (const json& t : described["tags"])
      if (t["key"] == key) return t["value"];
    return "<absent>";
  }
};

TEST_F(AwsEcsTaskDefinitionTest, RevisionsNoOpTagsReplaceDriftImportSkipDestroy) {
  // Given a task definition with two volumes, roles and a tag
  WriteStack(TaskStack("nginx:1.25", "app"));

  // When applied, revision 1 is registered as configured
  EXPECT_EQ(Changes(Apply()), "create aws_ecs_task_definition.app\n");
  json described = Describe("app:1");
  json td = described["taskDefinition"];
  EXPECT_EQ(td["containerDefinitions"][0]["image"], "nginx:1.25");
  EXPECT_EQ(td["containerDefinitions"][0]["environment"].size(), 2u);
  EXPECT_EQ(td["requiresCompatibilities"], json::array({"EC2"}));
  EXPECT_EQ(td["networkMode"], "awsvpc");
  EXPECT_EQ(td["cpu"], "256");
  EXPECT_EQ(td["memory"], "512");
  EXPECT_EQ(td["executionRoleArn"], "arn:aws:iam::123456789012:role/exec");
  EXPECT_EQ(td["taskRoleArn"], "arn:aws:iam::123456789012:role/task");
  std::map<std::string, json> volumes;
  for (const json& v : td["volumes"]) volumes[v["name"]] = v;
  ASSERT_EQ(volumes.size(), 2u);
  EXPECT_EQ(volumes["data"]["host"]["sourcePath"], "/srv/data");
  json efs = volumes["certs"]["efsVolumeConfiguration"];
  EXPECT_EQ(efs["fileSystemId"], "fs-12345678");
  EXPECT_EQ(efs["rootDirectory"], "/certs");
  EXPECT_EQ(efs["transitEncryption"], "ENABLED");
  EXPECT_EQ(efs["transitEncryptionPort"], 2999);
  EXPECT_EQ(Tag(described, "Name"), "app");
  EXPECT_EQ(Tag(described, "reconcile:address"), "aws_ecs_task_definition.app");
  EXPECT_EQ(Attr("aws_ecs_task_definition.app", "id"), "app");
  EXPECT_EQ(Attr("aws_ecs_task_definition.app", "arn"),
            "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1");
  EXPECT_EQ(Attr("aws_ecs_task_definition.app", "arn_without_revision"),
            "arn:aws:ecs:us-east-1:123456789012:task-definition/app");
  EXPECT_EQ(Attr("aws_ecs_task_definition.app", "revision"), "1");

  // A second plan changes nothing, and neither does the same containers
  // written by hand with ECS's defaults, other key order and whitespace
  EXPECT_EQ(Changes(PlanChanges()), "");
  WriteStack(TaskStack("nginx:1.25", "app", kReformatted));
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A tag changes in place: no new revision
  WriteStack(TaskStack("nginx:1.25", "app-2"));
  EXPECT_EQ(Changes(Apply()), "update aws_ecs_task_definition.app\n");
  EXPECT_EQ(Attr("aws_ecs_task_definition.app", "revision"), "1");
  EXPECT_EQ(Tag(Describe("app:1"), "Name"), "app-2");

  // A new image registers revision 2 and deregisters revision 1
  WriteStack(TaskStack("nginx:1.27", "app-2"));
  EXPECT_EQ(Changes(Apply()), "replace aws_ecs_task_definition.app [container_definitions]\n");
  EXPECT_EQ(Attr("aws_ecs_task_definition.app", "revision"), "2");
  EXPECT_EQ(Describe("app:2")["taskDefinition"]["containerDefinitions"][0]["image"], "nginx:1.27");
  EXPECT_EQ(Describe("app:1")["taskDefinition"]["status"], "INACTIVE");

  // A revision deregistered outside reconcile is gone: the plan registers a new one
  AwsCli("ecs deregister-task-definition --task-definition app:2");
  EXPECT_EQ(Changes(Apply()), "create aws_ecs_task_definition.app\n");
  EXPECT_EQ(Attr("aws_ecs_task_definition.app", "revision"), "3");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Forgotten and imported by ARN, the state matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_ecs_task_definition.app").HasErrors());
  Import("aws_ecs_task_definition.app", "arn:aws:ecs:us-east-1:123456789012:task-definition/app:3");
  EXPECT_EQ(Attr("aws_ecs_task_definition.app", "revision"), "3");
  EXPECT_EQ(Attr("aws_ecs_task_definition.app", "tags"), R"({"Name":"app-2"})");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // With skip_destroy, removing it from the configuration keeps the revision
  WriteStack(TaskStack("nginx:1.27", "app-2", "\"${jsonencode(local.containers)}\"",
                       "skip_destroy = true\n"));
  EXPECT_EQ(Changes(Apply()), "update aws_ecs_task_definition.app\n");
  WriteStack("");
  EXPECT_EQ(Changes(Apply()), "delete aws_ecs_task_definition.app\n");
  EXPECT_EQ(Describe("app:3")["taskDefinition"]["status"], "ACTIVE");
}

TEST_F(AwsEcsTaskDefinitionTest, ContainerDefinitionsThatAreNotAListAreAPlanError) {
  // Given container definitions that are a JSON object, not an array
  WriteStack(
      "[resource.aws_ecs_task_definition.bad]\nfamily = \"bad\"\n"
      "container_definitions = '{\"name\": \"web\"}'\n");

  // When applied, the plan fails naming the address and what is expected, and nothing is registered
  Diagnostics diags = ApplyAllowingErrors();
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_NE(
      diags.ToString().find("container_definitions of aws_ecs_task_definition.bad is not a list of "
                            "container definitions"),
      std::string::npos)
      << diags.ToString();
  EXPECT_NE(diags.ToString().find("it is not a JSON array"), std::string::npos) << diags.ToString();
  EXPECT_EQ(AwsCli("ecs list-task-definitions --family-prefix bad")["taskDefinitionArns"].size(),
            0u);
}

}  // namespace
}  // namespace reconcile::testing
