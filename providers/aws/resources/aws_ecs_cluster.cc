// aws_ecs_cluster: an ECS cluster with its `setting` blocks (containerInsights)
// changed in place. The id is the cluster ARN; import takes the name. A
// refresh describes up to 100 clusters a call, tags and settings included.
#include "batch.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "services/ecs.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

constexpr std::size_t kClustersPerDescribe = 100;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("name", kString).ForceNew(),
              Attribute::OptionalComputed("setting", kSet)
                  .Block({Attribute::Required("name", kString).Describe("containerInsights"),
                          Attribute::Required("value", kString)
                              .Describe("enabled, enhanced or disabled")}),
              Attribute::Computed("arn", kString),
          },
          "An ECS cluster."};
}

json SettingsJson(const Value& planned) {
  json settings = json::array();
  for (const Value& s : GetBlocks(planned, "setting"))
    settings.push_back({{"name", GetString(s, "name")}, {"value", GetString(s, "value")}});
  return settings;
}

Value ToState(ResourceContext& ctx, const json& cluster, const Value& current) {
  Value state = Value::Map({});
  state.Set("id", Str(JsonString(cluster, "clusterArn")));
  state.Set("arn", Str(JsonString(cluster, "clusterArn")));
  state.Set("name", Str(JsonString(cluster, "clusterName")));
  ValueList settings;
  for (const json& s : cluster.value("settings", json::array()))
    settings.push_back(
        Value::Map({{"name", Str(JsonString(s, "name"))}, {"value", Str(JsonString(s, "value"))}}));
  state.Set("setting", settings.empty() ? Value() : Value::List(std::move(settings)));
  SetTagsFromAws(EcsTagMap(cluster.value("tags", json::array())), ctx.runtime().default_tags,
                 current, state);
  return state;
}

// The active clusters among `ids` (ARNs or names), keyed by both; nullopt on error.
Found<json> DescribeClusters(ResourceContext& ctx, const std::vector<std::string>& ids) {
  std::map<std::string, json> found;
  for (const std::vector<std::string>& chunk : Chunks(ids, kClustersPerDescribe)) {
    auto page =
        EcsCall(ctx, "DescribeClusters", {{"clusters", chunk}, {"include", {"TAGS", "SETTINGS"}}});
    if (!page) return std::nullopt;
    for (const json& cluster : page->value("clusters", json::array())) {
      if (JsonString(cluster, "status") == "INACTIVE") continue;
      found[JsonString(cluster, "clusterArn")] = cluster;
      found[JsonString(cluster, "clusterName")] = cluster;
    }
  }
  return found;
}

// The tags of the active cluster named `name`, its ARN into *arn; nullopt
// when there is none.
std::optional<TagMap> ClusterTags(ResourceContext& ctx, const std::string& name,
                                  std::string* arn) {
  auto found = DescribeClusters(ctx, {name});
  if (!found || !found->count(name)) return std::nullopt;
  const json& cluster = found->at(name);
  *arn = JsonString(cluster, "clusterArn");
  return EcsTagMap(cluster.value("tags", json::array()));
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = GetString(planned, "name");
  // CreateCluster answers (AWS) or replaces (moto) a cluster of the name: look first.
  std::string existing;
  switch (CheckName(ctx, {"ECS cluster", name}, [&] { return ClusterTags(ctx, name, &existing); })) {
    case NameCheck::kRefused:
      return Value();
    case NameCheck::kOurs:
      return Value::Map({{"id", Str(existing)}});
    case NameCheck::kFree:
      break;
  }
  json request = {{"clusterName", name}, {"tags", EcsTagList(ctx.TagsForCreate(planned))}};
  json settings = SettingsJson(planned);
  if (!settings.empty()) request["settings"] = settings;
  // Retrying it is safe: a retry answers the cluster the first attempt made.
  auto created = EcsCall(ctx, "CreateCluster", request, aws::Idempotency::kIdempotent);
  if (!created) return Value();
  return Value::Map({{"id", Str(JsonString((*created)["cluster"], "clusterArn"))}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!Changed(prior, planned, "setting")) return;
  EcsCall(ctx, "UpdateCluster", {{"cluster", IdOf(prior)}, {"settings", SettingsJson(planned)}},
          aws::Idempotency::kIdempotent);
}

// Deletes once the cluster's services have drained, then waits until it is INACTIVE.
void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  DeleteUntilGone(ctx, {.what = "cluster " + id,
                        .call = [&] {
                          return AsDone(ctx.client().Json("ecs", "DeleteCluster", {{"cluster", id}},
                                                          {.idempotency = aws::Idempotency::kIdempotent}));
                        },
                        .retry_while = {"ClusterContainsServicesException",
                                        "ClusterContainsTasksException",
                                        "ClusterContainsContainerInstancesException",
                                        "UpdateInProgressException"},
                        .exists = [&]() -> std::optional<bool> {
                          auto found = DescribeClusters(ctx, {id});  // INACTIVE ones left out
                          if (!found) return std::nullopt;
                          return found->count(id) > 0;
                        }});
}

// An active cluster of the planned name that is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string arn;
  return HolderIsOurs(ctx, [&] { return ClusterTags(ctx, GetString(planned, "name"), &arn); })
             ? Value::Map({{"id", Str(arn)}})
             : Value();
}

}  // namespace

ResourceType aws_ecs_cluster() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  UseBatchedReads<json>(type, DescribeClusters, ToState);
  type.adopt = Adopt;
  type.update_tags = EcsTagUpdater("id");
  return type;
}

}  // namespace reconcile::aws_provider::resources
