// Shared by the ECR resource types and the aws_ecr_image data source: JSON
// calls, tags, repository lookups and JSON policy texts kept as the user
// wrote them while they mean the same.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "batch.h"
#include "json_call.h"
#include "resource_context.h"
#include "resource_type.h"

namespace reconcile::aws_provider {

// One ECR call, its error not recorded.
aws::AwsResult<nlohmann::json> EcrSend(const ResourceContext& ctx, const std::string& operation,
                                       const nlohmann::json& body,
                                       aws::Idempotency idempotency = aws::Idempotency::kInferred);

// One ECR call; nullopt after recording its error.
std::optional<nlohmann::json> EcrCall(ResourceContext& ctx, const std::string& operation,
                                      const nlohmann::json& body,
                                      aws::Idempotency idempotency = aws::Idempotency::kInferred);

// The same call, answering "not found" (no such repository, policy or image)
// with null json instead of an error.
std::optional<nlohmann::json> EcrCallOrGone(ResourceContext& ctx, const std::string& operation,
                                            const nlohmann::json& body);

// The repository named `name` (null json when there is none); nullopt on error.
std::optional<nlohmann::json> DescribeRepository(ResourceContext& ctx, const std::string& name);

// Every repository of the registry by name (DescribeRepositories, 1000 a page).
Found<nlohmann::json> ListRepositories(ResourceContext& ctx, const std::vector<std::string>& names);

// The tags of the ECR object with `arn`; nullopt on error (recorded).
std::optional<TagMap> EcrTagsOf(ResourceContext& ctx, const std::string& arn);

// A TagUpdateFunction (TagResource / UntagResource) for repositories, whose
// state holds their ARN in "arn".
TagUpdateFunction EcrTagUpdater();

// What to record for a JSON document AWS holds as `aws_text`: `recorded`
// while both parse to the same JSON value, else AWS's text.
std::string JsonTextForState(const std::string& aws_text, const std::string& recorded);

}  // namespace reconcile::aws_provider
