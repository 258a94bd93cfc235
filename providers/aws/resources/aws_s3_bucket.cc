// aws_s3_bucket: an S3 bucket. Its name is given (`bucket`), or made from
// `bucket_prefix` and the apply's client token, so a retried create finds the
// bucket it made. Tags are one whole set (PutBucketTagging). A non-empty
// bucket is deleted only with force_destroy, which first deletes every object
// version. A refresh lists the region's buckets once and reads tags in bulk.
#include <map>
#include <set>

#include "batch.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/json_call.h"
#include "services/s3.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

// Terraform's limit: a prefix leaves room for the generated suffix in 63 characters.
constexpr std::size_t kMaxPrefix = 37;
constexpr std::size_t kSuffixLength = 26;
constexpr const char* kDefaultPrefix = "reconcile-";

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("bucket", kString)
                  .ForceNew()
                  .Describe("the bucket name; generated from bucket_prefix when unset"),
              Attribute::Optional("bucket_prefix", kString).ForceNew(),
              Attribute::Optional("force_destroy", kBool)
                  .Default(Bool(false))
                  .Describe("delete every object (and version) when the bucket is deleted"),
              Attribute::Computed("arn", kString),
              Attribute::Computed("region", kString),
              Attribute::Computed("bucket_domain_name", kString),
              Attribute::Computed("bucket_regional_domain_name", kString),
          },
          "An S3 bucket."};
}

// What AWS told us about one bucket.
struct BucketFacts {
  std::string name;
  std::string region;
  TagMap tags;
};

Value ToState(ResourceContext& ctx, const BucketFacts& facts, const Value& current) {
  Value state = Value::Map({});
  state.Set("id", Str(facts.name));
  state.Set("bucket", Str(facts.name));
  KeepAttributes(current, state, {"bucket_prefix"});
  state.Set("force_destroy", Bool(GetBool(current, "force_destroy", false)));
  state.Set("arn", Str("arn:" + ctx.Partition() + ":s3:::" + facts.name));
  state.Set("region", Str(facts.region));
  state.Set("bucket_domain_name", Str(facts.name + ".s3.amazonaws.com"));
  state.Set("bucket_regional_domain_name",
            Str(facts.name + ".s3." + facts.region + ".amazonaws.com"));
  SetTagsFromAws(facts.tags, ctx.runtime().default_tags, current, state);
  return state;
}

// HeadBucket: the bucket's region, "" when it does not exist; nullopt on error.
std::optional<std::string> BucketRegion(ResourceContext& ctx, const std::string& bucket) {
  aws::RestRequest head{.operation = "HeadBucket", .method = "HEAD", .path = "/", .bucket = bucket};
  auto response = ctx.client().Send("s3", head);
  if (response.ok()) {
    std::string region = response->Header("x-amz-bucket-region");
    return region.empty() ? ctx.region() : region;
  }
  if (response.error().IsNotFound()) return std::string();
  ctx.Fail(response.error());
  return std::nullopt;
}

Value Read(ResourceContext& ctx, const Value& current) {
  BucketFacts facts{IdOf(current), "", {}};
  auto region = BucketRegion(ctx, facts.name);
  if (!region || region->empty()) return Value();
  facts.region = *region;
  auto tags = S3BucketTags(ctx, facts.name);
  if (!tags) return Value();
  facts.tags = std::move(*tags);
  return ToState(ctx, facts, current);
}

// The names of the buckets in the provider's region (ListBuckets, paged).
std::optional<std::set<std::string>> BucketsInRegion(ResourceContext& ctx) {
  std::set<std::string> names;
  aws::QueryList query{{"bucket-region", ctx.region()}};
  while (true) {
    aws::RestRequest list{.operation = "ListBuckets", .method = "GET", .path = "/", .query = query};
    auto page = ctx.Unwrap(ctx.client().RestXml("s3", list));
    if (!page) return std::nullopt;
    for (const aws::XmlNode& b : page->xml.root().FindAll("Buckets/Bucket"))
      names.insert(b.Text("Name"));
    std::string token = page->xml.root().Text("ContinuationToken");
    if (token.empty()) return names;
    query = {{"bucket-region", ctx.region()}, {"continuation-token", token}};
  }
}

// The buckets of `names` in the provider's region: one ListBuckets for
// existence, the tags of all in bulk.
Found<BucketFacts> LookupBuckets(ResourceContext& ctx, const std::vector<std::string>& names) {
  auto listed = BucketsInRegion(ctx);
  if (!listed) return std::nullopt;
  std::vector<std::string> arns;
  for (const std::string& name : names)
    if (listed->count(name)) arns.push_back("arn:" + ctx.Partition() + ":s3:::" + name);
  auto tags = ReadTagsByArn(ctx, arns);
  if (!tags) return std::nullopt;
  std::map<std::string, BucketFacts> found;
  for (const std::string& name : names)
    if (listed->count(name))
      found[name] = {name, ctx.region(), (*tags)["arn:" + ctx.Partition() + ":s3:::" + name]};
  return found;
}

// Buckets outside the provider's region (ListBuckets does not show them) are
// read one by one.
std::vector<ReadResponse> ReadBuckets(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, LookupBuckets(ctx, RequestKeys(requests)), ToState, IdOf, Read);
}

// The name to create: `bucket`, else the prefix and a suffix from the client
// token (the same across a retried apply, so an interrupted create is found).
std::string NameToCreate(const ResourceContext& ctx, const Value& planned) {
  if (auto name = FindString(planned, "bucket")) return *name;
  std::string prefix = FindString(planned, "bucket_prefix").value_or(kDefaultPrefix);
  return prefix + ctx.ClientToken(kSuffixLength);
}

// The tags of `bucket`; nullopt when it does not exist. A bucket of a
// token-derived name is this instance's whatever its tags say: an earlier
// attempt of this create made it (its tags go on after the create).
std::optional<TagMap> BucketTags(ResourceContext& ctx, const Value& planned,
                                 const std::string& bucket) {
  auto region = BucketRegion(ctx, bucket);
  if (!region || region->empty()) return std::nullopt;
  if (!IsSet(planned, "bucket")) return ctx.OwnershipTags();
  return S3BucketTags(ctx, bucket);
}

bool CreateBucket(ResourceContext& ctx, const std::string& bucket) {
  std::string body;
  if (ctx.region() != "us-east-1")
    body = std::string("<CreateBucketConfiguration xmlns=\"") + kS3Xmlns + "\">" +
           XmlElement("LocationConstraint", ctx.region()) + "</CreateBucketConfiguration>";
  auto created = S3BucketCall(ctx, "CreateBucket", "PUT", bucket, "", body);
  if (created.ok() || created.error().Is("BucketAlreadyOwnedByYou")) return true;
  ctx.Fail(created.error());
  if (created.error().Is("BucketAlreadyExists"))
    ctx.Error("S3 bucket names are global and " + bucket + " belongs to another account",
              "Choose another bucket name (or set bucket_prefix).");
  return false;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  if (IsSet(planned, "bucket_prefix") && GetString(planned, "bucket_prefix").size() > kMaxPrefix) {
    ctx.Error("bucket_prefix is longer than 37 characters",
              "S3 bucket names have at most 63 characters.");
    return Value();
  }
  std::string bucket = NameToCreate(ctx, planned);
  switch (CheckName(ctx, {"S3 bucket", bucket}, [&] { return BucketTags(ctx, planned, bucket); })) {
    case NameCheck::kRefused:
      return Value();
    case NameCheck::kFree:
      if (!CreateBucket(ctx, bucket)) return Value();
      break;
    case NameCheck::kOurs:
      break;
  }
  Value created = Value::Map({{"id", Str(bucket)}, {"bucket", Str(bucket)}});
  PutS3BucketTags(ctx, bucket, ctx.TagsForCreate(planned));
  return created;
}

// Tags are one set: the changes are applied to what the bucket carries now,
// and the ownership tags put back should someone have replaced the set.
void UpdateTags(ResourceContext& ctx, const Value& state, const TagChanges& changes) {
  auto tags = S3BucketTags(ctx, IdOf(state));
  if (!tags) return;
  for (const std::string& key : changes.remove) tags->erase(key);
  for (const auto& [key, value] : changes.set) (*tags)[key] = value;
  for (const auto& [key, value] : ctx.OwnershipTags()) (*tags)[key] = value;
  PutS3BucketTags(ctx, IdOf(state), *tags);
}

// force_destroy lives only in state; tags are applied by the provider.
void Update(ResourceContext&, const Value&, const Value&) {}

// Deletes every object version and delete marker, 1000 a call.
bool EmptyBucket(ResourceContext& ctx, const std::string& bucket) {
  while (!ctx.stopping()) {
    auto page = ctx.Unwrap(S3BucketCall(ctx, "ListObjectVersions", "GET", bucket, "versions", {},
                                        {{"max-keys", "1000"}}));
    if (!page) return false;
    std::string body = std::string("<Delete xmlns=\"") + kS3Xmlns + "\"><Quiet>true</Quiet>";
    std::size_t count = 0;
    for (const char* kind : {"Version", "DeleteMarker"}) {
      for (const aws::XmlNode& v : page->xml.root().Children(kind)) {
        body += "<Object>" + XmlElement("Key", v.Text("Key")) +
                XmlElement("VersionId", v.Text("VersionId")) + "</Object>";
        ++count;
      }
    }
    if (count == 0) return true;
    auto deleted = ctx.Unwrap(
        S3BucketCall(ctx, "DeleteObjects", "POST", bucket, "delete", body + "</Delete>"));
    if (!deleted) return false;
    if (aws::XmlNode error = deleted->xml.root().Child("Error")) {
      ctx.Error("Could not delete object " + error.Text("Key") + " from bucket " + bucket,
                error.Text("Code") + ": " + error.Text("Message"));
      return false;
    }
  }
  return false;
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string bucket = IdOf(prior);
  auto deleted = S3BucketCall(ctx, "DeleteBucket", "DELETE", bucket, "");
  if (!deleted.ok() && deleted.error().Is("BucketNotEmpty")) {
    if (!GetBool(prior, "force_destroy")) {
      ctx.Fail(deleted.error());
      ctx.Error("S3 bucket " + bucket + " is not empty",
                "Set force_destroy = true and apply before deleting it to delete its objects too, "
                "or empty it first.");
      return;
    }
    if (!EmptyBucket(ctx, bucket)) return;
    deleted = S3BucketCall(ctx, "DeleteBucket", "DELETE", bucket, "");
  }
  if (!ctx.SucceededOrGone(deleted)) return;
  WaitUntilGone(ctx, "S3 bucket " + bucket, [&]() -> std::optional<bool> {
    auto region = BucketRegion(ctx, bucket);
    if (!region) return std::nullopt;
    return !region->empty();
  });
}

// A bucket of the planned (or token-derived) name that is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string bucket = NameToCreate(ctx, planned);
  return HolderIsOurs(ctx, [&] { return BucketTags(ctx, planned, bucket); })
             ? Value::Map({{"id", Str(bucket)}})
             : Value();
}

// Names are known before apply when `bucket` is set, so references to the
// ARN and domain names need not wait.
void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  if (IsSet(request.config, "bucket") && IsSet(request.config, "bucket_prefix"))
    ctx.Error("Only one of bucket and bucket_prefix may be set");
  Value& planned = response.planned_state;
  if (!request.prior_state.is_null() || !IsSet(planned, "bucket")) return;
  std::string bucket = GetString(planned, "bucket");
  planned.Set("arn", Str("arn:" + ctx.Partition() + ":s3:::" + bucket));
  planned.Set("bucket_domain_name", Str(bucket + ".s3.amazonaws.com"));
}

}  // namespace

ResourceType aws_s3_bucket() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.read_batch = ReadBuckets;
  type.adopt = Adopt;
  type.plan = Plan;
  type.update_tags = UpdateTags;
  return type;
}

}  // namespace reconcile::aws_provider::resources
