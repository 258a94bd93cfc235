// aws_ecr_repository_policy: who may pull from or push to a repository. The
// id is the repository's name; the policy is an IAM policy document compared
// by meaning and changes in place (SetRepositoryPolicy overwrites).
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ecr.h"
#include "services/iam.h"
#include "services/iam_policy_text.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("repository", kString).ForceNew(),
              Attribute::Required("policy", kString).Describe("the repository policy, JSON"),
              Attribute::Computed("registry_id", kString),
          },
          "The policy of an ECR repository."};
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto got = EcrCallOrGone(ctx, "GetRepositoryPolicy", {{"repositoryName", IdOf(current)}});
  if (!got || got->is_null()) return Value();
  Value state = Value::Map({});
  state.Set("id", Str(JsonString(*got, "repositoryName")));
  state.Set("repository", Str(JsonString(*got, "repositoryName")));
  state.Set("policy", Str(PolicyForState(JsonString(*got, "policyText"), GetString(current, "policy"))));
  state.Set("registry_id", Str(JsonString(*got, "registryId")));
  return state;
}

bool Put(ResourceContext& ctx, const std::string& repository, const Value& planned) {
  return EcrCall(ctx, "SetRepositoryPolicy",
                 {{"repositoryName", repository}, {"policyText", GetString(planned, "policy")}},
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
  ctx.SucceededOrGone(EcrSend(ctx, "DeleteRepositoryPolicy", {{"repositoryName", IdOf(prior)}},
                              aws::Idempotency::kIdempotent));
}

// A policy carries no tags: the one on the planned repository is this
// instance's (its repository is).
Value Adopt(ResourceContext& ctx, const Value& planned) {
  Value id = Value::Map({{"id", Str(GetString(planned, "repository"))}});
  return Read(ctx, id).is_null() ? Value() : id;
}

}  // namespace

ResourceType aws_ecr_repository_policy() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.adopt = Adopt;
  type.plan = [](ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
    PlanPolicyDocument(ctx, request, response, "policy");
  };
  return type;
}

}  // namespace reconcile::aws_provider::resources
