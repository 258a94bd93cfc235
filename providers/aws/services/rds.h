// Shared by the RDS resource types and data sources: query calls, the
// protocol's named list members (`Tags.Tag.1.Key`), tags by ARN, and reading
// DB instances many at a time (DescribeDBInstances takes up to 100 ids in a
// filter and answers with each instance's tags).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "batch.h"
#include "resource_context.h"
#include "resource_type.h"

namespace reconcile::aws_provider {

// One RDS call, its error not recorded (creates that may find the name
// taken, deletes).
aws::AwsResult<aws::XmlDocument> RdsSend(const ResourceContext& ctx, const std::string& action,
                                         const aws::QueryParams& params,
                                         aws::Idempotency idempotency = aws::Idempotency::kInferred);

// One RDS call; nullopt after recording its error.
std::optional<aws::XmlDocument> RdsCall(ResourceContext& ctx, const std::string& action,
                                        const aws::QueryParams& params,
                                        aws::Idempotency idempotency = aws::Idempotency::kInferred);

// The same call, answering "not found" with an empty document instead of an error.
std::optional<aws::XmlDocument> RdsCallOrGone(ResourceContext& ctx, const std::string& action,
                                              const aws::QueryParams& params);

// PREFIX.MEMBER.N=value, as RDS names list members ("SubnetIds",
// "SubnetIdentifier"); an empty list is sent as PREFIX= (a cleared list).
void SetRdsList(aws::QueryParams& params, const std::string& prefix, const std::string& member,
                const std::vector<std::string>& values);
// Tags.Tag.N.Key / Tags.Tag.N.Value.
void SetRdsTags(aws::QueryParams& params, const TagMap& tags);

// The tags of an element holding a TagList.
TagMap RdsTags(const aws::XmlNode& element);
// The tags of the RDS object with `arn` (ListTagsForResource); nullopt on
// error (recorded), empty when the object is gone.
std::optional<TagMap> RdsTagsOf(ResourceContext& ctx, const std::string& arn);

// A TagUpdateFunction (AddTagsToResource / RemoveTagsFromResource) for RDS
// objects whose state holds their ARN in "arn".
TagUpdateFunction RdsTagUpdater();

// The name a create gives: `name_key` when planned, else `prefix_key` (or
// "reconcile-") and a 26-character suffix from the apply's client token, so a
// retried or resumed create picks the same name. RDS names are lowercase.
std::string RdsNameForCreate(const ResourceContext& ctx, const Value& planned,
                             const char* name_key, const char* prefix_key);

// The tags of the RDS object an element describes (its ARN in `arn_path`),
// for ownership checks; nullopt when `element` is invalid (no such object) or
// the look failed (then ctx.failed()).
std::optional<TagMap> RdsHolderTags(ResourceContext& ctx, const std::optional<aws::XmlNode>& element,
                                    const char* arn_path);

// DB instances by identifier (DescribeDBInstances, 100 ids a call); a
// missing one does not exist.
Found<aws::XmlNode> DescribeDbInstances(ResourceContext& ctx, const std::vector<std::string>& ids);

// The one DB instance `id` (invalid when it does not exist); nullopt on error.
std::optional<aws::XmlNode> DescribeDbInstance(ResourceContext& ctx, const std::string& id);

// The attributes of a DB instance that a resource and the data source share:
// identifier, address, endpoint, port, arn, engine, class, storage, ...
void SetDbInstanceAttributes(const aws::XmlNode& db, Value& state);

}  // namespace reconcile::aws_provider
