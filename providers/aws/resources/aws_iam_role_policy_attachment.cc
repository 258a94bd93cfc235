// aws_iam_role_policy_attachment: a managed policy attached to a role. The id
// is ROLE/POLICY_ARN (import takes the same). A refresh lists each role's
// attached policies once, however many attachments it has.
#include <set>

#include "batch.h"
#include "reconcile/provider_kit.h"
#include "services/iam.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("role", kString).ForceNew().Describe("the role's name"),
              Attribute::Required("policy_arn", kString).ForceNew(),
          },
          "A managed policy attached to an IAM role."};
}

// The role and policy ARN of an id ROLE/POLICY_ARN (role names hold no '/').
std::pair<std::string, std::string> SplitId(const std::string& id) {
  std::size_t slash = id.find('/');
  if (slash == std::string::npos) return {id, ""};
  return {id.substr(0, slash), id.substr(slash + 1)};
}

aws::QueryParams AttachParams(const std::string& role, const std::string& policy_arn) {
  aws::QueryParams params;
  params.Set("RoleName", role).Set("PolicyArn", policy_arn);
  return params;
}

// The policy ARNs attached to `role` (empty when the role is gone); nullopt on error.
std::optional<std::set<std::string>> AttachedPolicies(ResourceContext& ctx,
                                                      const std::string& role) {
  std::set<std::string> arns;
  aws::QueryParams params;
  params.Set("RoleName", role);
  auto done = aws::QueryPages(
      ctx.client(), "iam", "ListAttachedRolePolicies", params,
      [&](const aws::XmlDocument& page) {
        for (const aws::XmlNode& p :
             page.root().FindAll("ListAttachedRolePoliciesResult/AttachedPolicies/member"))
          arns.insert(p.Text("PolicyArn"));
        return true;
      },
      aws::QueryPaging::kMarker);
  if (done.ok() || done.error().IsNotFound()) return arns;
  ctx.Fail(done.error());
  return std::nullopt;
}

Value StateFor(const std::string& role, const std::string& policy_arn) {
  return Value::Map(
      {{"id", Str(role + "/" + policy_arn)}, {"role", Str(role)}, {"policy_arn", Str(policy_arn)}});
}

// The attachment `current` names when `attached` (its role's policies) holds it.
Value StateIfAttached(ResourceContext&, const std::set<std::string>& attached,
                      const Value& current) {
  auto [role, policy_arn] = SplitId(IdOf(current));
  return attached.count(policy_arn) ? StateFor(role, policy_arn) : Value();
}

std::string RoleOf(const Value& current) { return SplitId(IdOf(current)).first; }

// The attached policies of each role, listed once however many attachments it has.
Found<std::set<std::string>> LookupRoles(ResourceContext& ctx,
                                         const std::vector<std::string>& roles) {
  std::map<std::string, std::set<std::string>> found;
  for (const std::string& role : roles) {
    if (found.count(role)) continue;
    auto attached = AttachedPolicies(ctx, role);
    if (!attached) return std::nullopt;
    found[role] = std::move(*attached);
  }
  return found;
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto attached = AttachedPolicies(ctx, RoleOf(current));
  return attached ? StateIfAttached(ctx, *attached, current) : Value();
}

std::vector<ReadResponse> ReadBatch(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, LookupRoles(ctx, RequestKeys(requests, RoleOf)),
                   StateIfAttached, RoleOf);
}

// AttachRolePolicy is idempotent: a create that is repeated or resumed is safe.
Value Create(ResourceContext& ctx, const Value& planned) {
  std::string role = GetString(planned, "role");
  std::string policy_arn = GetString(planned, "policy_arn");
  // The role may be moments old: wait for IAM to know it.
  if (!IamCallAwaitingEntities(ctx, "AttachRolePolicy", AttachParams(role, policy_arn),
                               aws::Idempotency::kIdempotent))
    return Value();
  return Value::Map({{"id", Str(role + "/" + policy_arn)}});
}

void Delete(ResourceContext& ctx, const Value& prior) {
  auto [role, policy_arn] = SplitId(IdOf(prior));
  ctx.SucceededOrGone(ctx.client().Query("iam", "DetachRolePolicy", AttachParams(role, policy_arn),
                                         {.idempotency = aws::Idempotency::kIdempotent}));
}

// An attachment carries no tags: the planned role's attachment of the planned
// policy is this instance's (its role is).
Value Adopt(ResourceContext& ctx, const Value& planned) {
  Value id = StateFor(GetString(planned, "role"), GetString(planned, "policy_arn"));
  return Read(ctx, id).is_null() ? Value() : id;
}

Value Import(ResourceContext& ctx, const std::string& id) {
  auto [role, policy_arn] = SplitId(id);
  if (role.empty() || !policy_arn.starts_with("arn:")) {
    ctx.Error("Cannot import " + ctx.address() + " from \"" + id + "\"",
              "Give the attachment as ROLE/POLICY_ARN, for example "
              "`app-task/arn:aws:iam::aws:policy/ReadOnlyAccess`.");
    return Value();
  }
  return Value::Map({{"id", Str(id)}});
}

}  // namespace

ResourceType aws_iam_role_policy_attachment() {
  ResourceType type = MakeType(Schema(), Create, nullptr, Delete);
  type.read = Read;
  type.read_batch = ReadBatch;
  type.import = Import;
  type.adopt = Adopt;
  return type;
}

}  // namespace reconcile::aws_provider::resources
