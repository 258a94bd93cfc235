// CloudWatch (the "monitoring" query API): calls that record their failure,
// metric alarms described by name in batches, and the tags of an alarm.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "batch.h"
#include "resource_context.h"
#include "tags.h"

namespace reconcile::aws_provider {

// DescribeAlarms takes at most 100 names a call.
inline constexpr std::size_t kMaxAlarmNames = 100;

// One CloudWatch call, its error not recorded.
aws::AwsResult<aws::XmlDocument> CloudWatchSend(
    const ResourceContext& ctx, const std::string& action, const aws::QueryParams& params,
    aws::Idempotency idempotency = aws::Idempotency::kInferred);
// One CloudWatch call; nullopt after recording its error.
std::optional<aws::XmlDocument> CloudWatchCall(
    ResourceContext& ctx, const std::string& action, const aws::QueryParams& params,
    aws::Idempotency idempotency = aws::Idempotency::kInferred);

// The metric alarms of the given names (MetricAlarms members), keyed by name.
Found<aws::XmlNode> DescribeMetricAlarms(ResourceContext& ctx,
                                         const std::vector<std::string>& names);

// The tags of a CloudWatch resource; nullopt after recording an error.
std::optional<TagMap> CloudWatchTags(ResourceContext& ctx, const std::string& arn);
// TagResource / UntagResource on one ARN.
void CloudWatchUpdateTags(ResourceContext& ctx, const std::string& arn, const TagChanges& changes);

}  // namespace reconcile::aws_provider
