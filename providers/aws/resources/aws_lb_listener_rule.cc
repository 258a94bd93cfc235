// aws_lb_listener_rule: a rule of a listener: requests matching its
// conditions (path patterns, host headers) get its actions. Conditions and
// actions change in place (ModifyRule), the priority too (SetRulePriorities);
// without a priority the rule takes the next free one. An interrupted create
// is found again among the listener's rules by its ownership tags, or as the
// holder of its priority. The id is the ARN; a refresh lists the rules of
// each listener once.
#include "batch.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/elbv2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

// The condition kinds supported: attribute name and ELBv2 field.
constexpr std::pair<const char*, const char*> kConditions[] = {
    {"path_pattern", "path-pattern"},
    {"host_header", "host-header"},
};

ResourceSchema Schema() {
  std::vector<Attribute> values = {Attribute::Required("values", kSet).Of(kString)};
  std::vector<Attribute> condition;
  for (const auto& [name, field] : kConditions)
    condition.push_back(Attribute::Optional(name, kList).Block(values).MaxItems(1));
  return {0,
          {
              Attribute::Required("listener_arn", kString).ForceNew(),
              Attribute::OptionalComputed("priority", kNumber),
              Attribute::Required("action", kList).Block(ElbActionFields()),
              Attribute::Required("condition", kSet).Block(condition),
              Attribute::Computed("arn", kString),
          },
          "A load balancer listener rule."};
}

const ElbChildKind kRules = {"listener_arn", "DescribeRules", "ListenerArn", "RuleArns", "Rules/member", "RuleArn"};

Value ConditionsState(const aws::XmlNode& conditions) {
  ValueList out;
  for (const aws::XmlNode& c : conditions.Children("member")) {
    Value block = Value::Map({});
    for (const auto& [name, field] : kConditions) {
      if (c.Text("Field") != field) {
        block.Set(name, Value());
        continue;
      }
      std::string config = std::string(name) == "path_pattern" ? "PathPatternConfig" : "HostHeaderConfig";
      std::vector<std::string> values = ElbMembers(c, config + "/Values");
      if (values.empty()) values = ElbMembers(c, "Values");
      block.Set(name, Value::List({Value::Map({{"values", StrList(values)}})}));
    }
    out.push_back(std::move(block));
  }
  return Value::List(std::move(out));
}

Value ToState(ResourceContext& ctx, const ElbTagged& rule, const Value& current) {
  const aws::XmlNode& n = rule.node;
  std::string arn = n.Text("RuleArn");
  Value state = Value::Map({});
  state.Set("id", Str(arn));
  state.Set("arn", Str(arn));
  // The listener's ARN is the rule's with "listener-rule" for "listener", less the last part.
  std::string listener = arn.substr(0, arn.rfind('/'));
  if (auto at = listener.find(":listener-rule/"); at != std::string::npos)
    listener.replace(at, 15, ":listener/");
  state.Set("listener_arn", Str(listener));
  state.Set("priority", NumFromText(n.Text("Priority")));
  state.Set("action", ElbActionsState(n.Child("Actions")));
  state.Set("condition", ConditionsState(n.Child("Conditions")));
  SetTagsFromAws(rule.tags, ctx.runtime().default_tags, current, state);
  return state;
}

void SetConditions(aws::QueryParams& params, const Value& planned) {
  int n = 0;
  for (const Value& condition : GetBlocks(planned, "condition")) {
    for (const auto& [name, field] : kConditions) {
      for (const Value& block : GetBlocks(condition, name)) {
        std::string at = "Conditions.member." + std::to_string(++n) + ".";
        std::string config = std::string(name) == "path_pattern" ? "PathPatternConfig" : "HostHeaderConfig";
        params.Set(at + "Field", field).SetList(at + config + ".Values", GetStrings(block, "values"),
                                                aws::ListStyle::kMember);
      }
    }
  }
}

// The next priority free on the listener (1 past the highest); 0 on error.
long long NextPriority(ResourceContext& ctx, const std::string& listener) {
  auto rules = ElbChildrenOf(ctx, kRules, listener);
  if (!rules) return 0;
  long long highest = 0;
  for (const aws::XmlNode& rule : *rules) highest = std::max(highest, std::stoll("0" + rule.Text("Priority")));
  return highest + 1;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string listener = GetString(planned, "listener_arn");
  long long priority = FindInt(planned, "priority").value_or(0);
  if (priority == 0 && (priority = NextPriority(ctx, listener)) == 0) return Value();
  aws::QueryParams params;
  params.Set("ListenerArn", listener)
      .SetInt("Priority", priority)
      .SetTags("Tags", ctx.TagsForCreate(planned), aws::ListStyle::kMember);
  SetConditions(params, planned);
  SetElbActions(params, "Actions", GetBlocks(planned, "action"));
  auto created = ElbSend(ctx, "CreateRule", params);
  std::string arn = created.ok() ? created->Text("Rules/member/RuleArn") : "";
  if (!CreatedOrAdopted(ctx, created, "PriorityInUse", {"listener rule of priority", std::to_string(priority)},
                        [&] { return ElbChildHolderTags(ctx, kRules, listener, "Priority", std::to_string(priority), &arn); }))
    return Value();
  return Value::Map({{"id", Str(arn)}, {"listener_arn", Str(listener)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string arn = IdOf(prior);
  if (Changed(prior, planned, "priority") && IsSet(planned, "priority")) {
    aws::QueryParams params;
    params.Set("RulePriorities.member.1.RuleArn", arn)
        .SetInt("RulePriorities.member.1.Priority", GetInt(planned, "priority"));
    if (!ElbCall(ctx, "SetRulePriorities", params, aws::Idempotency::kIdempotent)) return;
  }
  if (!Changed(prior, planned, "condition") && !Changed(prior, planned, "action")) return;
  aws::QueryParams params;
  params.Set("RuleArn", arn);
  SetConditions(params, planned);
  SetElbActions(params, "Actions", GetBlocks(planned, "action"));
  ElbCall(ctx, "ModifyRule", params, aws::Idempotency::kIdempotent);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  aws::QueryParams params;
  params.Set("RuleArn", IdOf(prior));
  DeleteUntilGone(ctx, {.what = "listener rule " + IdOf(prior),
                        .call = [&] { return AsDone(ElbSend(ctx, "DeleteRule", params, aws::Idempotency::kIdempotent)); }});
}

}  // namespace

ResourceType aws_lb_listener_rule() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  UseElbChildReads(type, kRules, ToState);
  type.adopt = ElbAdoptChild(kRules);
  type.update_tags = ElbTagUpdater();
  return type;
}

}  // namespace reconcile::aws_provider::resources
