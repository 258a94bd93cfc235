// Shared by the ECS resource types: calls, tags in ECS's lowercase
// {key, value} shape, and names out of ECS ARNs.
#pragma once

#include <optional>
#include <string>

#include "json_call.h"
#include "resource_context.h"
#include "resource_type.h"

namespace reconcile::aws_provider {

// One ECS call; nullopt after recording its error.
std::optional<nlohmann::json> EcsCall(ResourceContext& ctx, const std::string& operation,
                                      const nlohmann::json& body,
                                      aws::Idempotency idempotency = aws::Idempotency::kInferred);

// The same call, repeated while ECS does not yet see what the request names
// (a role IAM has not propagated, a cluster made a moment ago) for up to the
// provider's read-after-create time, as real AWS needs right after a create.
std::optional<nlohmann::json> EcsCallAwaitingDependencies(ResourceContext& ctx,
                                                          const std::string& operation,
                                                          const nlohmann::json& body,
                                                          aws::Idempotency idempotency);

// Tags as ECS writes them: [{"key": k, "value": v}, ...].
nlohmann::json EcsTagList(const TagMap& tags);
// The tags of an ECS [{"key", "value"}] list.
TagMap EcsTagMap(const nlohmann::json& list);

// A TagUpdateFunction (TagResource / UntagResource) for ECS objects whose
// state holds their ARN in `arn_attribute`.
TagUpdateFunction EcsTagUpdater(std::string arn_attribute);

// The last segment of an ARN's resource part: "…:cluster/web" -> "web",
// "…:task-definition/app:3" -> "app:3"; a plain name is returned as it is.
std::string EcsNameFromArn(const std::string& arn);

}  // namespace reconcile::aws_provider
