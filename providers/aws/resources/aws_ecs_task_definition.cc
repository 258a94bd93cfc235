// aws_ecs_task_definition: one revision of an ECS task definition family.
// Every change registers a new revision (all settable attributes force
// replacement, as in Terraform); the replaced revision is deregistered.
// container_definitions is JSON text compared by meaning: formatting and the
// defaults ECS fills in are not a change. The id is the family, as in
// Terraform; the revision is found through `arn`. Import takes an ARN,
// FAMILY:REVISION or a family (its latest active revision).
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "services/container_definitions.h"
#include "services/ecs.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

std::vector<Attribute> VolumeFields() {
  std::vector<Attribute> authorization = {
      Attribute::Optional("access_point_id", kString),
      Attribute::Optional("iam", kString).Describe("ENABLED or DISABLED"),
  };
  std::vector<Attribute> efs = {
      Attribute::Required("file_system_id", kString),
      Attribute::Optional("root_directory", kString).Default(Str("/")),
      Attribute::Optional("transit_encryption", kString).Describe("ENABLED or DISABLED"),
      Attribute::Optional("transit_encryption_port", kNumber),
      Attribute::Optional("authorization_config", kList).Block(authorization).MaxItems(1),
  };
  return {
      Attribute::Required("name", kString),
      Attribute::Optional("host_path", kString),
      Attribute::Optional("efs_volume_configuration", kList).Block(efs).MaxItems(1),
  };
}

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("family", kString).ForceNew(),
              Attribute::Required("container_definitions", kString)
                  .ForceNew()
                  .Describe("a JSON array of container definitions"),
              Attribute::Optional("requires_compatibilities", kSet).Of(kString).ForceNew(),
              Attribute::OptionalComputed("network_mode", kString).ForceNew(),
              Attribute::Optional("cpu", kString).ForceNew(),
              Attribute::Optional("memory", kString).ForceNew(),
              Attribute::Optional("execution_role_arn", kString).ForceNew(),
              Attribute::Optional("task_role_arn", kString).ForceNew(),
              Attribute::Optional("volume", kSet).Block(VolumeFields()).ForceNew(),
              Attribute::Optional("skip_destroy", kBool)
                  .Default(Bool(false))
                  .Describe("keep the revision registered when the resource is destroyed"),
              Attribute::Computed("arn", kString),
              Attribute::Computed("arn_without_revision", kString),
              Attribute::Computed("revision", kNumber),
          },
          "A revision of an ECS task definition."};
}

// --- AWS -> state -----------------------------------------------------------

Value EfsVolumeState(const json& efs) {
  Value v = Value::Map({});
  v.Set("file_system_id", Str(JsonString(efs, "fileSystemId")));
  std::string root = JsonString(efs, "rootDirectory");
  v.Set("root_directory", Str(root.empty() ? "/" : root));
  v.Set("transit_encryption", StrOrNull(JsonString(efs, "transitEncryption")));
  v.Set("transit_encryption_port", efs.contains("transitEncryptionPort")
                                       ? Num(efs["transitEncryptionPort"].get<double>())
                                       : Value());
  Value authorization;
  if (efs.contains("authorizationConfig")) {
    const json& a = efs["authorizationConfig"];
    authorization =
        Value::List({Value::Map({{"access_point_id", StrOrNull(JsonString(a, "accessPointId"))},
                                 {"iam", StrOrNull(JsonString(a, "iam"))}})});
  }
  v.Set("authorization_config", authorization);
  return Value::List({v});
}

Value VolumesState(const json& volumes) {
  ValueList out;
  for (const json& volume : volumes) {
    Value v = Value::Map({});
    v.Set("name", Str(JsonString(volume, "name")));
    v.Set("host_path",
          volume.contains("host") ? StrOrNull(JsonString(volume["host"], "sourcePath")) : Value());
    v.Set("efs_volume_configuration", volume.contains("efsVolumeConfiguration")
                                          ? EfsVolumeState(volume["efsVolumeConfiguration"])
                                          : Value());
    out.push_back(std::move(v));
  }
  return out.empty() ? Value() : Value::List(std::move(out));
}

// The recorded text when it still means what ECS holds, else ECS's (canonical).
Value ContainerDefinitionsState(const json& containers, const Value& current) {
  std::string aws_text = containers.dump();
  std::string recorded = GetString(current, "container_definitions");
  if (!recorded.empty() && EquivalentContainerDefinitions(recorded, aws_text)) return Str(recorded);
  return Str(CanonicalContainerDefinitions(aws_text).value_or(aws_text));
}

std::vector<std::string> Strings(const json& list) {
  std::vector<std::string> out;
  for (const json& item : list)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

Value ToState(ResourceContext& ctx, const json& td, const json& tags, const Value& current) {
  std::string arn = JsonString(td, "taskDefinitionArn");
  Value state = Value::Map({});
  state.Set("id", Str(JsonString(td, "family")));
  state.Set("family", Str(JsonString(td, "family")));
  state.Set("arn", Str(arn));
  state.Set("arn_without_revision", Str(arn.substr(0, arn.rfind(':'))));
  state.Set("revision", Num(td.value("revision", 0.0)));
  state.Set("container_definitions",
            ContainerDefinitionsState(td.value("containerDefinitions", json::array()), current));
  std::vector<std::string> compatibilities =
      Strings(td.value("requiresCompatibilities", json::array()));
  state.Set("requires_compatibilities",
            compatibilities.empty() ? Value() : StrList(compatibilities));
  state.Set("network_mode", StrOrNull(JsonString(td, "networkMode")));
  state.Set("cpu", StrOrNull(JsonString(td, "cpu")));
  state.Set("memory", StrOrNull(JsonString(td, "memory")));
  state.Set("execution_role_arn", StrOrNull(JsonString(td, "executionRoleArn")));
  state.Set("task_role_arn", StrOrNull(JsonString(td, "taskRoleArn")));
  state.Set("volume", VolumesState(td.value("volumes", json::array())));
  state.Set("skip_destroy", Bool(GetBool(current, "skip_destroy")));
  SetTagsFromAws(EcsTagMap(tags), ctx.runtime().default_tags, current, state);
  return state;
}

// The revision `current` names (its arn, else its id), or null json when it
// does not exist or was deregistered; nullopt on error.
std::optional<json> Describe(ResourceContext& ctx, const std::string& which) {
  auto result = ctx.client().Json("ecs", "DescribeTaskDefinition",
                                  {{"taskDefinition", which}, {"include", {"TAGS"}}});
  // ECS answers a revision it does not know with ClientException.
  if (!result.ok() && (result.error().IsNotFound() || result.error().Is("ClientException")))
    return json();
  if (!result.ok()) {
    ctx.Fail(result.error());
    return std::nullopt;
  }
  if (JsonString((*result)["taskDefinition"], "status") == "INACTIVE") return json();
  return std::move(result).value();
}

Value Read(ResourceContext& ctx, const Value& current) {
  std::string which = GetString(current, "arn");
  auto described = Describe(ctx, which.empty() ? IdOf(current) : which);
  if (!described || described->is_null()) return Value();
  return ToState(ctx, (*described)["taskDefinition"], described->value("tags", json::array()),
                 current);
}

// --- state -> AWS -----------------------------------------------------------

json EfsVolumeJson(const Value& efs) {
  json out = {{"fileSystemId", GetString(efs, "file_system_id")}};
  if (auto root = FindString(efs, "root_directory")) out["rootDirectory"] = *root;
  if (auto mode = FindString(efs, "transit_encryption")) out["transitEncryption"] = *mode;
  if (auto port = FindInt(efs, "transit_encryption_port")) out["transitEncryptionPort"] = *port;
  for (const Value& a : GetBlocks(efs, "authorization_config")) {
    json authorization = json::object();
    if (auto id = FindString(a, "access_point_id")) authorization["accessPointId"] = *id;
    if (auto iam = FindString(a, "iam")) authorization["iam"] = *iam;
    out["authorizationConfig"] = authorization;
  }
  return out;
}

json VolumesJson(const Value& planned) {
  json volumes = json::array();
  for (const Value& v : GetBlocks(planned, "volume")) {
    json volume = {{"name", GetString(v, "name")}};
    if (auto path = FindString(v, "host_path")) volume["host"] = {{"sourcePath", *path}};
    for (const Value& efs : GetBlocks(v, "efs_volume_configuration"))
      volume["efsVolumeConfiguration"] = EfsVolumeJson(efs);
    volumes.push_back(volume);
  }
  return volumes;
}

json RegisterRequest(ResourceContext& ctx, const Value& planned) {
  json request = {{"family", GetString(planned, "family")},
                  {"containerDefinitions",
                   json::parse(GetString(planned, "container_definitions"), nullptr, false)},
                  {"tags", EcsTagList(ctx.TagsForCreate(planned))}};
  std::vector<std::string> compatibilities = GetStrings(planned, "requires_compatibilities");
  if (!compatibilities.empty()) request["requiresCompatibilities"] = compatibilities;
  const std::pair<const char*, const char*> optional[] = {
      {"network_mode", "networkMode"},
      {"cpu", "cpu"},
      {"memory", "memory"},
      {"execution_role_arn", "executionRoleArn"},
      {"task_role_arn", "taskRoleArn"}};
  for (const auto& [attribute, field] : optional)
    if (auto v = FindString(planned, attribute)) request[field] = *v;
  json volumes = VolumesJson(planned);
  if (!volumes.empty()) request["volumes"] = volumes;
  return request;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  auto registered =
      EcsCallAwaitingDependencies(ctx, "RegisterTaskDefinition", RegisterRequest(ctx, planned),
                                  aws::Idempotency::kNotIdempotent);
  if (!registered) return Value();
  const json& td = (*registered)["taskDefinition"];
  return Value::Map(
      {{"id", Str(JsonString(td, "family"))}, {"arn", Str(JsonString(td, "taskDefinitionArn"))}});
}

// Deregisters the revision (unless skip_destroy); deregistered is gone.
void Delete(ResourceContext& ctx, const Value& prior) {
  if (GetBool(prior, "skip_destroy")) return;
  std::string arn = GetString(prior, "arn");
  auto result = ctx.client().Json("ecs", "DeregisterTaskDefinition", {{"taskDefinition", arn}},
                                  {.idempotency = aws::Idempotency::kIdempotent});
  if (result.ok()) return;
  auto described = Describe(ctx, arn);
  if (described && !described->is_null()) ctx.Fail(result.error());
}

// The latest active revision of the planned family when it is this
// instance's and holds the planned containers (a register the tool did not
// live to record). A family is no exclusive name: every workspace registers
// its own revisions in it.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string family = GetString(planned, "family");
  auto listed = EcsCall(ctx, "ListTaskDefinitions",
                        {{"familyPrefix", family}, {"status", "ACTIVE"}, {"sort", "DESC"}});
  if (!listed) return Value();
  std::string latest;
  long long latest_revision = -1;
  for (const json& arn : listed->value("taskDefinitionArns", json::array())) {
    std::string text = arn.get<std::string>();
    long long revision = std::atoll(text.substr(text.rfind(':') + 1).c_str());
    if (EcsNameFromArn(text).starts_with(family + ":") && revision > latest_revision) {
      latest = text;
      latest_revision = revision;
    }
  }
  if (latest.empty()) return Value();
  auto described = Describe(ctx, latest);
  if (!described || described->is_null()) return Value();
  TagMap tags = EcsTagMap(described->value("tags", json::array()));
  std::string containers =
      (*described)["taskDefinition"].value("containerDefinitions", json::array()).dump();
  if (!OwnedByThisInstance(ctx, tags) ||
      !EquivalentContainerDefinitions(containers, GetString(planned, "container_definitions")))
    return Value();
  return Value::Map({{"id", Str(family)}, {"arn", Str(latest)}});
}

Value Import(ResourceContext&, const std::string& id) {
  Value state = Value::Map({{"id", Str(id)}});
  if (id.starts_with("arn:") || id.find(':') != std::string::npos) state.Set("arn", Str(id));
  return state;
}

// Checks the container definitions and keeps the recorded text when the new
// one means the same.
void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  Value& planned = response.planned_state;
  auto text = FindString(planned, "container_definitions");
  if (!text) return;
  std::string problem;
  if (!CanonicalContainerDefinitions(*text, &problem)) {
    ctx.Error(
        "container_definitions of " + request.address + " is not a list of container definitions",
        "It must be a JSON array of objects (use jsonencode); " + problem + ".");
    return;
  }
  std::string recorded = GetString(request.prior_state, "container_definitions");
  if (!recorded.empty() && EquivalentContainerDefinitions(recorded, *text))
    planned.Set("container_definitions", Str(recorded));
}

}  // namespace

ResourceType aws_ecs_task_definition() {
  ResourceType type = MakeType(Schema(), Create, nullptr, Delete);
  type.read = Read;
  type.adopt = Adopt;
  type.import = Import;
  type.plan = Plan;
  type.update_tags = EcsTagUpdater("arn");
  return type;
}

}  // namespace reconcile::aws_provider::resources
