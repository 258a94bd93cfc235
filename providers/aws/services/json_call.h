// Calls of the JSON protocols (SSM, ECS, Logs, DynamoDB, Tagging, EFS REST)
// that record their failure in the context. Includes nlohmann/json: only the
// resource files of JSON services include this header.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "resource_context.h"
#include "tags.h"

namespace reconcile::aws_provider {

// One JSON-protocol call; nullopt after recording its error.
std::optional<nlohmann::json> JsonCall(ResourceContext& ctx, const std::string& service,
                                       const std::string& operation, const nlohmann::json& body,
                                       aws::Idempotency idempotency = aws::Idempotency::kInferred);

// A string field of a JSON object ("" when absent or not a string).
std::string JsonString(const nlohmann::json& object, const char* key);

// Tags as the JSON APIs write them: [{"Key": k, "Value": v}, ...].
nlohmann::json TagListJson(const TagMap& tags);
// The tags of a [{"Key", "Value"}] list.
TagMap TagMapFromJson(const nlohmann::json& list);

// The tags of many resources by ARN through the Resource Groups Tagging API
// (GetResources with up to 100 ARNs a call). An ARN missing from the result
// has no tags (or does not exist). nullopt on error (recorded).
std::optional<std::map<std::string, TagMap>> ReadTagsByArn(ResourceContext& ctx,
                                                           const std::vector<std::string>& arns);

}  // namespace reconcile::aws_provider
