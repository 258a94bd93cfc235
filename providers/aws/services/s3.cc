#include "s3.h"

#include <memory>

#include "reconcile/provider_kit.h"
#include "waiter.h"

namespace reconcile::aws_provider {

namespace {

std::string BucketOf(const Value& state) {
  std::string id = IdOf(state);
  return id.empty() ? GetString(state, "bucket") : id;
}

Value ReadConfiguration(ResourceContext& ctx, const BucketConfigurationKind& kind,
                        const Value& current) {
  std::string bucket = BucketOf(current);
  auto got = S3BucketCall(ctx, kind.get_operation, "GET", bucket, kind.subresource);
  if (!got.ok()) {
    if (!got.error().IsNotFound()) ctx.Fail(got.error());
    return Value();
  }
  Value state = kind.to_state(got->xml.root(), current);
  if (state.is_null()) return state;
  state.Set("id", Str(bucket));
  state.Set("bucket", Str(bucket));
  return state;
}

Value CreateConfiguration(ResourceContext& ctx, const BucketConfigurationKind& kind,
                          const Value& planned) {
  std::string bucket = GetString(planned, "bucket");
  bool put = !kind.needs_put || kind.needs_put(planned);
  if (put && !S3PutRetryingNewBucket(ctx, kind.put_operation, bucket, kind.subresource,
                                     kind.body(planned)))
    return Value();
  return Value::Map({{"id", Str(bucket)}});
}

void DeleteConfiguration(ResourceContext& ctx, const BucketConfigurationKind& kind,
                         const Value& prior) {
  if (kind.delete_operation.empty()) {
    kind.reset(ctx, prior);
    return;
  }
  ctx.SucceededOrGone(
      S3BucketCall(ctx, kind.delete_operation, "DELETE", BucketOf(prior), kind.subresource));
}

}  // namespace

aws::AwsResult<aws::XmlResponse> S3BucketCall(const ResourceContext& ctx,
                                              const std::string& operation,
                                              const std::string& method, const std::string& bucket,
                                              const std::string& subresource, std::string body,
                                              aws::QueryList extra_query) {
  aws::RestRequest request{.operation = operation,
                           .method = method,
                           .path = "/",
                           .bucket = bucket,
                           .body = std::move(body)};
  if (!subresource.empty()) request.query.emplace_back(subresource, "");
  for (auto& pair : extra_query) request.query.push_back(std::move(pair));
  if (!request.body.empty()) request.headers.emplace_back("Content-MD5", S3ContentMd5(request.body));
  return ctx.client().RestXml("s3", request);
}

bool S3PutRetryingNewBucket(ResourceContext& ctx, const std::string& operation,
                            const std::string& bucket, const std::string& subresource,
                            const std::string& body) {
  return RetryWhile(
      ctx, {"NoSuchBucket"},
      [&] { return AsDone(S3BucketCall(ctx, operation, "PUT", bucket, subresource, body)); },
      ctx.runtime().timeouts.read_after_create);
}

std::string S3ContentMd5(std::string_view body) {
  return encoding::Base64Encode(encoding::DigestOf(encoding::Digest::kMd5, body));
}

std::string S3TaggingXml(const TagMap& tags) {
  std::string body = std::string("<Tagging xmlns=\"") + kS3Xmlns + "\"><TagSet>";
  for (const auto& [key, value] : tags)
    body += "<Tag>" + XmlElement("Key", key) + XmlElement("Value", value) + "</Tag>";
  return body + "</TagSet></Tagging>";
}

TagMap S3TagSet(const aws::XmlNode& tagging) {
  TagMap tags;
  for (const aws::XmlNode& tag : tagging.FindAll("TagSet/Tag")) tags[tag.Text("Key")] = tag.Text("Value");
  return tags;
}

std::optional<TagMap> S3BucketTags(ResourceContext& ctx, const std::string& bucket) {
  auto got = S3BucketCall(ctx, "GetBucketTagging", "GET", bucket, "tagging");
  if (!got.ok()) {
    if (got.error().Is("NoSuchTagSet") || got.error().Is("NoSuchTagSetError")) return TagMap{};
    ctx.Fail(got.error());
    return std::nullopt;
  }
  return S3TagSet(got->xml.root());
}

bool PutS3BucketTags(ResourceContext& ctx, const std::string& bucket, const TagMap& tags) {
  if (tags.empty())
    return ctx.SucceededOrGone(
        S3BucketCall(ctx, "DeleteBucketTagging", "DELETE", bucket, "tagging"));
  return S3PutRetryingNewBucket(ctx, "PutBucketTagging", bucket, "tagging", S3TaggingXml(tags));
}

bool DeleteAllObjectVersions(ResourceContext& ctx, const std::string& bucket, const std::string& key) {
  while (!ctx.stopping()) {
    auto page = S3BucketCall(ctx, "ListObjectVersions", "GET", bucket, "versions", {},
                             {{"prefix", key}, {"max-keys", "1000"}});
    if (!page.ok()) return ctx.SucceededOrGone(page);
    std::string body = std::string("<Delete xmlns=\"") + kS3Xmlns + "\"><Quiet>true</Quiet>";
    std::size_t count = 0;
    for (const char* kind : {"Version", "DeleteMarker"}) {
      for (const aws::XmlNode& v : page->xml.root().Children(kind)) {
        if (v.Text("Key") != key) continue;  // another key under the same prefix
        body += "<Object>" + XmlElement("Key", key) + XmlElement("VersionId", v.Text("VersionId")) + "</Object>";
        ++count;
      }
    }
    if (count == 0) return true;
    auto deleted = ctx.Unwrap(S3BucketCall(ctx, "DeleteObjects", "POST", bucket, "delete", body + "</Delete>"));
    if (!deleted) return false;
    if (aws::XmlNode error = deleted->xml.root().Child("Error")) {
      ctx.Error("Could not delete a version of s3://" + bucket + "/" + key, error.Text("Code") + ": " + error.Text("Message"));
      return false;
    }
  }
  return false;
}

Attribute BucketAttribute() {
  return Attribute::Required("bucket", kString).ForceNew().Describe("the name of the bucket");
}

void UseBucketConfiguration(ResourceType& type, BucketConfigurationKind kind) {
  auto shared = std::make_shared<const BucketConfigurationKind>(std::move(kind));
  type.create = [shared](ResourceContext& ctx, const Value& planned) {
    return CreateConfiguration(ctx, *shared, planned);
  };
  type.read = [shared](ResourceContext& ctx, const Value& current) {
    return ReadConfiguration(ctx, *shared, current);
  };
  type.update = [shared](ResourceContext& ctx, const Value&, const Value& planned) {
    S3PutRetryingNewBucket(ctx, shared->put_operation, GetString(planned, "bucket"),
                           shared->subresource, shared->body(planned));
  };
  type.remove = [shared](ResourceContext& ctx, const Value& prior) {
    DeleteConfiguration(ctx, *shared, prior);
  };
  // A configuration carries no tags: the planned bucket's is this instance's (the bucket is).
  type.adopt = [shared](ResourceContext& ctx, const Value& planned) {
    Value id = Value::Map({{"id", Str(GetString(planned, "bucket"))}});
    return ReadConfiguration(ctx, *shared, id).is_null() ? Value() : id;
  };
}

}  // namespace reconcile::aws_provider
