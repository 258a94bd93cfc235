// aws_db_parameter_group: engine settings for RDS databases. The id is the
// group's name. `parameter` blocks (name, value, apply_method) change in
// place: new and changed ones through ModifyDBParameterGroup (20 a call),
// removed ones back to the engine default through ResetDBParameterGroup.
// State holds the parameters a user set (DescribeDBParameters, source user).
#include <algorithm>
#include <set>

#include "aws/pagination.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/rds.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Required("family", kString).ForceNew(),
              Attribute::Optional("description", kString).ForceNew().Default(Str("Managed by Terraform")),
              Attribute::Optional("parameter", kSet).Block({
                  Attribute::Required("name", kString),
                  Attribute::Required("value", kString),
                  Attribute::Optional("apply_method", kString).Default(Str("immediate")),
              }),
              Attribute::Computed("arn", kString),
          },
          "An RDS DB parameter group."};
}

aws::QueryParams GroupName(const std::string& name) {
  aws::QueryParams params;
  params.Set("DBParameterGroupName", name);
  return params;
}

std::optional<aws::XmlNode> Describe(ResourceContext& ctx, const std::string& name) {
  auto doc = RdsCallOrGone(ctx, "DescribeDBParameterGroups", GroupName(name));
  if (!doc) return std::nullopt;
  return doc->empty() ? aws::XmlNode()
                      : doc->root().Find("DescribeDBParameterGroupsResult/DBParameterGroups/DBParameterGroup");
}

// The parameters users set, as `parameter` blocks sorted by name; nullopt on error.
std::optional<Value> UserParameters(ResourceContext& ctx, const std::string& name) {
  aws::QueryParams params = GroupName(name);
  params.Set("Source", "user");
  std::vector<Value> blocks;
  auto done = aws::QueryPages(
      ctx.client(), "rds", "DescribeDBParameters", params,
      [&](const aws::XmlDocument& page) {
        for (const aws::XmlNode& p : page.root().FindAll("DescribeDBParametersResult/Parameters/Parameter")) {
          std::string method = p.Text("ApplyMethod");
          blocks.push_back(Value::Map({{"name", Str(p.Text("ParameterName"))},
                                       {"value", Str(p.Text("ParameterValue"))},
                                       {"apply_method", Str(method.empty() ? "immediate" : method)}}));
        }
        return true;
      },
      aws::QueryPaging::kMarker);
  if (!done.ok()) {
    ctx.Fail(done.error());
    return std::nullopt;
  }
  std::sort(blocks.begin(), blocks.end(),
            [](const Value& a, const Value& b) { return GetString(a, "name") < GetString(b, "name"); });
  return Value::List(std::move(blocks));
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto group = Describe(ctx, IdOf(current));
  if (!group || !group->valid()) return Value();
  std::string arn = group->Text("DBParameterGroupArn");
  auto tags = RdsTagsOf(ctx, arn);
  auto parameters = UserParameters(ctx, IdOf(current));
  if (!tags || !parameters) return Value();
  Value state = Value::Map({});
  state.Set("id", Str(group->Text("DBParameterGroupName")));
  state.Set("name", Str(group->Text("DBParameterGroupName")));
  state.Set("family", Str(group->Text("DBParameterGroupFamily")));
  state.Set("description", Str(group->Text("Description")));
  state.Set("parameter", parameters->AsList().empty() ? Value() : *parameters);
  state.Set("arn", Str(arn));
  KeepAttributes(current, state, {"name_prefix"});
  SetTagsFromAws(*tags, ctx.runtime().default_tags, current, state);
  return state;
}

std::optional<TagMap> HolderTags(ResourceContext& ctx, const std::string& name) {
  return RdsHolderTags(ctx, Describe(ctx, name), "DBParameterGroupArn");
}

using Parameters = std::map<std::string, Value>;  // by name

Parameters ByName(const Value& state) {
  Parameters out;
  for (const Value& block : GetBlocks(state, "parameter")) out[GetString(block, "name")] = block;
  return out;
}

// Sends `blocks` through `action` (Modify or Reset), 20 parameters a call.
bool SendParameters(ResourceContext& ctx, const std::string& group, const char* action,
                    const std::vector<Value>& blocks, bool with_values) {
  for (const std::vector<Value>& chunk : Chunks(blocks, 20)) {
    aws::QueryParams params = GroupName(group);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      std::string prefix = "Parameters.Parameter." + std::to_string(i + 1);
      params.Set(prefix + ".ParameterName", GetString(chunk[i], "name"))
          .Set(prefix + ".ApplyMethod", GetString(chunk[i], "apply_method"));
      if (with_values) params.Set(prefix + ".ParameterValue", GetString(chunk[i], "value"));
    }
    if (!RdsCall(ctx, action, params, aws::Idempotency::kIdempotent)) return false;
  }
  return true;
}

// Sets what `planned` adds or changes and resets what it drops.
void ApplyParameters(ResourceContext& ctx, const std::string& group, const Value& prior, const Value& planned) {
  Parameters before = ByName(prior);
  Parameters after = ByName(planned);
  std::vector<Value> set;
  std::vector<Value> reset;
  for (const auto& [name, block] : after) {
    auto it = before.find(name);
    if (it == before.end() || !it->second.Equals(block)) set.push_back(block);
  }
  for (const auto& [name, block] : before)
    if (after.count(name) == 0) reset.push_back(block);
  if (!reset.empty() && !SendParameters(ctx, group, "ResetDBParameterGroup", reset, false)) return;
  if (!set.empty()) SendParameters(ctx, group, "ModifyDBParameterGroup", set, true);
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = RdsNameForCreate(ctx, planned, "name", "name_prefix");
  aws::QueryParams params = GroupName(name);
  params.Set("DBParameterGroupFamily", GetString(planned, "family"))
      .Set("Description", GetString(planned, "description"));
  SetRdsTags(params, ctx.TagsForCreate(planned));
  auto created = RdsSend(ctx, "CreateDBParameterGroup", params, aws::Idempotency::kNotIdempotent);
  if (!CreatedOrAdopted(ctx, created, "DBParameterGroupAlreadyExists", {"DB parameter group", name},
                        [&] { return HolderTags(ctx, name); }))
    return Value();
  ApplyParameters(ctx, name, Value::Map({}), planned);
  return Value::Map({{"id", Str(name)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (Changed(prior, planned, "parameter")) ApplyParameters(ctx, IdOf(prior), prior, planned);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string name = IdOf(prior);
  // A database deleted a moment ago holds its group until it is gone.
  DeleteUntilGone(ctx, {.what = "DB parameter group " + name,
                        .call = [&] { return AsDone(RdsSend(ctx, "DeleteDBParameterGroup", GroupName(name))); },
                        .retry_while = {"InvalidDBParameterGroupState"},
                        .exists = [&]() -> std::optional<bool> {
                          auto group = Describe(ctx, name);
                          if (!group) return std::nullopt;
                          return group->valid();
                        }});
}

Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string name = RdsNameForCreate(ctx, planned, "name", "name_prefix");
  return HolderIsOurs(ctx, [&] { return HolderTags(ctx, name); }) ? Value::Map({{"id", Str(name)}}) : Value();
}

}  // namespace

ResourceType aws_db_parameter_group() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.adopt = Adopt;
  type.update_tags = RdsTagUpdater();
  return type;
}

}  // namespace reconcile::aws_provider::resources
