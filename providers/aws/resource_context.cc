#include "resource_context.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "tags.h"

namespace reconcile::aws_provider {

namespace {

std::string Hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return Hex(digest, size);
}

std::string RandomHex() {
  unsigned char bytes[32];
  RAND_bytes(bytes, sizeof bytes);
  return Hex(bytes, sizeof bytes);
}

}  // namespace

ResourceContext::ResourceContext(const ProviderRuntime& runtime, std::string address,
                                 std::string request_token)
    : runtime_(runtime), address_(std::move(address)), request_token_(std::move(request_token)) {}

std::string ResourceContext::ClientToken(std::size_t max_length) const {
  std::string token = request_token_.empty() ? RandomHex() : Sha256Hex(request_token_);
  return token.substr(0, max_length);
}

std::string ResourceContext::AccountId() {
  std::lock_guard<std::mutex> lock(runtime_.account_mutex);
  if (runtime_.account_id.empty()) {
    auto identity = Unwrap(client().Query("sts", "GetCallerIdentity", {}));
    if (identity) runtime_.account_id = identity->root().Text("GetCallerIdentityResult/Account");
  }
  return runtime_.account_id;
}

std::string ResourceContext::Partition() const {
  const std::string& r = region();
  if (r.starts_with("cn-")) return "aws-cn";
  if (r.starts_with("us-gov-")) return "aws-us-gov";
  return "aws";
}

std::string ResourceContext::Arn(const std::string& service, const std::string& account,
                                 const std::string& resource, bool regional) const {
  return "arn:" + Partition() + ":" + service + ":" + (regional ? region() : "") + ":" + account +
         ":" + resource;
}

TagMap ResourceContext::OwnershipTags() const {
  TagMap tags{{kAddressTag, address_}};
  if (!runtime_.stack.empty()) tags[kStackTag] = runtime_.stack;
  tags[kWorkspaceTag] = runtime_.workspace.empty() ? "default" : runtime_.workspace;
  return tags;
}

TagMap ResourceContext::TagsForCreate(const Value& planned) const {
  const Value* own = planned.Find("tags");
  TagMap tags = MergeTags(runtime_.default_tags, own ? TagMapOf(*own) : TagMap{});
  for (const auto& [key, value] : OwnershipTags()) tags[key] = value;
  return tags;
}

void ResourceContext::Fail(const aws::AwsError& error) {
  diagnostics_.Add(error.ToDiagnostic(address_));
  // No answer, or a server error: the request may still have been carried out.
  if (error.IsTransport() || error.http_status >= 500) outcome_unknown_ = true;
}

void ResourceContext::Error(std::string summary, std::string detail) {
  Diagnostic d;
  d.summary = address_.empty() ? std::move(summary) : address_ + ": " + summary;
  d.detail = std::move(detail);
  d.address = address_;
  diagnostics_.Add(std::move(d));
}

}  // namespace reconcile::aws_provider
