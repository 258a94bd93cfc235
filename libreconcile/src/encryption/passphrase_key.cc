// The passphrase key provider: PBKDF2-HMAC-SHA256 over the passphrase and a
// random salt gives a master key (derived once per salt and process: it is
// deliberately slow), and each document's key is HMAC-SHA256(master, a
// random salt of its own), so no two documents share a key.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <map>
#include <mutex>

#include "encryption/key_provider.h"

namespace reconcile::encryption {
namespace {

constexpr const char* kKdf = "pbkdf2-hmac-sha256";

class PassphraseKeyProvider : public KeyProvider {
 public:
  explicit PassphraseKeyProvider(const KeyProviderSettings& settings)
      : passphrase_(settings.passphrase), iterations_(settings.iterations) {}

  std::string Name() const override { return "passphrase"; }

  Diagnostics NewKey(DocumentKey* out) override {
    std::string salt;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (write_salt_.empty()) write_salt_ = RandomBytes(16);
      salt = write_salt_;
    }
    std::string document_salt = RandomBytes(16);
    out->key = DocumentKeyFrom(Master(salt, iterations_), document_salt);
    out->recovery = {{"kdf", kKdf},
                     {"iterations", iterations_},
                     {"salt", Base64Encode(salt)},
                     {"document_salt", Base64Encode(document_salt)}};
    return {};
  }

  Diagnostics RecoverKey(const nlohmann::json& recovery, std::string* key) override {
    Diagnostics diags;
    std::string salt, document_salt;
    if (!recovery.is_object() || recovery.value("kdf", "") != kKdf || !recovery.contains("iterations") ||
        !recovery["iterations"].is_number_integer() || recovery["iterations"].get<long long>() < 1 ||
        recovery["iterations"].get<long long>() > 100000000 || !recovery.contains("salt") ||
        !recovery["salt"].is_string() || !recovery.contains("document_salt") ||
        !recovery["document_salt"].is_string() || !Base64Decode(recovery["salt"].get<std::string>(), &salt) ||
        !Base64Decode(recovery["document_salt"].get<std::string>(), &document_salt)) {
      diags.Error("The document's passphrase key parameters are damaged",
                  "Expected kdf \"pbkdf2-hmac-sha256\", iterations, salt and document_salt.");
      return diags;
    }
    *key = DocumentKeyFrom(Master(salt, recovery["iterations"].get<int>()), document_salt);
    return diags;
  }

 private:
  std::string Master(const std::string& salt, int iterations) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto key = std::make_pair(salt, iterations);
    auto it = masters_.find(key);
    if (it != masters_.end()) return it->second;
    std::string master(32, '\0');
    PKCS5_PBKDF2_HMAC(passphrase_.data(), static_cast<int>(passphrase_.size()),
                      reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                      iterations, EVP_sha256(), static_cast<int>(master.size()),
                      reinterpret_cast<unsigned char*>(master.data()));
    masters_.emplace(key, master);
    return master;
  }

  static std::string DocumentKeyFrom(const std::string& master, const std::string& document_salt) {
    std::string input = "reconcile document key\n" + document_salt;
    std::string key(32, '\0');
    unsigned int size = 0;
    HMAC(EVP_sha256(), master.data(), static_cast<int>(master.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(),
         reinterpret_cast<unsigned char*>(key.data()), &size);
    return key;
  }

  std::string passphrase_;
  int iterations_;
  std::mutex mutex_;
  std::string write_salt_;
  std::map<std::pair<std::string, int>, std::string> masters_;
};

}  // namespace

std::unique_ptr<KeyProvider> MakePassphraseKeyProvider(const KeyProviderSettings& settings) {
  return std::make_unique<PassphraseKeyProvider>(settings);
}

}  // namespace reconcile::encryption
