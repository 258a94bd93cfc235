#include "iam.h"

#include "iam_policy_text.h"
#include "reconcile/provider_kit.h"
#include "waiter.h"

namespace reconcile::aws_provider {

aws::AwsResult<aws::XmlDocument> IamSend(const ResourceContext& ctx, const std::string& action,
                                         const aws::QueryParams& params,
                                         aws::Idempotency idempotency) {
  return ctx.client().Query("iam", action, params, {.idempotency = idempotency});
}

std::optional<aws::XmlDocument> IamCall(ResourceContext& ctx, const std::string& action,
                                        const aws::QueryParams& params,
                                        aws::Idempotency idempotency) {
  return ctx.Unwrap(IamSend(ctx, action, params, idempotency));
}

std::optional<aws::XmlDocument> IamCallOrGone(ResourceContext& ctx, const std::string& action,
                                              const aws::QueryParams& params) {
  auto result = ctx.client().Query("iam", action, params);
  if (result.ok()) return std::move(result).value();
  if (result.error().IsNotFound()) return aws::XmlDocument();
  ctx.Fail(result.error());
  return std::nullopt;
}

bool IamCallAwaitingEntities(ResourceContext& ctx, const std::string& action,
                             const aws::QueryParams& params, aws::Idempotency idempotency) {
  return RetryWhile(
      ctx, {"NoSuchEntity"},
      [&] {
        return AsDone(ctx.client().Query("iam", action, params, {.idempotency = idempotency}));
      },
      ctx.runtime().timeouts.read_after_create);
}

bool IamUnlink(ResourceContext& ctx, const std::string& action, const aws::QueryParams& params,
               const std::function<std::optional<bool>()>& still_linked) {
  auto result =
      ctx.client().Query("iam", action, params, {.idempotency = aws::Idempotency::kIdempotent});
  if (result.ok() || result.error().IsNotFound()) return true;
  std::optional<bool> linked = still_linked();
  if (linked && !*linked) return true;
  ctx.Fail(result.error());
  return false;
}

TagMap IamTags(const aws::XmlNode& entity) {
  TagMap tags;
  for (const aws::XmlNode& tag : entity.FindAll("Tags/member"))
    tags[tag.Text("Key")] = tag.Text("Value");
  return tags;
}

TagUpdateFunction IamTagUpdater(std::string tag_action, std::string untag_action,
                                std::string name_param) {
  return [=](ResourceContext& ctx, const Value& state, const TagChanges& changes) {
    if (!changes.remove.empty()) {
      aws::QueryParams params;
      params.Set(name_param, IdOf(state))
          .SetList("TagKeys", changes.remove, aws::ListStyle::kMember);
      if (!IamCall(ctx, untag_action, params, aws::Idempotency::kIdempotent)) return;
    }
    if (!changes.set.empty()) {
      aws::QueryParams params;
      params.Set(name_param, IdOf(state)).SetTags("Tags", changes.set, aws::ListStyle::kMember);
      IamCall(ctx, tag_action, params, aws::Idempotency::kIdempotent);
    }
  };
}

void PlanPolicyDocument(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response,
                        const char* attribute) {
  Value& planned = response.planned_state;
  auto text = FindString(planned, attribute);
  if (!text) return;
  std::string problem;
  if (!CanonicalPolicy(*text, &problem)) {
    ctx.Error(
        std::string(attribute) + " of " + request.address + " is not a policy document",
        "It must be a JSON object (use jsonencode or aws_iam_policy_document); " + problem + ".");
    return;
  }
  std::string recorded = GetString(request.prior_state, attribute);
  if (!recorded.empty() && EquivalentPolicies(recorded, *text))
    planned.Set(attribute, Str(recorded));
}

std::string IamUrlDecode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::optional<ManagedPolicy> GetManagedPolicy(ResourceContext& ctx, const std::string& arn) {
  aws::QueryParams params;
  params.Set("PolicyArn", arn);
  auto got = IamCallOrGone(ctx, "GetPolicy", params);
  if (!got) return std::nullopt;
  ManagedPolicy policy;
  if (got->empty()) return policy;
  aws::XmlNode element = got->root().Find("GetPolicyResult/Policy");
  policy.found = true;
  policy.arn = element.Text("Arn");
  policy.name = element.Text("PolicyName");
  policy.path = element.Text("Path");
  policy.description = element.Text("Description");
  policy.policy_id = element.Text("PolicyId");
  policy.default_version_id = element.Text("DefaultVersionId");
  aws::QueryParams version = params;
  version.Set("VersionId", policy.default_version_id);
  auto text = IamCall(ctx, "GetPolicyVersion", version);
  if (!text) return std::nullopt;
  policy.document = IamUrlDecode(text->root().Find("GetPolicyVersionResult/PolicyVersion").Text("Document"));
  // AWS managed policies carry no tags; ListPolicyTags refuses them.
  if (policy.arn.find(":aws:policy/") != std::string::npos) return policy;
  auto tags = IamCall(ctx, "ListPolicyTags", params);
  if (!tags) return std::nullopt;
  policy.tags = IamTags(tags->root().Find("ListPolicyTagsResult"));
  return policy;
}

std::string ManagedPolicyArn(ResourceContext& ctx, const std::string& path, const std::string& name) {
  std::string account = ctx.AccountId();
  if (account.empty()) return "";
  return ctx.Arn("iam", account, "policy" + path + name, false);
}

}  // namespace reconcile::aws_provider
