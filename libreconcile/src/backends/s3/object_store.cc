#include "backends/s3/object_store.h"

namespace reconcile::s3 {

namespace {

constexpr std::string_view kMetadataPrefix = "x-amz-meta-";

std::map<std::string, std::string> UserMetadata(const aws::HeaderList& headers) {
  std::map<std::string, std::string> metadata;
  for (const auto& [name, value] : headers) {
    if (name.size() > kMetadataPrefix.size() && name.starts_with(kMetadataPrefix))
      metadata[name.substr(kMetadataPrefix.size())] = value;
  }
  return metadata;
}

}  // namespace

bool IsConditionFailure(const aws::AwsError& error) {
  return error.http_status == 412 || error.Is("PreconditionFailed") || error.Is("ConditionalRequestConflict");
}

aws::AwsResult<std::optional<StoredObject>> ObjectStore::Fetch(const char* operation, const char* method,
                                                               const std::string& key) const {
  aws::RestRequest request{.operation = operation, .method = method, .path = "/" + key, .bucket = bucket_};
  aws::AwsResult<aws::RestResponse> response = client_->Send("s3", request);
  if (!response.ok()) {
    if (response.error().IsNotFound() && !response.error().Is("NoSuchBucket")) return std::optional<StoredObject>();
    return response.error();
  }
  StoredObject object{.body = std::move(response->body), .etag = response->Header("etag"),
                      .metadata = UserMetadata(response->headers)};
  return std::optional<StoredObject>(std::move(object));
}

aws::AwsResult<std::optional<StoredObject>> ObjectStore::Get(const std::string& key) const {
  return Fetch("GetObject", "GET", key);
}

aws::AwsResult<std::optional<StoredObject>> ObjectStore::Head(const std::string& key) const {
  return Fetch("HeadObject", "HEAD", key);
}

aws::AwsResult<std::string> ObjectStore::Put(const std::string& key, const std::string& body,
                                            const PutOptions& options) const {
  aws::RestRequest request{.operation = "PutObject", .method = "PUT", .path = "/" + key, .bucket = bucket_,
                           .body = body, .content_type = options.content_type};
  if (!options.if_match.empty()) request.headers.emplace_back("If-Match", options.if_match);
  if (options.if_none_match) request.headers.emplace_back("If-None-Match", "*");
  for (const auto& [name, value] : options.metadata) request.headers.emplace_back(std::string(kMetadataPrefix) + name, value);
  if (encryption_.enabled) {
    request.headers.emplace_back("x-amz-server-side-encryption", encryption_.kms_key_id.empty() ? "AES256" : "aws:kms");
    if (!encryption_.kms_key_id.empty())
      request.headers.emplace_back("x-amz-server-side-encryption-aws-kms-key-id", encryption_.kms_key_id);
  }
  aws::AwsResult<aws::RestResponse> response = client_->Send("s3", request);
  if (!response.ok()) return response.error();
  return response->Header("etag");
}

aws::AwsResult<aws::Done> ObjectStore::Delete(const std::string& key, const std::string& if_match) const {
  aws::RestRequest request{.operation = "DeleteObject", .method = "DELETE", .path = "/" + key, .bucket = bucket_};
  if (!if_match.empty()) request.headers.emplace_back("If-Match", if_match);
  aws::AwsResult<aws::RestResponse> response = client_->Send("s3", request);
  if (!response.ok() && !(response.error().IsNotFound() && !response.error().Is("NoSuchBucket")))
    return response.error();
  return aws::Done{};
}

aws::AwsResult<std::vector<std::string>> ObjectStore::List(const std::string& prefix) const {
  std::vector<std::string> keys;
  std::string continuation;
  do {
    aws::RestRequest request{.operation = "ListObjectsV2", .path = "/", .bucket = bucket_,
                             .query = {{"list-type", "2"}, {"prefix", prefix}}};
    if (!continuation.empty()) request.query.emplace_back("continuation-token", continuation);
    aws::AwsResult<aws::XmlResponse> page = client_->RestXml("s3", request);
    if (!page.ok()) return page.error();
    for (const aws::XmlNode& item : page->xml.root().Children("Contents")) keys.push_back(item.Text("Key"));
    continuation = page->xml.root().Text("IsTruncated") == "true" ? page->xml.root().Text("NextContinuationToken") : "";
  } while (!continuation.empty());
  return keys;
}

}  // namespace reconcile::s3
