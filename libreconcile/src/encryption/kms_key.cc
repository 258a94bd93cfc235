// The aws_kms key provider: every document gets a fresh data key from
// GenerateDataKey; the envelope keeps the key wrapped by KMS, and a reader
// asks KMS Decrypt (with the configured key id, so another key's document is
// refused) to unwrap it.
#include <map>
#include <mutex>

#include "aws/client.h"
#include "encryption/key_provider.h"

namespace reconcile::encryption {
namespace {

class KmsKeyProvider : public KeyProvider {
 public:
  explicit KmsKeyProvider(KeyProviderSettings settings) : settings_(std::move(settings)) {}

  std::string Name() const override { return "aws_kms"; }

  Diagnostics NewKey(DocumentKey* out) override {
    Diagnostics diags;
    auto client = Client(diags);
    if (!client) return diags;
    auto r = client->Json("kms", "GenerateDataKey", {{"KeyId", settings_.kms_key_id}, {"KeySpec", "AES_256"}},
                          {.idempotency = aws::Idempotency::kIdempotent});
    if (!r.ok()) return Failed(r.error(), "GenerateDataKey");
    std::string key;
    if (!r->contains("Plaintext") || !r->contains("CiphertextBlob") ||
        !Base64Decode((*r)["Plaintext"].get<std::string>(), &key) || key.size() != 32) {
      diags.Error("Key provider aws_kms: GenerateDataKey returned no 256-bit data key",
                  "Check that " + settings_.kms_key_id + " is a symmetric encryption key.");
      return diags;
    }
    out->key = std::move(key);
    out->recovery = {{"kms_key_id", r->value("KeyId", settings_.kms_key_id)},
                     {"wrapped_key", (*r)["CiphertextBlob"]}};
    return diags;
  }

  Diagnostics RecoverKey(const nlohmann::json& recovery, std::string* key) override {
    Diagnostics diags;
    if (!recovery.is_object() || !recovery.contains("wrapped_key") || !recovery["wrapped_key"].is_string()) {
      diags.Error("The document's aws_kms key parameters are damaged", "Expected wrapped_key.");
      return diags;
    }
    std::string wrapped = recovery["wrapped_key"].get<std::string>();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = unwrapped_.find(wrapped); it != unwrapped_.end()) {  // checked when first unwrapped
        *key = it->second;
        return diags;
      }
    }
    auto client = Client(diags);
    if (!client) return diags;
    auto r = client->Json("kms", "Decrypt", {{"CiphertextBlob", wrapped}, {"KeyId", settings_.kms_key_id}},
                          {.idempotency = aws::Idempotency::kIdempotent});
    if (!r.ok()) return Failed(r.error(), "Decrypt");
    if (!r->contains("Plaintext") || !Base64Decode((*r)["Plaintext"].get<std::string>(), key) || key->size() != 32) {
      diags.Error("Key provider aws_kms: Decrypt returned no 256-bit data key", "The document's wrapped key is damaged.");
      return diags;
    }
    // KMS may decrypt with the key the blob names; insist on the configured one.
    std::string arn = ConfiguredKeyArn(*client, diags);
    if (diags.HasErrors()) return diags;
    if (r->contains("KeyId") && (*r)["KeyId"].is_string() && (*r)["KeyId"].get<std::string>() != arn) {
      diags.Error("Key provider aws_kms (" + settings_.kms_key_id + "): the document was sealed with another key",
                  "It was sealed with " + (*r)["KeyId"].get<std::string>() + "; the configured key is " + arn +
                      ". While rotating keys, name the old one in fallback.");
      key->clear();
      return diags;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    unwrapped_[wrapped] = *key;
    return diags;
  }

 private:
  std::shared_ptr<aws::AwsClient> Client(Diagnostics& diags) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (client_) return client_;
    aws::ClientConfig config;
    config.region = settings_.region;
    config.profile = settings_.profile;
    config.endpoints = settings_.endpoints;
    auto created = aws::AwsClient::Create(config);
    if (!created.ok()) {
      Diagnostic d = created.error().ToDiagnostic();
      d.summary = "Key provider aws_kms: " + d.summary;
      diags.Add(d);
      return nullptr;
    }
    client_ = created.value();
    return client_;
  }

  // The ARN of the configured key (an alias or key id resolved once).
  std::string ConfiguredKeyArn(aws::AwsClient& client, Diagnostics& diags) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!key_arn_.empty()) return key_arn_;
    }
    auto r = client.Json("kms", "DescribeKey", {{"KeyId", settings_.kms_key_id}});
    if (!r.ok()) {
      diags.Append(Failed(r.error(), "DescribeKey"));
      return "";
    }
    std::string arn = r->contains("KeyMetadata") ? (*r)["KeyMetadata"].value("Arn", "") : "";
    std::lock_guard<std::mutex> lock(mutex_);
    key_arn_ = arn;
    return arn;
  }

  Diagnostics Failed(const aws::AwsError& error, const std::string& call) {
    Diagnostics diags;
    Diagnostic d = error.ToDiagnostic();
    d.summary = "Key provider aws_kms (" + settings_.kms_key_id + "): " + call + " failed: " + d.summary;
    diags.Add(d);
    return diags;
  }

  KeyProviderSettings settings_;
  std::mutex mutex_;
  std::shared_ptr<aws::AwsClient> client_;
  std::string key_arn_;
  std::map<std::string, std::string> unwrapped_;
};

}  // namespace

std::unique_ptr<KeyProvider> MakeKmsKeyProvider(const KeyProviderSettings& settings) {
  return std::make_unique<KmsKeyProvider>(settings);
}

}  // namespace reconcile::encryption
