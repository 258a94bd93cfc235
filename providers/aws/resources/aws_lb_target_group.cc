// aws_lb_target_group: where a listener sends traffic (instances or IP
// addresses). Its name finds it again after an interrupted create (another
// owner's group holding it is an error); the health check and the
// deregistration delay change in place; port, protocol, VPC and target type
// force a replacement. The id is the ARN. A refresh lists every group once
// and their tags 20 a call.
#include "batch.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/elbv2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  std::vector<Attribute> health_check = {
      Attribute::Optional("enabled", kBool).Default(Bool(true)),
      Attribute::Optional("healthy_threshold", kNumber).Default(Num(3)),
      Attribute::Optional("unhealthy_threshold", kNumber).Default(Num(3)),
      Attribute::Optional("interval", kNumber).Default(Num(30)),
      Attribute::OptionalComputed("timeout", kNumber),
      Attribute::OptionalComputed("matcher", kString),
      Attribute::OptionalComputed("path", kString),
      Attribute::Optional("port", kString).Default(Str("traffic-port")),
      Attribute::Optional("protocol", kString).Default(Str("HTTP")),
  };
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Optional("port", kNumber).ForceNew(),
              Attribute::Optional("protocol", kString).ForceNew(),
              Attribute::Optional("vpc_id", kString).ForceNew(),
              Attribute::Optional("target_type", kString)
                  .Default(Str("instance"))
                  .ForceNew()
                  .Describe("instance or ip"),
              Attribute::Optional("deregistration_delay", kNumber).Default(Num(300)),
              Attribute::OptionalComputed("health_check", kList).Block(health_check).MaxItems(1),
              Attribute::Computed("arn", kString),
              Attribute::Computed("arn_suffix", kString),
              Attribute::Computed("load_balancer_arns", kSet).Of(kString),
          },
          "A load balancer target group."};
}

constexpr const char* kDelayAttribute = "deregistration_delay.timeout_seconds";

const ElbKind kTargetGroups = {"DescribeTargetGroups", "TargetGroupArns", "TargetGroups/member",
                               "TargetGroupArn", "DescribeTargetGroupAttributes", "TargetGroupArn"};

Value HealthCheckState(const aws::XmlNode& n) {
  return Value::List({Value::Map({
      {"enabled", Bool(n.Text("HealthCheckEnabled") != "false")},
      {"healthy_threshold", NumFromText(n.Text("HealthyThresholdCount"))},
      {"unhealthy_threshold", NumFromText(n.Text("UnhealthyThresholdCount"))},
      {"interval", NumFromText(n.Text("HealthCheckIntervalSeconds"))},
      {"timeout", NumFromText(n.Text("HealthCheckTimeoutSeconds"))},
      {"matcher", StrOrNull(n.Text("Matcher/HttpCode"))},
      {"path", StrOrNull(n.Text("HealthCheckPath"))},
      {"port", Str(n.Text("HealthCheckPort"))},
      {"protocol", Str(n.Text("HealthCheckProtocol"))},
  })});
}

Value ToState(ResourceContext& ctx, const ElbObject& group, const Value& current) {
  const aws::XmlNode& n = group.node;
  std::string arn = n.Text("TargetGroupArn");
  Value state = Value::Map({});
  state.Set("id", Str(arn));
  state.Set("arn", Str(arn));
  state.Set("arn_suffix", Str(arn.substr(arn.find(":targetgroup/") + 1)));
  state.Set("name", Str(n.Text("TargetGroupName")));
  KeepAttributes(current, state, {"name_prefix"});
  state.Set("port", NumFromText(n.Text("Port")));
  state.Set("protocol", StrOrNull(n.Text("Protocol")));
  state.Set("vpc_id", StrOrNull(n.Text("VpcId")));
  state.Set("target_type", Str(n.Text("TargetType")));
  auto delay = group.attributes.find(kDelayAttribute);
  state.Set("deregistration_delay", delay == group.attributes.end() ? Num(300) : NumFromText(delay->second));
  state.Set("health_check", HealthCheckState(n));
  state.Set("load_balancer_arns", StrList(ElbMembers(n, "LoadBalancerArns")));
  SetTagsFromAws(group.tags, ctx.runtime().default_tags, current, state);
  return state;
}

// The tags of the target group named `name`, its ARN into *arn; nullopt when none.
std::optional<TagMap> NameHolderTags(ResourceContext& ctx, const std::string& name, std::string* arn) {
  return ElbNameHolderTags(ctx, kTargetGroups, name, arn);
}

// The configured health check as CreateTargetGroup / ModifyTargetGroup take it.
void SetHealthCheck(aws::QueryParams& params, const Value& planned) {
  for (const Value& check : GetBlocks(planned, "health_check")) {
    params.SetBool("HealthCheckEnabled", GetBool(check, "enabled", true))
        .Set("HealthCheckProtocol", GetString(check, "protocol"))
        .Set("HealthCheckPort", GetString(check, "port"))
        .SetInt("HealthyThresholdCount", GetInt(check, "healthy_threshold", 3))
        .SetInt("UnhealthyThresholdCount", GetInt(check, "unhealthy_threshold", 3))
        .SetInt("HealthCheckIntervalSeconds", GetInt(check, "interval", 30));
    if (auto timeout = FindInt(check, "timeout")) params.SetInt("HealthCheckTimeoutSeconds", *timeout);
    if (auto path = FindString(check, "path")) params.Set("HealthCheckPath", *path);
    if (auto matcher = FindString(check, "matcher")) params.Set("Matcher.HttpCode", *matcher);
  }
}

bool SetDelay(ResourceContext& ctx, const std::string& arn, const Value& planned) {
  return ElbModifyAttributes(ctx, "ModifyTargetGroupAttributes", "TargetGroupArn", arn,
                             {{kDelayAttribute, std::to_string(GetInt(planned, "deregistration_delay", 300))}});
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = ElbNameForCreate(ctx, planned);
  std::string arn;
  switch (CheckName(ctx, {"target group", name}, [&] { return NameHolderTags(ctx, name, &arn); })) {
    case NameCheck::kRefused:
      return Value();
    case NameCheck::kOurs:
      return Value::Map({{"id", Str(arn)}});
    case NameCheck::kFree:
      break;
  }
  aws::QueryParams params;
  params.Set("Name", name)
      .Set("TargetType", GetString(planned, "target_type"))
      .SetTags("Tags", ctx.TagsForCreate(planned), aws::ListStyle::kMember);
  if (auto port = FindInt(planned, "port")) params.SetInt("Port", *port);
  if (auto protocol = FindString(planned, "protocol")) params.Set("Protocol", *protocol);
  if (auto vpc = FindString(planned, "vpc_id")) params.Set("VpcId", *vpc);
  SetHealthCheck(params, planned);
  auto created = ElbCall(ctx, "CreateTargetGroup", params);
  if (!created) return Value();
  arn = created->Text("TargetGroups/member/TargetGroupArn");
  if (GetInt(planned, "deregistration_delay", 300) != 300) SetDelay(ctx, arn, planned);
  return Value::Map({{"id", Str(arn)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string arn = IdOf(prior);
  if (Changed(prior, planned, "health_check") && IsSet(planned, "health_check")) {
    aws::QueryParams params;
    params.Set("TargetGroupArn", arn);
    SetHealthCheck(params, planned);
    if (!ElbCall(ctx, "ModifyTargetGroup", params, aws::Idempotency::kIdempotent)) return;
  }
  if (Changed(prior, planned, "deregistration_delay")) SetDelay(ctx, arn, planned);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string arn = IdOf(prior);
  aws::QueryParams params;
  params.Set("TargetGroupArn", arn);
  // A listener deleted a moment ago may still hold it: ResourceInUse.
  DeleteUntilGone(ctx, {.what = "target group " + arn,
                        .call = [&] { return AsDone(ElbSend(ctx, "DeleteTargetGroup", params, aws::Idempotency::kIdempotent)); },
                        .retry_while = {"ResourceInUse"},
                        .exists = [&] { return ElbExists(ctx, kTargetGroups, arn); }});
}

Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string name = ElbNameForCreate(ctx, planned);
  std::string arn;
  return HolderIsOurs(ctx, [&] { return NameHolderTags(ctx, name, &arn); }) ? Value::Map({{"id", Str(arn)}})
                                                                            : Value();
}

}  // namespace

ResourceType aws_lb_target_group() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  UseBatchedReads<ElbObject>(type, [](ResourceContext& ctx, const std::vector<std::string>& arns) {
    return ElbLookup(ctx, kTargetGroups, arns);
  }, ToState);
  type.adopt = Adopt;
  type.update_tags = ElbTagUpdater();
  return type;
}

}  // namespace reconcile::aws_provider::resources
