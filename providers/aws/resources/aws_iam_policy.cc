// aws_iam_policy: a customer managed IAM policy. The id is its ARN. A new
// policy text becomes a new default version; IAM keeps at most five, so the
// oldest non-default version is deleted first when five exist. Name, path and
// description force a new policy. Delete removes the non-default versions,
// then the policy (a policy still attached is refused by IAM).
#include <algorithm>

#include "generated_name.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "services/iam.h"
#include "services/iam_policy_text.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

// IAM's limit of versions a managed policy keeps.
constexpr std::size_t kMaxVersions = 5;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Optional("path", kString).ForceNew().Default(Str("/")),
              Attribute::Optional("description", kString).ForceNew(),
              Attribute::Required("policy", kString).Describe("the policy document, JSON"),
              Attribute::Computed("arn", kString),
              Attribute::Computed("policy_id", kString),
          },
          "A customer managed IAM policy."};
}

aws::QueryParams PolicyArn(const std::string& arn) {
  aws::QueryParams params;
  params.Set("PolicyArn", arn);
  return params;
}

Value Read(ResourceContext& ctx, const Value& current) {
  std::optional<ManagedPolicy> policy = GetManagedPolicy(ctx, IdOf(current));
  if (!policy || !policy->found) return Value();
  Value state = Value::Map({});
  state.Set("id", Str(policy->arn));
  state.Set("arn", Str(policy->arn));
  state.Set("name", Str(policy->name));
  state.Set("path", Str(policy->path));
  state.Set("description", StrOrNull(policy->description));
  state.Set("policy", Str(PolicyForState(policy->document, GetString(current, "policy"))));
  state.Set("policy_id", Str(policy->policy_id));
  KeepAttributes(current, state, {"name_prefix"});
  SetTagsFromAws(policy->tags, ctx.runtime().default_tags, current, state);
  return state;
}

// The tags of the policy at `arn`; nullopt when there is none.
std::optional<TagMap> PolicyTags(ResourceContext& ctx, const std::string& arn) {
  std::optional<ManagedPolicy> policy = GetManagedPolicy(ctx, arn);
  if (!policy || !policy->found) return std::nullopt;
  return policy->tags;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = NameForCreate(ctx, planned);
  std::string path = GetString(planned, "path");
  aws::QueryParams params;
  params.Set("PolicyName", name)
      .Set("Path", path)
      .Set("PolicyDocument", GetString(planned, "policy"))
      .SetTags("Tags", ctx.TagsForCreate(planned), aws::ListStyle::kMember);
  if (auto description = FindString(planned, "description")) params.Set("Description", *description);
  auto created = IamSend(ctx, "CreatePolicy", params, aws::Idempotency::kNotIdempotent);
  std::string arn = created.ok() ? created->root().Find("CreatePolicyResult/Policy").Text("Arn") : "";
  if (!CreatedOrAdopted(ctx, created, "EntityAlreadyExists", {"IAM policy", name}, [&]() -> std::optional<TagMap> {
        arn = ManagedPolicyArn(ctx, path, name);
        if (arn.empty()) return std::nullopt;
        return PolicyTags(ctx, arn);
      }))
    return Value();
  return Value::Map({{"id", Str(arn)}});
}

struct PolicyVersion {
  std::string id;
  bool is_default = false;
  std::string created;
};

// Every version of the policy, oldest first (none when the policy is gone);
// nullopt on error.
std::optional<std::vector<PolicyVersion>> Versions(ResourceContext& ctx, const std::string& arn) {
  auto listed = IamCallOrGone(ctx, "ListPolicyVersions", PolicyArn(arn));
  if (!listed) return std::nullopt;
  if (listed->empty()) return std::vector<PolicyVersion>();
  std::vector<PolicyVersion> versions;
  for (const aws::XmlNode& v : listed->root().FindAll("ListPolicyVersionsResult/Versions/member"))
    versions.push_back({v.Text("VersionId"), v.Text("IsDefaultVersion") == "true", v.Text("CreateDate")});
  // Version ids count up (v1, v2, ...): their number orders them when dates tie.
  auto number = [](const PolicyVersion& v) { return std::stol("0" + v.id.substr(std::min<std::size_t>(1, v.id.size()))); };
  std::sort(versions.begin(), versions.end(), [&](const PolicyVersion& a, const PolicyVersion& b) {
    return a.created != b.created ? a.created < b.created : number(a) < number(b);
  });
  return versions;
}

bool DeleteVersion(ResourceContext& ctx, const std::string& arn, const std::string& version) {
  aws::QueryParams params = PolicyArn(arn);
  params.Set("VersionId", version);
  return ctx.SucceededOrGone(IamSend(ctx, "DeletePolicyVersion", params, aws::Idempotency::kIdempotent));
}

// A new default version with the planned text, making room within IAM's limit.
void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!Changed(prior, planned, "policy")) return;
  std::string arn = IdOf(prior);
  auto versions = Versions(ctx, arn);
  if (!versions) return;
  if (versions->size() >= kMaxVersions) {
    auto oldest = std::find_if(versions->begin(), versions->end(), [](const PolicyVersion& v) { return !v.is_default; });
    if (oldest != versions->end() && !DeleteVersion(ctx, arn, oldest->id)) return;
  }
  aws::QueryParams params = PolicyArn(arn);
  params.Set("PolicyDocument", GetString(planned, "policy")).Set("SetAsDefault", "true");
  IamCall(ctx, "CreatePolicyVersion", params, aws::Idempotency::kNotIdempotent);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string arn = IdOf(prior);
  auto versions = Versions(ctx, arn);
  if (!versions) return;
  for (const PolicyVersion& v : *versions)
    if (!v.is_default && !DeleteVersion(ctx, arn, v.id)) return;
  DeleteUntilGone(ctx, {.what = "IAM policy " + arn,
                        .call = [&] { return AsDone(IamSend(ctx, "DeletePolicy", PolicyArn(arn), aws::Idempotency::kIdempotent)); },
                        .retry_while = {"DeleteConflict"},
                        .retry_timeout = ctx.runtime().timeouts.read_after_create});
}

// The policy this instance's create would have named, when it is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string arn = ManagedPolicyArn(ctx, GetString(planned, "path"), NameForCreate(ctx, planned));
  if (arn.empty()) return Value();
  return HolderIsOurs(ctx, [&] { return PolicyTags(ctx, arn); }) ? Value::Map({{"id", Str(arn)}}) : Value();
}

void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  if (IsSet(request.config, "name") && IsSet(request.config, "name_prefix"))
    ctx.Error("Only one of name and name_prefix may be set");
  PlanPolicyDocument(ctx, request, response, "policy");
}

}  // namespace

ResourceType aws_iam_policy() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.adopt = Adopt;
  type.plan = Plan;
  // Import takes the policy's ARN (the id).
  type.update_tags = IamTagUpdater("TagPolicy", "UntagPolicy", "PolicyArn");
  return type;
}

}  // namespace reconcile::aws_provider::resources
