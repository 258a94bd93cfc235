#include "ecr.h"

#include "aws/pagination.h"
#include "reconcile/provider_kit.h"

namespace reconcile::aws_provider {

using nlohmann::json;

aws::AwsResult<json> EcrSend(const ResourceContext& ctx, const std::string& operation, const json& body,
                             aws::Idempotency idempotency) {
  return ctx.client().Json("ecr", operation, body, {.idempotency = idempotency});
}

std::optional<json> EcrCall(ResourceContext& ctx, const std::string& operation, const json& body,
                            aws::Idempotency idempotency) {
  return ctx.Unwrap(EcrSend(ctx, operation, body, idempotency));
}

std::optional<json> EcrCallOrGone(ResourceContext& ctx, const std::string& operation, const json& body) {
  auto result = EcrSend(ctx, operation, body);
  if (result.ok()) return std::move(result).value();
  if (result.error().IsNotFound()) return json();
  ctx.Fail(result.error());
  return std::nullopt;
}

std::optional<json> DescribeRepository(ResourceContext& ctx, const std::string& name) {
  auto page = EcrCallOrGone(ctx, "DescribeRepositories", {{"repositoryNames", {name}}});
  if (!page) return std::nullopt;
  if (page->is_null()) return json();
  json list = page->value("repositories", json::array());
  return list.empty() ? json() : list[0];
}

Found<json> ListRepositories(ResourceContext& ctx, const std::vector<std::string>&) {
  std::map<std::string, json> found;
  auto done = aws::JsonPages(ctx.client(), "ecr", "DescribeRepositories", {{"maxResults", 1000}},
                             [&](const json& page) {
                               for (const json& repo : page.value("repositories", json::array()))
                                 found[JsonString(repo, "repositoryName")] = repo;
                               return true;
                             },
                             "nextToken", "nextToken");
  if (!done.ok()) {
    ctx.Fail(done.error());
    return std::nullopt;
  }
  return found;
}

std::optional<TagMap> EcrTagsOf(ResourceContext& ctx, const std::string& arn) {
  auto got = EcrCallOrGone(ctx, "ListTagsForResource", {{"resourceArn", arn}});
  if (!got) return std::nullopt;
  if (got->is_null()) return TagMap();
  return TagMapFromJson(got->value("tags", json::array()));
}

TagUpdateFunction EcrTagUpdater() {
  return [](ResourceContext& ctx, const Value& state, const TagChanges& changes) {
    std::string arn = GetString(state, "arn");
    if (!changes.remove.empty() &&
        !EcrCall(ctx, "UntagResource", {{"resourceArn", arn}, {"tagKeys", changes.remove}},
                 aws::Idempotency::kIdempotent))
      return;
    if (!changes.set.empty())
      EcrCall(ctx, "TagResource", {{"resourceArn", arn}, {"tags", TagListJson(changes.set)}},
              aws::Idempotency::kIdempotent);
  };
}

std::string JsonTextForState(const std::string& aws_text, const std::string& recorded) {
  if (recorded.empty()) return aws_text;
  json a = json::parse(aws_text, nullptr, false);
  json b = json::parse(recorded, nullptr, false);
  return !a.is_discarded() && !b.is_discarded() && a == b ? recorded : aws_text;
}

}  // namespace reconcile::aws_provider
