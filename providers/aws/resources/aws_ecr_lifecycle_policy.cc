// aws_ecr_lifecycle_policy: the rules by which ECR expires a repository's
// images. The id is the repository's name; the policy is JSON text compared
// by value and changes in place (PutLifecyclePolicy overwrites).
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ecr.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("repository", kString).ForceNew(),
              Attribute::Required("policy", kString).Describe("the lifecycle policy, JSON"),
              Attribute::Computed("registry_id", kString),
          },
          "The lifecycle policy of an ECR repository."};
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto got = EcrCallOrGone(ctx, "GetLifecyclePolicy", {{"repositoryName", IdOf(current)}});
  if (!got || got->is_null()) return Value();
  Value state = Value::Map({});
  state.Set("id", Str(JsonString(*got, "repositoryName")));
  state.Set("repository", Str(JsonString(*got, "repositoryName")));
  state.Set("policy", Str(JsonTextForState(JsonString(*got, "lifecyclePolicyText"), GetString(current, "policy"))));
  state.Set("registry_id", Str(JsonString(*got, "registryId")));
  return state;
}

bool Put(ResourceContext& ctx, const std::string& repository, const Value& planned) {
  return EcrCall(ctx, "PutLifecyclePolicy",
                 {{"repositoryName", repository}, {"lifecyclePolicyText", GetString(planned, "policy")}},
                 aws::Idempotency::kIdempotent)
      .has_value();
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string repository = GetString(planned, "repository");
  return Put(ctx, repository, planned) ? Value::Map({{"id", Str(repository)}}) : Value();
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (Changed(prior, planned, "policy")) Put(ctx, IdOf(prior), planned);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  ctx.SucceededOrGone(EcrSend(ctx, "DeleteLifecyclePolicy", {{"repositoryName", IdOf(prior)}},
                              aws::Idempotency::kIdempotent));
}

// A policy carries no tags: the one on the planned repository is this
// instance's (its repository is).
Value Adopt(ResourceContext& ctx, const Value& planned) {
  Value id = Value::Map({{"id", Str(GetString(planned, "repository"))}});
  return Read(ctx, id).is_null() ? Value() : id;
}

void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  auto text = FindString(response.planned_state, "policy");
  if (!text) return;
  if (json::parse(*text, nullptr, false).is_discarded()) {
    ctx.Error("policy of " + request.address + " is not JSON", "Write it with jsonencode or as a JSON string.");
    return;
  }
  std::string recorded = GetString(request.prior_state, "policy");
  if (!recorded.empty()) response.planned_state.Set("policy", Str(JsonTextForState(*text, recorded)));
}

}  // namespace

ResourceType aws_ecr_lifecycle_policy() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.adopt = Adopt;
  type.plan = Plan;
  return type;
}

}  // namespace reconcile::aws_provider::resources
