// aws_ecs_service: a long-running ECS service. A new task definition, desired
// count, deployment percentages, network configuration or load balancers
// change it in place (UpdateService): a new task definition revision rolls
// the service, which is how a deploy and a rollback look. Delete scales to 0,
// deletes (force) and waits for INACTIVE. The id is the service ARN; import
// takes CLUSTER/SERVICE. A refresh describes 10 services of a cluster a call.
#include "batch.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "services/ecs.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

constexpr std::size_t kServicesPerDescribe = 10;

ResourceSchema Schema() {
  std::vector<Attribute> network = {
      Attribute::Required("subnets", kSet).Of(kString),
      Attribute::Optional("security_groups", kSet).Of(kString),
      Attribute::Optional("assign_public_ip", kBool).Default(Bool(false)),
  };
  std::vector<Attribute> load_balancer = {
      Attribute::Optional("elb_name", kString),
      Attribute::Optional("target_group_arn", kString),
      Attribute::Required("container_name", kString),
      Attribute::Required("container_port", kNumber),
  };
  return {
      0,
      {
          Attribute::Required("name", kString).ForceNew(),
          Attribute::OptionalComputed("cluster", kString)
              .ForceNew()
              .Describe("cluster name or ARN"),
          Attribute::Optional("task_definition", kString).Describe("FAMILY:REVISION or ARN"),
          Attribute::OptionalComputed("launch_type", kString).ForceNew().Describe("FARGATE or EC2"),
          Attribute::Optional("scheduling_strategy", kString).ForceNew().Default(Str("REPLICA")),
          Attribute::Optional("desired_count", kNumber).Default(Num(0)),
          Attribute::Optional("network_configuration", kList).Block(network).MaxItems(1),
          Attribute::Optional("load_balancer", kSet).Block(load_balancer),
          Attribute::Optional("deployment_minimum_healthy_percent", kNumber).Default(Num(100)),
          Attribute::Optional("deployment_maximum_percent", kNumber).Default(Num(200)),
      },
      "An ECS service."};
}

// The cluster a state or plan names ("default" when none).
std::string ClusterOf(const Value& state) {
  std::string cluster = GetString(state, "cluster");
  return cluster.empty() ? "default" : cluster;
}

// What DescribeServices is asked for: the ARN when known, else the name.
std::string ServiceKey(const Value& state) {
  std::string id = IdOf(state);
  return id.starts_with("arn:") ? id : GetString(state, "name");
}

// --- AWS -> state -----------------------------------------------------------

// An ECS ARN in the form `current[key]` uses: the ARN, or the short
// NAME[:REVISION] (also when unset); a task definition family alone stays the
// family while the service runs a revision of it.
Value SameForm(const std::string& arn, const Value& current, const char* key) {
  if (arn.empty()) return Value();
  std::string recorded = GetString(current, key);
  if (recorded.starts_with("arn:")) return Str(arn);
  std::string short_form = EcsNameFromArn(arn);
  bool family_only = !recorded.empty() && recorded.find(':') == std::string::npos;
  return Str(family_only && short_form.starts_with(recorded + ":") ? recorded : short_form);
}

Value NetworkState(const json& service) {
  const json* vpc = nullptr;
  if (auto it = service.find("networkConfiguration");
      it != service.end() && it->contains("awsvpcConfiguration"))
    vpc = &(*it)["awsvpcConfiguration"];
  if (vpc == nullptr) return Value();
  std::vector<std::string> subnets = vpc->value("subnets", std::vector<std::string>{});
  std::vector<std::string> groups = vpc->value("securityGroups", std::vector<std::string>{});
  return Value::List(
      {Value::Map({{"subnets", StrList(subnets)},
                   {"security_groups", groups.empty() ? Value() : StrList(groups)},
                   {"assign_public_ip", Bool(JsonString(*vpc, "assignPublicIp") == "ENABLED")}})});
}

Value LoadBalancersState(const json& service) {
  ValueList out;
  for (const json& lb : service.value("loadBalancers", json::array())) {
    out.push_back(Value::Map({{"elb_name", StrOrNull(JsonString(lb, "loadBalancerName"))},
                              {"target_group_arn", StrOrNull(JsonString(lb, "targetGroupArn"))},
                              {"container_name", Str(JsonString(lb, "containerName"))},
                              {"container_port", Num(lb.value("containerPort", 0.0))}}));
  }
  return out.empty() ? Value() : Value::List(std::move(out));
}

Value ToState(ResourceContext& ctx, const json& service, const Value& current) {
  Value state = Value::Map({});
  state.Set("id", Str(JsonString(service, "serviceArn")));
  state.Set("name", Str(JsonString(service, "serviceName")));
  state.Set("cluster", SameForm(JsonString(service, "clusterArn"), current, "cluster"));
  state.Set("task_definition",
            SameForm(JsonString(service, "taskDefinition"), current, "task_definition"));
  state.Set("launch_type", StrOrNull(JsonString(service, "launchType")));
  state.Set("scheduling_strategy", StrOrNull(JsonString(service, "schedulingStrategy")));
  state.Set("desired_count", Num(service.value("desiredCount", 0.0)));
  state.Set("network_configuration", NetworkState(service));
  state.Set("load_balancer", LoadBalancersState(service));
  if (auto it = service.find("deploymentConfiguration");
      it != service.end() && it->contains("maximumPercent")) {
    state.Set("deployment_maximum_percent", Num((*it)["maximumPercent"].get<double>()));
    state.Set("deployment_minimum_healthy_percent", Num(it->value("minimumHealthyPercent", 0.0)));
  } else {
    // (moto leaves out the deployment configuration a service was created with)
    KeepAttributes(current, state,
                   {"deployment_maximum_percent", "deployment_minimum_healthy_percent"});
  }
  SetTagsFromAws(EcsTagMap(service.value("tags", json::array())), ctx.runtime().default_tags,
                 current, state);
  return state;
}

// Services of one cluster that are not INACTIVE, keyed by ARN and by name;
// a missing cluster has none. nullopt on error.
Found<json> DescribeServices(ResourceContext& ctx, const std::string& cluster,
                             const std::vector<std::string>& keys) {
  std::map<std::string, json> found;
  for (const std::vector<std::string>& chunk : Chunks(keys, kServicesPerDescribe)) {
    auto page =
        ctx.client().Json("ecs", "DescribeServices",
                          {{"cluster", cluster}, {"services", chunk}, {"include", {"TAGS"}}});
    if (!page.ok() && page.error().IsNotFound()) return found;
    if (!page.ok()) {
      ctx.Fail(page.error());
      return std::nullopt;
    }
    for (const json& service : page->value("services", json::array())) {
      if (JsonString(service, "status") == "INACTIVE") continue;
      found[JsonString(service, "serviceArn")] = service;
      found[JsonString(service, "serviceName")] = service;
    }
  }
  return found;
}

// One service (null json when gone); nullopt on error.
std::optional<json> DescribeOne(ResourceContext& ctx, const Value& state) {
  auto found = DescribeServices(ctx, ClusterOf(state), {ServiceKey(state)});
  if (!found) return std::nullopt;
  auto it = found->find(ServiceKey(state));
  return it == found->end() ? json() : it->second;
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto service = DescribeOne(ctx, current);
  return service && !service->is_null() ? ToState(ctx, *service, current) : Value();
}

// A service's key in a lookup over several clusters.
std::string ClusterAndKey(const Value& state) {
  return ClusterOf(state) + "\n" + ServiceKey(state);
}

// The services of every request, one DescribeServices per cluster and 10
// services, keyed by ClusterAndKey.
Found<json> LookupServices(ResourceContext& ctx, const std::vector<ReadRequest>& requests) {
  std::map<std::string, std::vector<std::string>> keys_by_cluster;
  for (const ReadRequest& r : requests)
    keys_by_cluster[ClusterOf(r.current_state)].push_back(ServiceKey(r.current_state));
  std::map<std::string, json> found;
  for (const auto& [cluster, keys] : keys_by_cluster) {
    auto services = DescribeServices(ctx, cluster, keys);
    if (!services) return std::nullopt;
    for (auto& [key, service] : *services) found[cluster + "\n" + key] = std::move(service);
  }
  return found;
}

std::vector<ReadResponse> ReadBatch(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, LookupServices(ctx, requests), ToState, ClusterAndKey);
}

// --- state -> AWS -----------------------------------------------------------

json NetworkJson(const Value& planned) {
  for (const Value& n : GetBlocks(planned, "network_configuration")) {
    json vpc = {{"subnets", GetStrings(n, "subnets")},
                {"securityGroups", GetStrings(n, "security_groups")},
                {"assignPublicIp", GetBool(n, "assign_public_ip") ? "ENABLED" : "DISABLED"}};
    return {{"awsvpcConfiguration", vpc}};
  }
  return json();
}

json LoadBalancersJson(const Value& planned) {
  json out = json::array();
  for (const Value& lb : GetBlocks(planned, "load_balancer")) {
    json item = {{"containerName", GetString(lb, "container_name")},
                 {"containerPort", GetInt(lb, "container_port")}};
    if (auto name = FindString(lb, "elb_name")) item["loadBalancerName"] = *name;
    if (auto arn = FindString(lb, "target_group_arn")) item["targetGroupArn"] = *arn;
    out.push_back(item);
  }
  return out;
}

json DeploymentJson(const Value& planned) {
  return {{"maximumPercent", GetInt(planned, "deployment_maximum_percent", 200)},
          {"minimumHealthyPercent", GetInt(planned, "deployment_minimum_healthy_percent", 100)}};
}

bool IsDaemon(const Value& planned) {
  return GetString(planned, "scheduling_strategy") == "DAEMON";
}

json CreateRequest(ResourceContext& ctx, const Value& planned) {
  json request = {{"cluster", ClusterOf(planned)},
                  {"serviceName", GetString(planned, "name")},
                  {"schedulingStrategy", GetString(planned, "scheduling_strategy")},
                  {"deploymentConfiguration", DeploymentJson(planned)},
                  {"tags", EcsTagList(ctx.TagsForCreate(planned))},
                  {"clientToken", ctx.ClientToken(36)}};
  if (!IsDaemon(planned)) request["desiredCount"] = GetInt(planned, "desired_count");
  if (auto td = FindString(planned, "task_definition")) request["taskDefinition"] = *td;
  if (auto launch = FindString(planned, "launch_type")) request["launchType"] = *launch;
  json network = NetworkJson(planned);
  if (!network.is_null()) request["networkConfiguration"] = network;
  json balancers = LoadBalancersJson(planned);
  if (!balancers.empty()) request["loadBalancers"] = balancers;
  return request;
}

// The tags of the active service of the planned name and cluster, its state
// ({id, cluster}) into *found; nullopt when there is none.
std::optional<TagMap> ServiceTags(ResourceContext& ctx, const Value& planned, Value* found) {
  auto service = DescribeOne(ctx, planned);
  if (!service || service->is_null() || JsonString(*service, "status") != "ACTIVE")
    return std::nullopt;
  *found = Value::Map({{"id", Str(JsonString(*service, "serviceArn"))}});
  if (!IsSet(planned, "cluster"))
    found->Set("cluster", Str(EcsNameFromArn(JsonString(*service, "clusterArn"))));
  return EcsTagMap(service->value("tags", json::array()));
}

Value Create(ResourceContext& ctx, const Value& planned) {
  // CreateService answers (AWS) or replaces (moto) a service of the name: look first.
  std::string name = GetString(planned, "name");
  Value existing;
  switch (CheckName(ctx, {"ECS service", name, ClusterOf(planned) + "/" + name},
                    [&] { return ServiceTags(ctx, planned, &existing); })) {
    case NameCheck::kRefused:
      return Value();
    case NameCheck::kOurs:
      return existing;
    case NameCheck::kFree:
      break;
  }
  auto created = EcsCallAwaitingDependencies(ctx, "CreateService", CreateRequest(ctx, planned),
                                             aws::Idempotency::kClientToken);
  if (!created) return Value();
  const json& service = (*created)["service"];
  Value result = Value::Map({{"id", Str(JsonString(service, "serviceArn"))}});
  if (!IsSet(planned, "cluster"))
    result.Set("cluster", Str(EcsNameFromArn(JsonString(service, "clusterArn"))));
  // An answer without the requested deployment configuration (moto) gets it set.
  json wanted = DeploymentJson(planned);
  json answered = service.value("deploymentConfiguration", json::object());
  if (answered.value("maximumPercent", json()) != wanted["maximumPercent"] ||
      answered.value("minimumHealthyPercent", json()) != wanted["minimumHealthyPercent"])
    EcsCall(ctx, "UpdateService",
            {{"cluster", ClusterOf(planned)},
             {"service", JsonString(service, "serviceArn")},
             {"deploymentConfiguration", wanted}},
            aws::Idempotency::kIdempotent);
  return result;
}

// The UpdateService fields for what changed (empty: nothing to do).
json UpdateFields(const Value& prior, const Value& planned) {
  json fields = json::object();
  if (Changed(prior, planned, "task_definition"))
    fields["taskDefinition"] = GetString(planned, "task_definition");
  if (Changed(prior, planned, "desired_count") && !IsDaemon(planned))
    fields["desiredCount"] = GetInt(planned, "desired_count");
  if (Changed(prior, planned, "deployment_maximum_percent") ||
      Changed(prior, planned, "deployment_minimum_healthy_percent"))
    fields["deploymentConfiguration"] = DeploymentJson(planned);
  if (Changed(prior, planned, "network_configuration") && IsSet(planned, "network_configuration"))
    fields["networkConfiguration"] = NetworkJson(planned);
  if (Changed(prior, planned, "load_balancer"))
    fields["loadBalancers"] = LoadBalancersJson(planned);
  return fields;
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  json request = UpdateFields(prior, planned);
  if (request.empty()) return;
  request["cluster"] = ClusterOf(prior);
  request["service"] = IdOf(prior);
  EcsCallAwaitingDependencies(ctx, "UpdateService", request, aws::Idempotency::kIdempotent);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  auto service = DescribeOne(ctx, prior);
  if (!service || service->is_null()) return;
  std::string cluster = ClusterOf(prior);
  std::string arn = JsonString(*service, "serviceArn");
  bool active = JsonString(*service, "status") == "ACTIVE";
  if (active && JsonString(*service, "schedulingStrategy") != "DAEMON" &&
      service->value("desiredCount", 0) > 0 &&
      !EcsCall(ctx, "UpdateService", {{"cluster", cluster}, {"service", arn}, {"desiredCount", 0}},
               aws::Idempotency::kIdempotent))
    return;
  DeleteUntilGone(ctx, {.what = "service " + arn,
                        .call = [&] {
                          return AsDone(ctx.client().Json(
                              "ecs", "DeleteService",
                              {{"cluster", cluster}, {"service", arn}, {"force", true}},
                              {.idempotency = aws::Idempotency::kIdempotent}));
                        },
                        .exists = [&]() -> std::optional<bool> {
                          auto now = DescribeOne(ctx, prior);  // INACTIVE is gone
                          if (!now) return std::nullopt;
                          return !now->is_null();
                        }});
}

// An active service of the planned name and cluster that is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  Value found;
  return HolderIsOurs(ctx, [&] { return ServiceTags(ctx, planned, &found); }) ? found : Value();
}

// CLUSTER/SERVICE (or a service ARN with its cluster in it).
Value Import(ResourceContext& ctx, const std::string& id) {
  std::string text = id.starts_with("arn:") ? id.substr(id.find(":service/") + 9) : id;
  std::size_t slash = text.find('/');
  if (slash == std::string::npos) {
    ctx.Error("Cannot import " + ctx.address() + " from \"" + id + "\"",
              "Give the service as CLUSTER/SERVICE, for example `web/api`.");
    return Value();
  }
  return Value::Map({{"id", Str(id.starts_with("arn:") ? id : text.substr(slash + 1))},
                     {"cluster", Str(text.substr(0, slash))},
                     {"name", Str(text.substr(slash + 1))}});
}

// A cluster or task definition named in another form (ARN or short) than
// the recorded one is the same object, not a change.
void Plan(ResourceContext&, const PlanRequest& request, PlanResponse& response) {
  for (const char* key : {"cluster", "task_definition"}) {
    auto planned = FindString(response.planned_state, key);
    auto recorded = FindString(request.prior_state, key);
    if (planned && recorded && *planned != *recorded &&
        EcsNameFromArn(*planned) == EcsNameFromArn(*recorded))
      response.planned_state.Set(key, Str(*recorded));
  }
}

}  // namespace

ResourceType aws_ecs_service() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.read_batch = ReadBatch;
  type.adopt = Adopt;
  type.import = Import;
  type.plan = Plan;
  type.update_tags = EcsTagUpdater("id");
  return type;
}

}  // namespace reconcile::aws_provider::resources
