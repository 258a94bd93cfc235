#include "ecs.h"

#include <algorithm>
#include <chrono>

#include "reconcile/provider_kit.h"
#include "waiter.h"

namespace reconcile::aws_provider {

namespace {

// How ECS answers a request naming a cluster or role it does not see yet.
bool IsDependencyNotYetVisible(const aws::AwsError& error) {
  if (error.Is("ClusterNotFoundException")) return true;
  if (!error.Is("ClientException") && !error.Is("InvalidParameterException")) return false;
  for (const char* phrase : {"Role is not valid", "Unable to assume role",
                             "unable to assume the role", "verify that the ECS service role"})
    if (error.message.find(phrase) != std::string::npos) return true;
  return false;
}

}  // namespace

std::optional<nlohmann::json> EcsCall(ResourceContext& ctx, const std::string& operation,
                                      const nlohmann::json& body, aws::Idempotency idempotency) {
  return JsonCall(ctx, "ecs", operation, body, idempotency);
}

std::optional<nlohmann::json> EcsCallAwaitingDependencies(ResourceContext& ctx,
                                                          const std::string& operation,
                                                          const nlohmann::json& body,
                                                          aws::Idempotency idempotency) {
  auto deadline = std::chrono::steady_clock::now() + ctx.runtime().timeouts.read_after_create;
  std::chrono::milliseconds pause = ctx.runtime().timeouts.first_poll_interval;
  while (true) {
    auto result = ctx.client().Json("ecs", operation, body, {.idempotency = idempotency});
    if (result.ok()) return std::move(result).value();
    bool retry =
        IsDependencyNotYetVisible(result.error()) && std::chrono::steady_clock::now() < deadline;
    if (!retry || !PauseUnlessStopping(ctx, pause)) {
      ctx.Fail(result.error());
      return std::nullopt;
    }
    pause = std::min(pause * 2, ctx.runtime().timeouts.max_poll_interval);
  }
}

nlohmann::json EcsTagList(const TagMap& tags) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [key, value] : tags) list.push_back({{"key", key}, {"value", value}});
  return list;
}

TagMap EcsTagMap(const nlohmann::json& list) {
  TagMap tags;
  if (!list.is_array()) return tags;
  for (const nlohmann::json& tag : list) tags[JsonString(tag, "key")] = JsonString(tag, "value");
  return tags;
}

TagUpdateFunction EcsTagUpdater(std::string arn_attribute) {
  return [arn_attribute](ResourceContext& ctx, const Value& state, const TagChanges& changes) {
    std::string arn = GetString(state, arn_attribute);
    if (!changes.remove.empty() &&
        !EcsCall(ctx, "UntagResource", {{"resourceArn", arn}, {"tagKeys", changes.remove}},
                 aws::Idempotency::kIdempotent))
      return;
    if (!changes.set.empty())
      EcsCall(ctx, "TagResource", {{"resourceArn", arn}, {"tags", EcsTagList(changes.set)}},
              aws::Idempotency::kIdempotent);
  };
}

std::string EcsNameFromArn(const std::string& arn) {
  if (!arn.starts_with("arn:")) return arn;
  std::size_t slash = arn.rfind('/');
  return slash == std::string::npos ? arn : arn.substr(slash + 1);
}

}  // namespace reconcile::aws_provider
