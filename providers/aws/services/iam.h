// Shared by the IAM resource types: query calls, tags, the URL-encoded policy
// documents IAM answers with, and waiting out IAM's eventual consistency (an
// entity may be unknown to other calls for seconds after its create).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws/client.h"
#include "aws/pagination.h"
#include "resource_context.h"
#include "resource_type.h"

namespace reconcile::aws_provider {

// One IAM call, its error not recorded (deletes, retried calls).
aws::AwsResult<aws::XmlDocument> IamSend(const ResourceContext& ctx, const std::string& action,
                                         const aws::QueryParams& params,
                                         aws::Idempotency idempotency = aws::Idempotency::kInferred);

// One IAM call; nullopt after recording its error.
std::optional<aws::XmlDocument> IamCall(ResourceContext& ctx, const std::string& action,
                                        const aws::QueryParams& params,
                                        aws::Idempotency idempotency = aws::Idempotency::kInferred);

// The same call, answering NoSuchEntity with an empty document (the entity is
// gone) instead of an error.
std::optional<aws::XmlDocument> IamCallOrGone(ResourceContext& ctx, const std::string& action,
                                              const aws::QueryParams& params);

// A write naming entities made moments ago, repeated while IAM answers
// NoSuchEntity (for up to the provider's read-after-create time). True on success.
bool IamCallAwaitingEntities(ResourceContext& ctx, const std::string& action,
                             const aws::QueryParams& params, aws::Idempotency idempotency);

// An unlinking write (RemoveRoleFromInstanceProfile, DetachRolePolicy, ...)
// that may race another delete undoing the same link: a failure is forgiven
// when `still_linked` then answers false. True when the link is gone.
bool IamUnlink(ResourceContext& ctx, const std::string& action, const aws::QueryParams& params,
               const std::function<std::optional<bool>()>& still_linked);

// The tags of an entity element (its Tags/member list).
TagMap IamTags(const aws::XmlNode& entity);

// A TagUpdateFunction for entities named by `name_param` = the state id:
// ("TagRole", "UntagRole", "RoleName").
TagUpdateFunction IamTagUpdater(std::string tag_action, std::string untag_action,
                                std::string name_param);

// Plan refinement of a policy document attribute: an error when the planned
// text is not a policy, and the recorded text kept while the planned one
// means the same (so IAM's reformatting and the user's are never a change).
void PlanPolicyDocument(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response,
                        const char* attribute);

// A customer or AWS managed policy as GetPolicy, its default version and its
// tags give it.
struct ManagedPolicy {
  bool found = false;  // false when no policy has the ARN
  std::string arn, name, path, description, policy_id, default_version_id;
  std::string document;  // the default version's text, decoded
  TagMap tags;
};

// The managed policy with `arn` (found false when there is none); nullopt
// after recording an error.
std::optional<ManagedPolicy> GetManagedPolicy(ResourceContext& ctx, const std::string& arn);

// The ARN of customer managed policy `name` under `path` in the caller's account
// ("" after recording an error).
std::string ManagedPolicyArn(ResourceContext& ctx, const std::string& path, const std::string& name);

// Decodes the %XX escapes of the policy documents IAM returns.
std::string IamUrlDecode(std::string_view text);

}  // namespace reconcile::aws_provider
