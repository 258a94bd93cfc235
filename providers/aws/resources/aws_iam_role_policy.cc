// aws_iam_role_policy: an inline policy of a role. The policy is JSON text
// compared by meaning and changes in place (PutRolePolicy overwrites). The id
// is ROLE:NAME, which import takes too.
#include "generated_name.h"
#include "reconcile/provider_kit.h"
#include "services/iam.h"
#include "services/iam_policy_text.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("role", kString).ForceNew().Describe("the role's name"),
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Required("policy", kString).Describe("the policy document, JSON"),
          },
          "An inline policy of an IAM role."};
}

// The role and policy names of an id ROLE:NAME.
std::pair<std::string, std::string> SplitId(const std::string& id) {
  std::size_t colon = id.find(':');
  if (colon == std::string::npos) return {id, ""};
  return {id.substr(0, colon), id.substr(colon + 1)};
}

aws::QueryParams PolicyParams(const std::string& role, const std::string& name) {
  aws::QueryParams params;
  params.Set("RoleName", role).Set("PolicyName", name);
  return params;
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto [role, name] = SplitId(IdOf(current));
  auto doc = IamCallOrGone(ctx, "GetRolePolicy", PolicyParams(role, name));
  if (!doc || doc->empty()) return Value();
  aws::XmlNode result = doc->root().Find("GetRolePolicyResult");
  Value state = Value::Map({});
  state.Set("id", Str(IdOf(current)));
  state.Set("role", Str(result.Text("RoleName")));
  state.Set("name", Str(result.Text("PolicyName")));
  state.Set("policy", Str(PolicyForState(IamUrlDecode(result.Text("PolicyDocument")),
                                         GetString(current, "policy"))));
  KeepAttributes(current, state, {"name_prefix"});
  return state;
}

void Put(ResourceContext& ctx, const std::string& role, const std::string& name,
         const Value& planned) {
  aws::QueryParams params = PolicyParams(role, name);
  params.Set("PolicyDocument", GetString(planned, "policy"));
  // The role may be moments old: wait for IAM to know it.
  IamCallAwaitingEntities(ctx, "PutRolePolicy", params, aws::Idempotency::kIdempotent);
}

// PutRolePolicy is an upsert: a create that is repeated or resumed is safe.
Value Create(ResourceContext& ctx, const Value& planned) {
  std::string role = GetString(planned, "role");
  std::string name = NameForCreate(ctx, planned);
  Put(ctx, role, name, planned);
  if (ctx.failed()) return Value();
  return Value::Map({{"id", Str(role + ":" + name)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!Changed(prior, planned, "policy")) return;
  auto [role, name] = SplitId(IdOf(prior));
  Put(ctx, role, name, planned);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  auto [role, name] = SplitId(IdOf(prior));
  ctx.SucceededOrGone(ctx.client().Query("iam", "DeleteRolePolicy", PolicyParams(role, name),
                                         {.idempotency = aws::Idempotency::kIdempotent}));
}

// An inline policy carries no tags: the one of the planned role and name is
// this instance's (its role is).
Value Adopt(ResourceContext& ctx, const Value& planned) {
  Value id = Value::Map({{"id", Str(GetString(planned, "role") + ":" + NameForCreate(ctx, planned))}});
  return Read(ctx, id).is_null() ? Value() : id;
}

Value Import(ResourceContext& ctx, const std::string& id) {
  auto [role, name] = SplitId(id);
  if (role.empty() || name.empty()) {
    ctx.Error("Cannot import " + ctx.address() + " from \"" + id + "\"",
              "Give the inline policy as ROLE:NAME, for example `app-task:s3-read`.");
    return Value();
  }
  return Value::Map({{"id", Str(id)}});
}

}  // namespace

ResourceType aws_iam_role_policy() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.import = Import;
  type.adopt = Adopt;
  type.plan = [](ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
    PlanPolicyDocument(ctx, request, response, "policy");
  };
  return type;
}

}  // namespace reconcile::aws_provider::resources
