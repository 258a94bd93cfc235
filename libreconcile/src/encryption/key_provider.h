// Where the 256-bit key that seals one document comes from, and how a reader
// gets it back from what the document records.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "encryption/encryption_settings.h"
#include "reconcile/diagnostics.h"

namespace reconcile::encryption {

// A fresh key for one document and what a reader needs to recover it (kept
// in the document's envelope, in clear text: it never holds the key itself).
struct DocumentKey {
  std::string key;  // 32 bytes
  nlohmann::json recovery;
};

class KeyProvider {
 public:
  virtual ~KeyProvider() = default;
  // "passphrase" or "aws_kms", as the envelope and messages name it.
  virtual std::string Name() const = 0;
  // A key for a new document. Thread-safe.
  virtual Diagnostics NewKey(DocumentKey* out) = 0;
  // The key of a document sealed by this kind of provider; an error when this
  // provider's secret cannot recover it (the wrong passphrase is found out
  // later, by the authentication tag). Thread-safe.
  virtual Diagnostics RecoverKey(const nlohmann::json& recovery, std::string* key) = 0;
};

// The provider the settings describe.
std::unique_ptr<KeyProvider> MakeKeyProvider(const KeyProviderSettings& settings);
std::unique_ptr<KeyProvider> MakePassphraseKeyProvider(const KeyProviderSettings& settings);
std::unique_ptr<KeyProvider> MakeKmsKeyProvider(const KeyProviderSettings& settings);

// Cryptographic helpers the providers and the envelope share.
std::string RandomBytes(std::size_t n);
std::string Base64Encode(const std::string& bytes);
// False when `text` is not base64.
bool Base64Decode(const std::string& text, std::string* bytes);

}  // namespace reconcile::encryption
