// aws_s3_bucket_policy: the resource policy of a bucket, one JSON document
// written whole by PutBucketPolicy. Compared by meaning (S3 reformats it), so
// only a real change of the policy plans an update.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/iam.h"
#include "services/iam_policy_text.h"
#include "services/s3.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              BucketAttribute(),
              Attribute::Required("policy", kString).Describe("the policy document (JSON)"),
          },
          "The policy of an S3 bucket."};
}

// The bucket's policy text; "" when it has none; nullopt after recording an error.
std::optional<std::string> BucketPolicy(ResourceContext& ctx, const std::string& bucket) {
  auto got = ctx.client().Send(
      "s3", {.operation = "GetBucketPolicy", .method = "GET", .path = "/", .bucket = bucket, .query = {{"policy", ""}}});
  if (got.ok()) return got->body;
  if (got.error().IsNotFound()) return std::string();
  ctx.Fail(got.error());
  return std::nullopt;
}

std::string BucketOf(const Value& state) {
  std::string id = IdOf(state);
  return id.empty() ? GetString(state, "bucket") : id;
}

Value Read(ResourceContext& ctx, const Value& current) {
  std::string bucket = BucketOf(current);
  std::optional<std::string> policy = BucketPolicy(ctx, bucket);
  if (!policy || policy->empty()) return Value();
  return Value::Map({{"id", Str(bucket)},
                     {"bucket", Str(bucket)},
                     {"policy", Str(PolicyForState(*policy, GetString(current, "policy")))}});
}

// A raw call: the answer has no XML body (moto's says "True").
bool Put(ResourceContext& ctx, const Value& planned) {
  aws::RestRequest request{.operation = "PutBucketPolicy",
                           .method = "PUT",
                           .path = "/",
                           .bucket = GetString(planned, "bucket"),
                           .query = {{"policy", ""}},
                           .body = GetString(planned, "policy")};
  request.content_type = "application/json";
  return RetryWhile(ctx, {"NoSuchBucket"}, [&] { return AsDone(ctx.client().Send("s3", request)); },
                    ctx.runtime().timeouts.read_after_create);
}

Value Create(ResourceContext& ctx, const Value& planned) {
  if (!Put(ctx, planned)) return Value();
  return Value::Map({{"id", Str(GetString(planned, "bucket"))}});
}

void Update(ResourceContext& ctx, const Value&, const Value& planned) { Put(ctx, planned); }

void Delete(ResourceContext& ctx, const Value& prior) {
  ctx.SucceededOrGone(S3BucketCall(ctx, "DeleteBucketPolicy", "DELETE", BucketOf(prior), "policy"));
}

// A policy carries no tags: the planned bucket's is this instance's (the bucket is).
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string bucket = GetString(planned, "bucket");
  std::optional<std::string> policy = BucketPolicy(ctx, bucket);
  return policy && !policy->empty() ? Value::Map({{"id", Str(bucket)}}) : Value();
}

void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  PlanPolicyDocument(ctx, request, response, "policy");
}

}  // namespace

ResourceType aws_s3_bucket_policy() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.adopt = Adopt;
  type.plan = Plan;
  return type;
}

}  // namespace reconcile::aws_provider::resources
