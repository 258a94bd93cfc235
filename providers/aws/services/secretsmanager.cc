#include "secretsmanager.h"

namespace reconcile::aws_provider {

aws::AwsResult<nlohmann::json> SecretsSend(const ResourceContext& ctx, const std::string& operation,
                                           const nlohmann::json& body, aws::Idempotency idempotency) {
  return ctx.client().Json("secretsmanager", operation, body, {.idempotency = idempotency});
}

std::optional<nlohmann::json> SecretsCall(ResourceContext& ctx, const std::string& operation,
                                          const nlohmann::json& body, aws::Idempotency idempotency) {
  return ctx.Unwrap(SecretsSend(ctx, operation, body, idempotency));
}

std::optional<nlohmann::json> DescribeSecret(ResourceContext& ctx, const std::string& secret_id) {
  auto described = SecretsSend(ctx, "DescribeSecret", {{"SecretId", secret_id}});
  if (!described.ok()) {
    if (described.error().IsNotFound()) return nlohmann::json();
    ctx.Fail(described.error());
    return std::nullopt;
  }
  if (described->contains("DeletedDate") && !(*described)["DeletedDate"].is_null()) return nlohmann::json();
  return std::move(described).value();
}

std::string SecretVersionToken(const ResourceContext& ctx) {
  std::string hex = ctx.ClientToken(32);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

}  // namespace reconcile::aws_provider
