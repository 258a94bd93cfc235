// aws_cloudwatch_log_group: a CloudWatch Logs log group. Retention and the KMS
// key change in place. The id is the name. A refresh describes up to 50
// groups a call (logGroupIdentifiers) and reads tags in bulk (Tagging API).
#include <set>

#include "batch.h"
#include "generated_name.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/json_call.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

constexpr std::size_t kGroupsPerDescribe = 50;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Optional("retention_in_days", kNumber)
                  .Default(Num(0))
                  .Describe("0: never expire"),
              Attribute::Optional("kms_key_id", kString),
              Attribute::Optional("skip_destroy", kBool)
                  .Default(Bool(false))
                  .Describe("keep the log group when the resource is destroyed"),
              Attribute::Computed("arn", kString),
          },
          "A CloudWatch Logs log group."};
}

// The group's ARN without the ":*" DescribeLogGroups appends to `arn`.
std::string GroupArn(const json& group) {
  std::string arn = JsonString(group, "logGroupArn");
  if (!arn.empty()) return arn;
  arn = JsonString(group, "arn");
  return arn.ends_with(":*") ? arn.substr(0, arn.size() - 2) : arn;
}

// A group and its tags.
struct GroupFacts {
  json group;
  TagMap tags;
};

Value ToState(ResourceContext& ctx, const GroupFacts& facts, const Value& current) {
  const json& group = facts.group;
  Value state = Value::Map({});
  state.Set("id", Str(JsonString(group, "logGroupName")));
  state.Set("name", Str(JsonString(group, "logGroupName")));
  state.Set("retention_in_days", Num(group.value("retentionInDays", 0.0)));
  state.Set("kms_key_id", StrOrNull(JsonString(group, "kmsKeyId")));
  state.Set("arn", Str(GroupArn(group)));
  KeepAttributes(current, state, {"name_prefix"});
  state.Set("skip_destroy", Bool(GetBool(current, "skip_destroy")));
  SetTagsFromAws(facts.tags, ctx.runtime().default_tags, current, state);
  return state;
}

// The groups named `names`, keyed by name, 50 identifiers a call. A server
// that ignores the identifiers (moto) lists every group: one such listing
// answers every chunk.
std::optional<std::map<std::string, json>> DescribeGroups(ResourceContext& ctx,
                                                          const std::vector<std::string>& names) {
  std::set<std::string> wanted(names.begin(), names.end());
  std::map<std::string, json> found;
  bool listed_everything = false;
  for (const std::vector<std::string>& identifiers : Chunks(names, kGroupsPerDescribe)) {
    if (listed_everything) break;
    std::set<std::string> chunk(identifiers.begin(), identifiers.end());
    json request = {{"logGroupIdentifiers", identifiers}};
    while (true) {
      auto page = JsonCall(ctx, "logs", "DescribeLogGroups", request);
      if (!page) return std::nullopt;
      for (const json& group : page->value("logGroups", json::array())) {
        std::string name = JsonString(group, "logGroupName");
        if (wanted.count(name)) found[name] = group;
        if (!chunk.count(name)) listed_everything = true;
      }
      std::string token = JsonString(*page, "nextToken");
      if (token.empty()) break;
      request["nextToken"] = token;
    }
  }
  return found;
}

// The groups named `names` with their tags (in bulk, through the Tagging API).
Found<GroupFacts> LookupGroups(ResourceContext& ctx, const std::vector<std::string>& names) {
  auto groups = DescribeGroups(ctx, names);
  if (!groups) return std::nullopt;
  std::vector<std::string> arns;
  for (const auto& [name, group] : *groups) arns.push_back(GroupArn(group));
  auto tags = ReadTagsByArn(ctx, arns);
  if (!tags) return std::nullopt;
  std::map<std::string, GroupFacts> found;
  for (const auto& [name, group] : *groups) found[name] = {group, (*tags)[GroupArn(group)]};
  return found;
}

bool SetRetention(ResourceContext& ctx, const std::string& name, long long days) {
  if (days > 0)
    return JsonCall(ctx, "logs", "PutRetentionPolicy",
                    {{"logGroupName", name}, {"retentionInDays", days}},
                    aws::Idempotency::kIdempotent)
        .has_value();
  return ctx.SucceededOrGone(ctx.client().Json("logs", "DeleteRetentionPolicy",
                                               {{"logGroupName", name}},
                                               {.idempotency = aws::Idempotency::kIdempotent}));
}

// The tags of the group named `name` (ListTagsForResource); nullopt when there is none.
std::optional<TagMap> GroupTags(ResourceContext& ctx, const std::string& name) {
  auto found = DescribeGroups(ctx, {name});
  if (!found || !found->count(name)) return std::nullopt;
  auto listed = JsonCall(ctx, "logs", "ListTagsForResource",
                         {{"resourceArn", GroupArn(found->at(name))}});
  if (!listed) return std::nullopt;
  json listed_tags = listed->value("tags", json::object());
  TagMap tags;
  for (const auto& [key, value] : listed_tags.items())
    if (value.is_string()) tags[key] = value.get<std::string>();
  return tags;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = NameForCreate(ctx, planned);
  json tags = json::object();
  for (const auto& [key, value] : ctx.TagsForCreate(planned)) tags[key] = value;
  json request = {{"logGroupName", name}, {"tags", tags}};
  if (auto key = FindString(planned, "kms_key_id")) request["kmsKeyId"] = *key;
  auto created = ctx.client().Json("logs", "CreateLogGroup", request,
                                   {.idempotency = aws::Idempotency::kNotIdempotent});
  // A create that landed before a lost answer left this instance's group behind.
  if (!CreatedOrAdopted(ctx, created, "ResourceAlreadyExistsException", {"log group", name},
                        [&] { return GroupTags(ctx, name); }))
    return Value();
  long long days = GetInt(planned, "retention_in_days");
  if (days > 0) SetRetention(ctx, name, days);
  return Value::Map({{"id", Str(name)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string name = IdOf(prior);
  if (Changed(prior, planned, "retention_in_days") &&
      !SetRetention(ctx, name, GetInt(planned, "retention_in_days")))
    return;
  if (!Changed(prior, planned, "kms_key_id")) return;
  if (auto key = FindString(planned, "kms_key_id"))
    JsonCall(ctx, "logs", "AssociateKmsKey", {{"logGroupName", name}, {"kmsKeyId", *key}},
             aws::Idempotency::kIdempotent);
  else
    JsonCall(ctx, "logs", "DisassociateKmsKey", {{"logGroupName", name}},
             aws::Idempotency::kIdempotent);
}

void UpdateTags(ResourceContext& ctx, const Value& state, const TagChanges& changes) {
  std::string arn = GetString(state, "arn");
  if (!changes.remove.empty() &&
      !JsonCall(ctx, "logs", "UntagResource", {{"resourceArn", arn}, {"tagKeys", changes.remove}},
                aws::Idempotency::kIdempotent))
    return;
  if (changes.set.empty()) return;
  json tags = json::object();
  for (const auto& [key, value] : changes.set) tags[key] = value;
  JsonCall(ctx, "logs", "TagResource", {{"resourceArn", arn}, {"tags", tags}},
           aws::Idempotency::kIdempotent);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  if (GetBool(prior, "skip_destroy")) return;
  ctx.SucceededOrGone(ctx.client().Json("logs", "DeleteLogGroup", {{"logGroupName", IdOf(prior)}},
                                        {.idempotency = aws::Idempotency::kIdempotent}));
}

// The group this instance's create would have named, when it is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string name = NameForCreate(ctx, planned);
  return HolderIsOurs(ctx, [&] { return GroupTags(ctx, name); }) ? Value::Map({{"id", Str(name)}})
                                                                  : Value();
}

}  // namespace

ResourceType aws_cloudwatch_log_group() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  UseBatchedReads<GroupFacts>(type, LookupGroups, ToState);
  type.adopt = Adopt;
  type.update_tags = UpdateTags;
  return type;
}

}  // namespace reconcile::aws_provider::resources
