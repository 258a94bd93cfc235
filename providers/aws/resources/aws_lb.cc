// aws_lb: an application or network load balancer. Its name finds it again
// after an interrupted create (a name is unique in a region: another owner's
// balancer holding it is an error); subnets, security groups, the idle
// timeout and deletion protection change in place; the scheme and type force
// a replacement. A create waits until the balancer is active. The id is the
// ARN. A refresh lists every balancer once (DescribeLoadBalancers answers a
// whole call with LoadBalancerNotFound when one ARN is gone) and their tags 20
// a call.
#include "batch.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/elbv2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Optional("internal", kBool).Default(Bool(false)).ForceNew(),
              Attribute::Optional("load_balancer_type", kString)
                  .Default(Str("application"))
                  .ForceNew()
                  .Describe("application or network"),
              Attribute::OptionalComputed("subnets", kSet).Of(kString),
              Attribute::OptionalComputed("security_groups", kSet).Of(kString),
              Attribute::OptionalComputed("ip_address_type", kString),
              Attribute::Optional("idle_timeout", kNumber).Default(Num(60)),
              Attribute::Optional("enable_deletion_protection", kBool).Default(Bool(false)),
              Attribute::Computed("arn", kString),
              Attribute::Computed("arn_suffix", kString),
              Attribute::Computed("dns_name", kString),
              Attribute::Computed("zone_id", kString),
              Attribute::Computed("vpc_id", kString),
          },
          "An application or network load balancer."};
}

const ElbKind kBalancers = {"DescribeLoadBalancers", "LoadBalancerArns", "LoadBalancers/member",
                            "LoadBalancerArn", "DescribeLoadBalancerAttributes", "LoadBalancerArn"};

bool IsApplication(const Value& state) {
  return GetString(state, "load_balancer_type") != "network";
}

Value ToState(ResourceContext& ctx, const ElbObject& lb, const Value& current) {
  const aws::XmlNode& n = lb.node;
  std::string arn = n.Text("LoadBalancerArn");
  Value state = Value::Map({});
  state.Set("id", Str(arn));
  state.Set("arn", Str(arn));
  state.Set("arn_suffix", Str(arn.substr(arn.find(":loadbalancer/") + 14)));
  state.Set("name", Str(n.Text("LoadBalancerName")));
  KeepAttributes(current, state, {"name_prefix"});
  state.Set("internal", Bool(n.Text("Scheme") == "internal"));
  state.Set("load_balancer_type", Str(n.Text("Type")));
  std::vector<std::string> subnets;
  for (const aws::XmlNode& zone : n.FindAll("AvailabilityZones/member")) subnets.push_back(zone.Text("SubnetId"));
  state.Set("subnets", StrList(subnets));
  state.Set("security_groups", StrList(ElbMembers(n, "SecurityGroups")));
  state.Set("ip_address_type", StrOrNull(n.Text("IpAddressType")));
  auto idle = lb.attributes.find("idle_timeout.timeout_seconds");
  if (idle != lb.attributes.end())
    state.Set("idle_timeout", NumFromText(idle->second));
  else
    KeepAttributes(current, state, {"idle_timeout"});  // (network balancers have none)
  auto protection = lb.attributes.find("deletion_protection.enabled");
  state.Set("enable_deletion_protection", Bool(protection != lb.attributes.end() && protection->second == "true"));
  state.Set("dns_name", Str(n.Text("DNSName")));
  state.Set("zone_id", Str(n.Text("CanonicalHostedZoneId")));
  state.Set("vpc_id", StrOrNull(n.Text("VpcId")));
  SetTagsFromAws(lb.tags, ctx.runtime().default_tags, current, state);
  return state;
}

// Balancers described by `params` (all of them when empty); NotFound is none.
std::optional<std::vector<aws::XmlNode>> DescribeBalancers(ResourceContext& ctx, const aws::QueryParams& params) {
  return ElbDescribeAll(ctx, "DescribeLoadBalancers", params, "LoadBalancers/member", true);
}

// The tags of the balancer named `name`, its ARN into *arn; nullopt when none.
std::optional<TagMap> NameHolderTags(ResourceContext& ctx, const std::string& name, std::string* arn) {
  return ElbNameHolderTags(ctx, kBalancers, name, arn);
}

bool WaitActive(ResourceContext& ctx, const std::string& arn) {
  return WaitFor(ctx, "load balancer " + arn + " to become active", [&] {
    aws::QueryParams params;
    params.SetList("LoadBalancerArns", {arn}, aws::ListStyle::kMember);
    auto described = DescribeBalancers(ctx, params);
    if (!described) return Poll::kFailed;
    if (described->empty()) return Poll::kPending;
    std::string code = described->front().Text("State/Code");
    if (code == "failed") {
      ctx.Error("Load balancer " + arn + " failed to provision", described->front().Text("State/Reason"));
      return Poll::kFailed;
    }
    return code == "active" ? Poll::kDone : Poll::kPending;
  });
}

// The attributes the plan sets, as ModifyLoadBalancerAttributes takes them.
std::map<std::string, std::string> AttributesOf(const Value& planned, const Value& prior) {
  std::map<std::string, std::string> out;
  if (IsApplication(planned) && (prior.is_null() ? GetInt(planned, "idle_timeout", 60) != 60
                                                 : Changed(prior, planned, "idle_timeout")))
    out["idle_timeout.timeout_seconds"] = std::to_string(GetInt(planned, "idle_timeout", 60));
  if (prior.is_null() ? GetBool(planned, "enable_deletion_protection")
                      : Changed(prior, planned, "enable_deletion_protection"))
    out["deletion_protection.enabled"] = GetBool(planned, "enable_deletion_protection") ? "true" : "false";
  return out;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  // CreateLoadBalancer answers with the holder of the name (AWS) or makes a
  // second balancer of it (moto): look first.
  std::string name = ElbNameForCreate(ctx, planned);
  std::string arn;
  switch (CheckName(ctx, {"load balancer", name}, [&] { return NameHolderTags(ctx, name, &arn); })) {
    case NameCheck::kRefused:
      return Value();
    case NameCheck::kOurs:
      return Value::Map({{"id", Str(arn)}});
    case NameCheck::kFree:
      break;
  }
  aws::QueryParams params;
  params.Set("Name", name)
      .Set("Type", GetString(planned, "load_balancer_type"))
      .Set("Scheme", GetBool(planned, "internal") ? "internal" : "internet-facing")
      .SetList("Subnets", GetStrings(planned, "subnets"), aws::ListStyle::kMember)
      .SetTags("Tags", ctx.TagsForCreate(planned), aws::ListStyle::kMember);
  std::vector<std::string> groups = GetStrings(planned, "security_groups");
  if (!groups.empty()) params.SetList("SecurityGroups", groups, aws::ListStyle::kMember);
  if (auto type = FindString(planned, "ip_address_type")) params.Set("IpAddressType", *type);
  auto created = ElbCall(ctx, "CreateLoadBalancer", params);
  if (!created) return Value();
  arn = created->Text("LoadBalancers/member/LoadBalancerArn");
  if (!ElbModifyAttributes(ctx, "ModifyLoadBalancerAttributes", "LoadBalancerArn", arn, AttributesOf(planned, Value())))
    return Value();
  WaitActive(ctx, arn);
  return Value::Map({{"id", Str(arn)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string arn = IdOf(prior);
  aws::QueryParams base;
  base.Set("LoadBalancerArn", arn);
  if (Changed(prior, planned, "subnets") && IsSet(planned, "subnets")) {
    aws::QueryParams params = base;
    params.SetList("Subnets", GetStrings(planned, "subnets"), aws::ListStyle::kMember);
    if (!ElbCall(ctx, "SetSubnets", params, aws::Idempotency::kIdempotent)) return;
  }
  if (Changed(prior, planned, "security_groups") && IsSet(planned, "security_groups")) {
    aws::QueryParams params = base;
    params.SetList("SecurityGroups", GetStrings(planned, "security_groups"), aws::ListStyle::kMember);
    if (!ElbCall(ctx, "SetSecurityGroups", params, aws::Idempotency::kIdempotent)) return;
  }
  if (Changed(prior, planned, "ip_address_type") && IsSet(planned, "ip_address_type")) {
    aws::QueryParams params = base;
    params.Set("IpAddressType", GetString(planned, "ip_address_type"));
    if (!ElbCall(ctx, "SetIpAddressType", params, aws::Idempotency::kIdempotent)) return;
  }
  ElbModifyAttributes(ctx, "ModifyLoadBalancerAttributes", "LoadBalancerArn", arn, AttributesOf(planned, prior));
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string arn = IdOf(prior);
  aws::QueryParams params;
  params.Set("LoadBalancerArn", arn);
  DeleteUntilGone(ctx, {.what = "load balancer " + arn,
                        .call = [&] { return AsDone(ElbSend(ctx, "DeleteLoadBalancer", params, aws::Idempotency::kIdempotent)); },
                        .exists = [&] { return ElbExists(ctx, kBalancers, arn); }});
}

// The balancer of the planned (or generated) name, when it is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string name = ElbNameForCreate(ctx, planned);
  std::string arn;
  return HolderIsOurs(ctx, [&] { return NameHolderTags(ctx, name, &arn); }) ? Value::Map({{"id", Str(arn)}})
                                                                            : Value();
}

}  // namespace

ResourceType aws_lb() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  UseBatchedReads<ElbObject>(type, [](ResourceContext& ctx, const std::vector<std::string>& arns) {
    return ElbLookup(ctx, kBalancers, arns);
  }, ToState);
  type.adopt = Adopt;
  type.update_tags = ElbTagUpdater();
  return type;
}

}  // namespace reconcile::aws_provider::resources
