// Shared by the Secrets Manager types: JSON 1.1 calls, a secret's description
// (DescribeSecret) and the version id a create's client token makes.
#pragma once

#include <optional>
#include <string>

#include "json_call.h"
#include "resource_context.h"

namespace reconcile::aws_provider {

// One Secrets Manager call, its error not recorded.
aws::AwsResult<nlohmann::json> SecretsSend(const ResourceContext& ctx, const std::string& operation,
                                           const nlohmann::json& body,
                                           aws::Idempotency idempotency = aws::Idempotency::kInferred);

// One Secrets Manager call; nullopt after recording its error.
std::optional<nlohmann::json> SecretsCall(ResourceContext& ctx, const std::string& operation,
                                          const nlohmann::json& body,
                                          aws::Idempotency idempotency = aws::Idempotency::kInferred);

// DescribeSecret of `secret_id` (a name or ARN): null json when there is no
// such secret or it is scheduled for deletion; nullopt after recording an error.
std::optional<nlohmann::json> DescribeSecret(ResourceContext& ctx, const std::string& secret_id);

// The ClientRequestToken (and so the version id) of this operation's create:
// the client token in UUID form, the same on a retry of the same create.
std::string SecretVersionToken(const ResourceContext& ctx);

}  // namespace reconcile::aws_provider
