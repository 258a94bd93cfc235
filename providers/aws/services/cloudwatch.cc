#include "cloudwatch.h"

namespace reconcile::aws_provider {

aws::AwsResult<aws::XmlDocument> CloudWatchSend(const ResourceContext& ctx,
                                                const std::string& action,
                                                const aws::QueryParams& params,
                                                aws::Idempotency idempotency) {
  return ctx.client().Query("monitoring", action, params, {.idempotency = idempotency});
}

std::optional<aws::XmlDocument> CloudWatchCall(ResourceContext& ctx, const std::string& action,
                                               const aws::QueryParams& params,
                                               aws::Idempotency idempotency) {
  return ctx.Unwrap(CloudWatchSend(ctx, action, params, idempotency));
}

Found<aws::XmlNode> DescribeMetricAlarms(ResourceContext& ctx,
                                         const std::vector<std::string>& names) {
  std::map<std::string, aws::XmlNode> out;
  for (const std::vector<std::string>& chunk : Chunks(names, kMaxAlarmNames)) {
    aws::QueryParams params;
    params.SetList("AlarmNames", chunk, aws::ListStyle::kMember)
        .Set("AlarmTypes.member.1", "MetricAlarm");
    auto doc = CloudWatchCall(ctx, "DescribeAlarms", params);
    if (!doc) return std::nullopt;
    for (const aws::XmlNode& alarm :
         doc->root().FindAll("DescribeAlarmsResult/MetricAlarms/member"))
      out[alarm.Text("AlarmName")] = alarm;
  }
  return out;
}

std::optional<TagMap> CloudWatchTags(ResourceContext& ctx, const std::string& arn) {
  aws::QueryParams params;
  params.Set("ResourceARN", arn);
  auto doc = CloudWatchCall(ctx, "ListTagsForResource", params);
  if (!doc) return std::nullopt;
  TagMap tags;
  for (const aws::XmlNode& tag : doc->root().FindAll("ListTagsForResourceResult/Tags/member"))
    tags[tag.Text("Key")] = tag.Text("Value");
  return tags;
}

void CloudWatchUpdateTags(ResourceContext& ctx, const std::string& arn, const TagChanges& changes) {
  if (!changes.remove.empty()) {
    aws::QueryParams params;
    params.Set("ResourceARN", arn).SetList("TagKeys", changes.remove, aws::ListStyle::kMember);
    if (!CloudWatchCall(ctx, "UntagResource", params, aws::Idempotency::kIdempotent)) return;
  }
  if (!changes.set.empty()) {
    aws::QueryParams params;
    params.Set("ResourceARN", arn).SetTags("Tags", changes.set, aws::ListStyle::kMember);
    CloudWatchCall(ctx, "TagResource", params, aws::Idempotency::kIdempotent);
  }
}

}  // namespace reconcile::aws_provider
