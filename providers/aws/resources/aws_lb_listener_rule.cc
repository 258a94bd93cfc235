// aws_lb_listener_rule: a rule of a listener: requests matching its
// conditions (path patterns, host headers) get its actions. Conditions and
// actions change in place (ModifyRule), the priority too (SetRulePriorities);
// without a priority the rule takes the next free one. An interrupted create
// is found again among the listener's rules by its ownership tags, or as the
// holder of its priority. The id is the ARN; a refresh lists the rules of
// each listener once.
#include <set>

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

struct Rule {
  aws::XmlNode node;
  TagMap tags;
};

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

Value ToState(ResourceContext& ctx, const Rule& rule, const Value& current) {
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

// The rules of a listener, the default one left out (none when it is gone).
std::optional<std::vector<aws::XmlNode>> RulesOf(ResourceContext& ctx, const std::string& listener_arn) {
  aws::QueryParams params;
  params.Set("ListenerArn", listener_arn);
  auto rules = ElbDescribeAll(ctx, "DescribeRules", params, "Rules/member", true);
  if (rules)
    std::erase_if(*rules, [](const aws::XmlNode& rule) { return rule.Text("IsDefault") == "true"; });
  return rules;
}

std::string ListenerAndArn(const Value& state) {
  return GetString(state, "listener_arn") + "\n" + IdOf(state);
}

// The rules of every request, one DescribeRules per listener.
Found<Rule> Lookup(ResourceContext& ctx, const std::vector<ReadRequest>& requests) {
  std::set<std::string> listeners;
  for (const ReadRequest& r : requests) listeners.insert(GetString(r.current_state, "listener_arn"));
  std::map<std::string, Rule> found;
  std::vector<std::string> arns;
  for (const std::string& listener : listeners) {
    if (listener.empty()) continue;  // (imported: read by ARN)
    auto rules = RulesOf(ctx, listener);
    if (!rules) return std::nullopt;
    for (const aws::XmlNode& node : *rules) {
      arns.push_back(node.Text("RuleArn"));
      found[listener + "\n" + arns.back()].node = node;
    }
  }
  auto tags = ElbTags(ctx, arns);
  if (!tags) return std::nullopt;
  for (auto& [key, rule] : found) rule.tags = (*tags)[rule.node.Text("RuleArn")];
  return found;
}

Value ReadByArn(ResourceContext& ctx, const Value& current) {
  aws::QueryParams params;
  params.SetList("RuleArns", {IdOf(current)}, aws::ListStyle::kMember);
  auto described = ElbDescribeAll(ctx, "DescribeRules", params, "Rules/member", true);
  if (!described || described->empty()) return Value();
  auto tags = ElbTags(ctx, {IdOf(current)});
  if (!tags) return Value();
  return ToState(ctx, {described->front(), (*tags)[IdOf(current)]}, current);
}

std::vector<ReadResponse> ReadBatch(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, Lookup(ctx, requests), ToState, ListenerAndArn, ReadByArn);
}

Value Read(ResourceContext& ctx, const Value& current) {
  return IsSet(current, "listener_arn") ? ReadThroughBatch(ctx, current, ReadBatch) : ReadByArn(ctx, current);
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
  auto rules = RulesOf(ctx, listener);
  if (!rules) return 0;
  long long highest = 0;
  for (const aws::XmlNode& rule : *rules) highest = std::max(highest, std::stoll("0" + rule.Text("Priority")));
  return highest + 1;
}

// The tags of the listener's rule of `priority`, its ARN into *arn.
std::optional<TagMap> PriorityHolderTags(ResourceContext& ctx, const std::string& listener, long long priority,
                                         std::string* arn) {
  auto rules = RulesOf(ctx, listener);
  if (!rules) return std::nullopt;
  for (const aws::XmlNode& rule : *rules) {
    if (rule.Text("Priority") != std::to_string(priority)) continue;
    *arn = rule.Text("RuleArn");
    auto tags = ElbTags(ctx, {*arn});
    if (!tags) return std::nullopt;
    return (*tags)[*arn];
  }
  return std::nullopt;
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
                        [&] { return PriorityHolderTags(ctx, listener, priority, &arn); }))
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

// The listener's rule carrying this instance's ownership tags.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string listener = GetString(planned, "listener_arn");
  auto rules = RulesOf(ctx, listener);
  if (!rules) return Value();
  std::vector<std::string> arns;
  for (const aws::XmlNode& node : *rules) arns.push_back(node.Text("RuleArn"));
  auto owned = ElbFindOwned(ctx, arns);
  if (!owned || owned->empty()) return Value();
  return Value::Map({{"id", Str(*owned)}, {"listener_arn", Str(listener)}});
}

}  // namespace

ResourceType aws_lb_listener_rule() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.read_batch = ReadBatch;
  type.adopt = Adopt;
  type.update_tags = ElbTagUpdater();
  return type;
}

}  // namespace reconcile::aws_provider::resources
