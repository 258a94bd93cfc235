// Shared by the EFS resource types: REST-JSON calls to elasticfilesystem.
#pragma once

#include <optional>
#include <string>

#include "json_call.h"
#include "resource_context.h"

namespace reconcile::aws_provider {

// One EFS call (`path` under /2015-02-01), its error not recorded.
aws::AwsResult<nlohmann::json> EfsSend(const ResourceContext& ctx, const std::string& operation,
                                       const std::string& method, const std::string& path,
                                       aws::QueryList query = {}, const nlohmann::json& body = nullptr,
                                       aws::Idempotency idempotency = aws::Idempotency::kInferred);

// One EFS call (`path` under /2015-02-01); nullopt after recording its error.
std::optional<nlohmann::json> EfsCall(ResourceContext& ctx, const std::string& operation,
                                      const std::string& method, const std::string& path,
                                      aws::QueryList query = {}, const nlohmann::json& body = nullptr,
                                      aws::Idempotency idempotency = aws::Idempotency::kInferred);

// The same call, answering NotFound as an empty object (gone) instead of an error.
std::optional<nlohmann::json> EfsCallOrGone(ResourceContext& ctx, const std::string& operation,
                                            const std::string& method, const std::string& path,
                                            aws::QueryList query = {});

}  // namespace reconcile::aws_provider
