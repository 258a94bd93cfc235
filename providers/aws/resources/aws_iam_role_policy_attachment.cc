// aws_iam_role_policy_attachment: a managed policy attached to a role. The id
// is ROLE/POLICY_ARN (import takes the same). A refresh lists each role's
// attached policies once, however many attachments it has.
#include <set>

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

Value Read(ResourceContext& ctx, const Value& current) {
  auto [role, policy_arn] = SplitId(IdOf(current));
  auto attached = AttachedPolicies(ctx, role);
  return attached && attached->count(policy_arn) ? StateFor(role, policy_arn) : Value();
}

std::vector<ReadResponse> ReadBatch(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  std::map<std::string, std::set<std::string>> by_role;
  std::vector<ReadResponse> out;
  for (const ReadRequest& r : requests) {
    auto [role, policy_arn] = SplitId(IdOf(r.current_state));
    if (!by_role.count(role)) {
      auto attached = AttachedPolicies(ctx, role);
      if (!attached) {
        out.push_back({Value(), ctx.diagnostics()});
        continue;
      }
      by_role[role] = std::move(*attached);
    }
    out.push_back({by_role[role].count(policy_arn) ? StateFor(role, policy_arn) : Value(), {}});
  }
  return out;
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
  ResourceType type;
  type.schema = Schema();
  type.create = Create;
  type.read = Read;
  type.read_batch = ReadBatch;
  type.remove = Delete;
  type.import = Import;
  return type;
}

}  // namespace reconcile::aws_provider::resources
