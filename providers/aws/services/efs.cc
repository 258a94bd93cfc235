#include "efs.h"

namespace reconcile::aws_provider {

aws::AwsResult<nlohmann::json> EfsSend(const ResourceContext& ctx, const std::string& operation,
                                       const std::string& method, const std::string& path,
                                       aws::QueryList query, const nlohmann::json& body,
                                       aws::Idempotency idempotency) {
  aws::RestRequest request;
  request.operation = operation;
  request.method = method;
  request.path = "/2015-02-01" + path;
  request.query = std::move(query);
  if (!body.is_null()) request.body = body.dump();
  return ctx.client().RestJson("elasticfilesystem", request, {.idempotency = idempotency});
}

std::optional<nlohmann::json> EfsCall(ResourceContext& ctx, const std::string& operation,
                                      const std::string& method, const std::string& path,
                                      aws::QueryList query, const nlohmann::json& body,
                                      aws::Idempotency idempotency) {
  return ctx.Unwrap(EfsSend(ctx, operation, method, path, std::move(query), body, idempotency));
}

std::optional<nlohmann::json> EfsCallOrGone(ResourceContext& ctx, const std::string& operation,
                                            const std::string& method, const std::string& path,
                                            aws::QueryList query) {
  auto result = EfsSend(ctx, operation, method, path, std::move(query));
  if (result.ok()) return std::move(result).value();
  if (result.error().IsNotFound()) return nlohmann::json::object();
  ctx.Fail(result.error());
  return std::nullopt;
}

}  // namespace reconcile::aws_provider
