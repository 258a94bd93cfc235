// aws_cloudwatch_metric_alarm: a CloudWatch alarm on one metric (namespace,
// name, dimensions, statistic) with its actions, such as an EC2 stop action
// (arn:aws:automate:REGION:ec2:stop). Everything but the name changes in
// place: PutMetricAlarm rewrites the whole alarm. PutMetricAlarm also
// overwrites an alarm of the same name, so a create looks first: a name held
// by another owner's alarm is refused, this instance's is adopted. Its id is
// the alarm name, which import takes.
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/cloudwatch.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("alarm_name", kString).ForceNew(),
              Attribute::Required("comparison_operator", kString),
              Attribute::Required("evaluation_periods", kNumber),
              Attribute::Optional("metric_name", kString),
              Attribute::Optional("namespace", kString),
              Attribute::Optional("period", kNumber),
              Attribute::Optional("statistic", kString),
              Attribute::Optional("extended_statistic", kString),
              Attribute::Optional("threshold", kNumber),
              Attribute::Optional("unit", kString),
              Attribute::Optional("dimensions", kMap).Of(kString),
              Attribute::Optional("alarm_description", kString),
              Attribute::Optional("datapoints_to_alarm", kNumber),
              Attribute::Optional("actions_enabled", kBool).Default(Bool(true)),
              Attribute::Optional("alarm_actions", kSet).Of(kString),
              Attribute::Optional("ok_actions", kSet).Of(kString),
              Attribute::Optional("insufficient_data_actions", kSet).Of(kString),
              Attribute::Optional("treat_missing_data", kString).Default(Str("missing")),
              Attribute::OptionalComputed("evaluate_low_sample_count_percentiles", kString),
              Attribute::Computed("arn", kString),
          },
          "A CloudWatch metric alarm."};
}

// Scalar settings: attribute, PutMetricAlarm parameter and DescribeAlarms element.
const std::pair<const char*, const char*> kStrings[] = {
    {"comparison_operator", "ComparisonOperator"},
    {"metric_name", "MetricName"},
    {"namespace", "Namespace"},
    {"statistic", "Statistic"},
    {"extended_statistic", "ExtendedStatistic"},
    {"unit", "Unit"},
    {"alarm_description", "AlarmDescription"},
    {"treat_missing_data", "TreatMissingData"},
    {"evaluate_low_sample_count_percentiles", "EvaluateLowSampleCountPercentile"}};
const std::pair<const char*, const char*> kNumbers[] = {
    {"evaluation_periods", "EvaluationPeriods"},
    {"period", "Period"},
    {"threshold", "Threshold"},
    {"datapoints_to_alarm", "DatapointsToAlarm"}};
const std::pair<const char*, const char*> kActions[] = {
    {"alarm_actions", "AlarmActions"},
    {"ok_actions", "OKActions"},
    {"insufficient_data_actions", "InsufficientDataActions"}};

Value ActionList(const aws::XmlNode& alarm, const char* element) {
  std::vector<std::string> actions;
  for (const aws::XmlNode& a : alarm.FindAll(std::string(element) + "/member"))
    actions.push_back(a.text());
  return actions.empty() ? Value() : StrList(actions);
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& alarm, const Value& current) {
  std::string arn = alarm.Text("AlarmArn");
  Value state = Value::Map({});
  state.Set("id", Str(alarm.Text("AlarmName")));
  state.Set("alarm_name", Str(alarm.Text("AlarmName")));
  state.Set("arn", Str(arn));
  for (const auto& [attribute, element] : kStrings)
    state.Set(attribute, StrOrNull(alarm.Text(element)));
  for (const auto& [attribute, element] : kNumbers)
    state.Set(attribute, NumFromText(alarm.Text(element)));
  for (const auto& [attribute, element] : kActions)
    state.Set(attribute, ActionList(alarm, element));
  state.Set("actions_enabled", Bool(alarm.Text("ActionsEnabled") != "false"));
  if (GetString(state, "treat_missing_data").empty())
    state.Set("treat_missing_data", Str("missing"));
  ValueMap dimensions;
  for (const aws::XmlNode& d : alarm.FindAll("Dimensions/member"))
    dimensions[d.Text("Name")] = Str(d.Text("Value"));
  state.Set("dimensions", dimensions.empty() ? Value() : Value::Map(std::move(dimensions)));
  if (auto tags = CloudWatchTags(ctx, arn))
    SetTagsFromAws(*tags, ctx.runtime().default_tags, current, state);
  return state;
}

// PutMetricAlarm with every planned setting (and the tags, which only a create applies).
bool PutAlarm(ResourceContext& ctx, const Value& planned, const TagMap& tags) {
  aws::QueryParams params;
  params.Set("AlarmName", GetString(planned, "alarm_name"))
      .SetBool("ActionsEnabled", GetBool(planned, "actions_enabled", true));
  for (const auto& [attribute, param] : kStrings)
    if (auto v = FindString(planned, attribute)) params.Set(param, *v);
  for (const auto& [attribute, param] : kNumbers)
    if (auto v = FindString(planned, attribute)) params.Set(param, *v);
  for (const auto& [attribute, param] : kActions)
    params.SetList(param, GetStrings(planned, attribute), aws::ListStyle::kMember);
  std::vector<std::map<std::string, std::string>> dimensions;
  for (const auto& [name, value] : GetStringMap(planned, "dimensions"))
    dimensions.push_back({{"Name", name}, {"Value", value}});
  params.SetStructList("Dimensions", dimensions, aws::ListStyle::kMember);
  if (!tags.empty()) params.SetTags("Tags", tags, aws::ListStyle::kMember);
  return CloudWatchCall(ctx, "PutMetricAlarm", params, aws::Idempotency::kIdempotent).has_value();
}

// The tags of the alarm holding `name`; nullopt when there is none.
HolderTags AlarmHolder(ResourceContext& ctx, const std::string& name) {
  return [&ctx, name]() -> std::optional<TagMap> {
    auto found = DescribeMetricAlarms(ctx, {name});
    if (!found || !found->contains(name)) return std::nullopt;
    return CloudWatchTags(ctx, found->at(name).Text("AlarmArn"));
  };
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = GetString(planned, "alarm_name");
  NameCheck check = CheckName(ctx, {"CloudWatch alarm", name}, AlarmHolder(ctx, name));
  if (check == NameCheck::kRefused) return Value();
  if (!PutAlarm(ctx, planned, ctx.TagsForCreate(planned))) return Value();
  return Value::Map({{"id", Str(name)}});
}

void Update(ResourceContext& ctx, const Value&, const Value& planned) {
  PutAlarm(ctx, planned, {});
}

void Delete(ResourceContext& ctx, const Value& prior) {
  aws::QueryParams params;
  params.Set("AlarmNames.member.1", IdOf(prior));
  ctx.SucceededOrGone(CloudWatchSend(ctx, "DeleteAlarms", params, aws::Idempotency::kIdempotent));
}

}  // namespace

ResourceType aws_cloudwatch_metric_alarm() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  UseBatchedReads<aws::XmlNode>(type, DescribeMetricAlarms, ToState);
  type.update_tags = [](ResourceContext& ctx, const Value& state, const TagChanges& changes) {
    std::string arn = GetString(state, "arn");
    if (arn.empty()) arn = ctx.Arn("cloudwatch", ctx.AccountId(), "alarm:" + IdOf(state));
    CloudWatchUpdateTags(ctx, arn, changes);
  };
  type.adopt = [](ResourceContext& ctx, const Value& planned) -> Value {
    std::string name = GetString(planned, "alarm_name");
    return HolderIsOurs(ctx, AlarmHolder(ctx, name)) ? Value::Map({{"id", Str(name)}}) : Value();
  };
  return type;
}

}  // namespace reconcile::aws_provider::resources
