// data aws_ecs_task_definition: a task definition another stack (or a
// deploy) registered, by family (its latest ACTIVE revision), family:revision
// or ARN: its ARN, revision, roles, network mode, sizes and containers.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ecs.h"

namespace reconcile::aws_provider::data_sources {

namespace {

using nlohmann::json;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("task_definition", kString)
                  .Describe("family, family:revision or ARN"),
              Attribute::Computed("id", kString),
              Attribute::Computed("arn", kString),
              Attribute::Computed("arn_without_revision", kString),
              Attribute::Computed("family", kString),
              Attribute::Computed("revision", kNumber),
              Attribute::Computed("status", kString),
              Attribute::Computed("task_role_arn", kString),
              Attribute::Computed("execution_role_arn", kString),
              Attribute::Computed("network_mode", kString),
              Attribute::Computed("cpu", kString),
              Attribute::Computed("memory", kString),
              Attribute::Computed("requires_compatibilities", kList).Of(kString),
              Attribute::Computed("container_definitions", kString).Describe("the containers, JSON"),
          },
          "An ECS task definition."};
}

Value Read(ResourceContext& ctx, const Value& config) {
  std::string wanted = GetString(config, "task_definition");
  auto got = EcsCall(ctx, "DescribeTaskDefinition", {{"taskDefinition", wanted}});
  if (!got) return Value();
  const json& td = (*got)["taskDefinition"];
  std::string arn = JsonString(td, "taskDefinitionArn");
  Value state = Value::Map({});
  state.Set("task_definition", Str(wanted));
  state.Set("id", Str(arn));
  state.Set("arn", Str(arn));
  state.Set("arn_without_revision", Str(arn.substr(0, arn.rfind(':'))));
  state.Set("family", Str(JsonString(td, "family")));
  state.Set("revision", Num(td.value("revision", 0.0)));
  state.Set("status", Str(JsonString(td, "status")));
  state.Set("task_role_arn", StrOrNull(JsonString(td, "taskRoleArn")));
  state.Set("execution_role_arn", StrOrNull(JsonString(td, "executionRoleArn")));
  state.Set("network_mode", StrOrNull(JsonString(td, "networkMode")));
  state.Set("cpu", StrOrNull(JsonString(td, "cpu")));
  state.Set("memory", StrOrNull(JsonString(td, "memory")));
  state.Set("requires_compatibilities",
            StrList(td.value("requiresCompatibilities", std::vector<std::string>())));
  state.Set("container_definitions", Str(td.value("containerDefinitions", json::array()).dump()));
  return state;
}

}  // namespace

DataSourceType aws_ecs_task_definition() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
