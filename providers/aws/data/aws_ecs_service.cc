// data aws_ecs_service: a service of a cluster, by name: its ARN, task
// definition, desired count, launch type, scheduling strategy and tags.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ecs.h"

namespace reconcile::aws_provider::data_sources {

namespace {

using nlohmann::json;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("service_name", kString),
              Attribute::Required("cluster_arn", kString).Describe("the cluster's ARN or name"),
              Attribute::Computed("id", kString),
              Attribute::Computed("arn", kString),
              Attribute::Computed("task_definition", kString),
              Attribute::Computed("desired_count", kNumber),
              Attribute::Computed("running_count", kNumber),
              Attribute::Computed("launch_type", kString),
              Attribute::Computed("scheduling_strategy", kString),
              Attribute::Computed("tags", kMap).Of(kString),
          },
          "An ECS service."};
}

Value Read(ResourceContext& ctx, const Value& config) {
  std::string name = GetString(config, "service_name");
  std::string cluster = GetString(config, "cluster_arn");
  auto got = EcsCall(ctx, "DescribeServices", {{"cluster", cluster}, {"services", {name}}, {"include", {"TAGS"}}});
  if (!got) return Value();
  for (const json& service : got->value("services", json::array())) {
    if (JsonString(service, "status") == "INACTIVE") continue;
    std::string arn = JsonString(service, "serviceArn");
    TagMap tags;
    for (const auto& [key, value] : EcsTagMap(service.value("tags", json::array())))
      if (!IsOwnershipTag(key)) tags[key] = value;
    Value state = Value::Map({});
    state.Set("service_name", Str(JsonString(service, "serviceName")));
    state.Set("cluster_arn", Str(cluster));
    state.Set("id", Str(arn));
    state.Set("arn", Str(arn));
    state.Set("task_definition", Str(JsonString(service, "taskDefinition")));
    state.Set("desired_count", Num(service.value("desiredCount", 0.0)));
    state.Set("running_count", Num(service.value("runningCount", 0.0)));
    state.Set("launch_type", StrOrNull(JsonString(service, "launchType")));
    state.Set("scheduling_strategy", StrOrNull(JsonString(service, "schedulingStrategy")));
    state.Set("tags", TagValue(tags));
    return state;
  }
  ctx.Error("No ECS service " + name + " in cluster " + cluster,
            "Check the service name and cluster; a deleted service is INACTIVE and not found.");
  return Value();
}

}  // namespace

DataSourceType aws_ecs_service() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
