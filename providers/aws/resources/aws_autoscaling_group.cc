// aws_autoscaling_group: an Auto Scaling group with `tag` blocks (each with
// propagate_at_launch) rather than a tags map, as in Terraform. Sizes, subnets,
// launch template and health checks change in place. The group's name is its
// id; refreshes describe up to 50 groups a call.
#include <algorithm>

#include "batch.h"
#include "generated_name.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

constexpr std::size_t kNamesPerDescribe = 50;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Required("min_size", kNumber),
              Attribute::Required("max_size", kNumber),
              Attribute::OptionalComputed("desired_capacity", kNumber),
              Attribute::OptionalComputed("vpc_zone_identifier", kSet).Of(kString),
              Attribute::OptionalComputed("availability_zones", kSet).Of(kString),
              Attribute::Optional("launch_template", kList)
                  .Block({Attribute::Optional("id", kString), Attribute::Optional("name", kString),
                          Attribute::Optional("version", kString)})
                  .MaxItems(1),
              Attribute::OptionalComputed("health_check_type", kString),
              Attribute::Optional("health_check_grace_period", kNumber).Default(Num(300)),
              Attribute::Optional("tag", kSet)
                  .Block({Attribute::Required("key", kString), Attribute::Required("value", kString),
                          Attribute::Required("propagate_at_launch", kBool)}),
              Attribute::Computed("arn", kString),
          },
          "An Auto Scaling group."};
}

std::optional<aws::XmlDocument> Call(ResourceContext& ctx, const std::string& action, const aws::QueryParams& params,
                                     aws::Idempotency idempotency = aws::Idempotency::kInferred) {
  return ctx.Unwrap(ctx.client().Query("autoscaling", action, params, {.idempotency = idempotency}));
}

std::vector<std::string> Members(const aws::XmlNode& node, const char* path) {
  std::vector<std::string> out;
  for (const aws::XmlNode& m : node.FindAll(path)) out.push_back(m.text());
  return out;
}

// The launch_template block, naming the template the way `current` did.
Value LaunchTemplateState(const aws::XmlNode& lt, const Value& current) {
  if (!lt) return Value();
  std::vector<Value> before = GetBlocks(current, "launch_template");
  bool by_name = !before.empty() && IsSet(before[0], "name") && !IsSet(before[0], "id");
  Value block = Value::Map({{"id", by_name ? Value() : Str(lt.Text("LaunchTemplateId"))},
                            {"name", by_name ? Str(lt.Text("LaunchTemplateName")) : Value()},
                            {"version", StrOrNull(lt.Text("Version"))}});
  return Value::List({block});
}

Value ToState(ResourceContext&, const aws::XmlNode& group, const Value& current) {
  ValueList tags;
  for (const aws::XmlNode& t : group.FindAll("Tags/member")) {
    if (IsOwnershipTag(t.Text("Key"))) continue;
    tags.push_back(Value::Map({{"key", Str(t.Text("Key"))}, {"value", Str(t.Text("Value"))},
                               {"propagate_at_launch", Bool(t.Text("PropagateAtLaunch") == "true")}}));
  }
  std::string subnets = group.Text("VPCZoneIdentifier");
  std::vector<std::string> subnet_list;
  for (std::size_t start = 0; !subnets.empty() && start <= subnets.size();) {
    std::size_t comma = subnets.find(',', start);
    if (comma == std::string::npos) comma = subnets.size();
    subnet_list.push_back(subnets.substr(start, comma - start));
    start = comma + 1;
  }
  Value state = Value::Map({});
  state.Set("id", Str(group.Text("AutoScalingGroupName")));
  state.Set("name", Str(group.Text("AutoScalingGroupName")));
  state.Set("min_size", NumFromText(group.Text("MinSize")));
  state.Set("max_size", NumFromText(group.Text("MaxSize")));
  state.Set("desired_capacity", NumFromText(group.Text("DesiredCapacity")));
  state.Set("vpc_zone_identifier", StrList(subnet_list));
  state.Set("availability_zones", StrList(Members(group, "AvailabilityZones/member")));
  state.Set("launch_template", LaunchTemplateState(group.Child("LaunchTemplate"), current));
  state.Set("health_check_type", Str(group.Text("HealthCheckType")));
  state.Set("health_check_grace_period", NumFromText(group.Text("HealthCheckGracePeriod")));
  state.Set("tag", Value::List(std::move(tags)));
  state.Set("arn", Str(group.Text("AutoScalingGroupARN")));
  KeepAttributes(current, state, {"name_prefix"});
  return state;
}

// Groups by name, 50 names a call; nullopt on error.
Found<aws::XmlNode> DescribeGroups(ResourceContext& ctx, const std::vector<std::string>& names) {
  std::map<std::string, aws::XmlNode> found;
  for (const std::vector<std::string>& chunk : Chunks(names, kNamesPerDescribe)) {
    aws::QueryParams params;
    params.SetList("AutoScalingGroupNames", chunk, aws::ListStyle::kMember).SetInt("MaxRecords", 100);
    auto doc = Call(ctx, "DescribeAutoScalingGroups", params);
    if (!doc) return std::nullopt;
    for (const aws::XmlNode& g : doc->root().FindAll("DescribeAutoScalingGroupsResult/AutoScalingGroups/member"))
      found[g.Text("AutoScalingGroupName")] = g;
  }
  return found;
}

// The settings CreateAutoScalingGroup and UpdateAutoScalingGroup share;
// `prior` null sets every configured one, else only the changed ones.
void SetGroupParams(aws::QueryParams& params, const Value& prior, const Value& planned) {
  auto wanted = [&](const char* key) { return IsSet(planned, key) && (prior.is_null() || Changed(prior, planned, key)); };
  if (wanted("min_size")) params.SetInt("MinSize", GetInt(planned, "min_size"));
  if (wanted("max_size")) params.SetInt("MaxSize", GetInt(planned, "max_size"));
  if (wanted("desired_capacity")) params.SetInt("DesiredCapacity", GetInt(planned, "desired_capacity"));
  if (wanted("vpc_zone_identifier")) {
    std::string joined;
    for (const std::string& s : GetStrings(planned, "vpc_zone_identifier")) joined += (joined.empty() ? "" : ",") + s;
    params.Set("VPCZoneIdentifier", joined);
  }
  if (wanted("availability_zones"))
    params.SetList("AvailabilityZones", GetStrings(planned, "availability_zones"), aws::ListStyle::kMember);
  if (wanted("launch_template")) {
    for (const Value& lt : GetBlocks(planned, "launch_template")) {
      if (auto id = FindString(lt, "id")) params.Set("LaunchTemplate.LaunchTemplateId", *id);
      if (auto name = FindString(lt, "name")) params.Set("LaunchTemplate.LaunchTemplateName", *name);
      if (auto version = FindString(lt, "version")) params.Set("LaunchTemplate.Version", *version);
    }
  }
  if (wanted("health_check_type")) params.Set("HealthCheckType", GetString(planned, "health_check_type"));
  if (wanted("health_check_grace_period"))
    params.SetInt("HealthCheckGracePeriod", GetInt(planned, "health_check_grace_period"));
}

// Tags.member.N.* for `tags` (user blocks plus ownership tags) on group `name`.
void SetTagParams(aws::QueryParams& params, const std::string& name, const std::vector<Value>& tags) {
  int n = 0;
  for (const Value& tag : tags) {
    std::string p = "Tags.member." + std::to_string(++n) + ".";
    params.Set(p + "Key", GetString(tag, "key")).Set(p + "ResourceId", name).Set(p + "ResourceType", "auto-scaling-group");
    if (FindString(tag, "value")) params.Set(p + "Value", GetString(tag, "value"));
    if (IsSet(tag, "propagate_at_launch")) params.SetBool(p + "PropagateAtLaunch", GetBool(tag, "propagate_at_launch"));
  }
}

std::vector<Value> OwnershipTagBlocks(const ResourceContext& ctx) {
  std::vector<Value> out;
  for (const auto& [key, value] : ctx.OwnershipTags())
    out.push_back(Value::Map({{"key", Str(key)}, {"value", Str(value)}, {"propagate_at_launch", Bool(false)}}));
  return out;
}

// The tags of the group named `name`; nullopt when there is none.
std::optional<TagMap> GroupTags(ResourceContext& ctx, const std::string& name) {
  auto found = DescribeGroups(ctx, {name});
  if (!found || !found->count(name)) return std::nullopt;
  TagMap tags;
  for (const aws::XmlNode& t : found->at(name).FindAll("Tags/member")) tags[t.Text("Key")] = t.Text("Value");
  return tags;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = NameForCreate(ctx, planned);
  // CreateAutoScalingGroup refuses (AWS) or replaces (moto) a group of the name: look first.
  switch (CheckName(ctx, {"Auto Scaling group", name}, [&] { return GroupTags(ctx, name); })) {
    case NameCheck::kRefused:
      return Value();
    case NameCheck::kOurs:
      return Value::Map({{"id", Str(name)}});
    case NameCheck::kFree:
      break;
  }
  aws::QueryParams params;
  params.Set("AutoScalingGroupName", name);
  SetGroupParams(params, Value(), planned);
  std::vector<Value> tags = GetBlocks(planned, "tag");
  for (Value& t : OwnershipTagBlocks(ctx)) tags.push_back(std::move(t));
  SetTagParams(params, name, tags);
  if (!Call(ctx, "CreateAutoScalingGroup", params, aws::Idempotency::kNotIdempotent)) return Value();
  return Value::Map({{"id", Str(name)}});
}

// Tag blocks of `a` whose key is not in `b` with the same value and propagation.
std::vector<Value> TagsMissing(const std::vector<Value>& a, const std::vector<Value>& b) {
  std::vector<Value> out;
  for (const Value& tag : a)
    if (std::none_of(b.begin(), b.end(), [&](const Value& other) { return other.Equals(tag); })) out.push_back(tag);
  return out;
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string name = IdOf(prior);
  aws::QueryParams params;
  params.Set("AutoScalingGroupName", name);
  SetGroupParams(params, prior, planned);
  if (params.entries().size() > 1 && !Call(ctx, "UpdateAutoScalingGroup", params, aws::Idempotency::kIdempotent)) return;
  std::vector<Value> before = GetBlocks(prior, "tag");
  std::vector<Value> after = GetBlocks(planned, "tag");
  std::vector<Value> removed;
  for (const Value& tag : TagsMissing(before, after)) {
    bool kept = std::any_of(after.begin(), after.end(), [&](const Value& t) { return GetString(t, "key") == GetString(tag, "key"); });
    if (!kept) removed.push_back(tag);
  }
  if (!removed.empty()) {
    aws::QueryParams del;
    SetTagParams(del, name, removed);
    if (!Call(ctx, "DeleteTags", del, aws::Idempotency::kIdempotent)) return;
  }
  std::vector<Value> added = TagsMissing(after, before);
  if (!added.empty()) {
    aws::QueryParams put;
    SetTagParams(put, name, added);
    Call(ctx, "CreateOrUpdateTags", put, aws::Idempotency::kIdempotent);
  }
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string name = IdOf(prior);
  aws::QueryParams params;
  params.Set("AutoScalingGroupName", name).SetBool("ForceDelete", true);
  DeleteUntilGone(ctx, {.what = "Auto Scaling group " + name,
                        .call = [&]() -> aws::AwsResult<aws::Done> {
                          auto result = ctx.client().Query("autoscaling", "DeleteAutoScalingGroup", params);
                          // (a group that does not exist is a ValidationError)
                          bool gone = !result.ok() && result.error().Is("ValidationError") &&
                                      result.error().message.find("not found") != std::string::npos;
                          return gone ? aws::Done{} : AsDone(result);
                        },
                        .exists = [&]() -> std::optional<bool> {
                          auto found = DescribeGroups(ctx, {name});
                          if (!found) return std::nullopt;
                          return !found->empty();
                        }});
}

// The group this instance's create would have named, when it is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string name = NameForCreate(ctx, planned);
  return HolderIsOurs(ctx, [&] { return GroupTags(ctx, name); }) ? Value::Map({{"id", Str(name)}})
                                                                  : Value();
}

}  // namespace

ResourceType aws_autoscaling_group() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  UseBatchedReads<aws::XmlNode>(type, DescribeGroups, ToState);
  type.adopt = Adopt;
  return type;
}

}  // namespace reconcile::aws_provider::resources
