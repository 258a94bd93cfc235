// The [encryption] block (or RECONCILE_ENCRYPTION): which key provider seals
// state documents, which one may also open them during a key rotation, and
// whether plaintext is refused.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::encryption {

struct KeyProviderSettings {
  enum class Kind { kPassphrase, kAwsKms };
  Kind kind = Kind::kPassphrase;

  // passphrase: the text itself (at least 16 characters) and the PBKDF2 work.
  std::string passphrase;
  int iterations = 600000;

  // aws_kms: the key, and where to reach KMS (empty = the backend's).
  std::string kms_key_id;
  std::string region;
  std::string profile;
  std::map<std::string, std::string> endpoints;

  // "passphrase" or "aws_kms", as written in the block.
  std::string Name() const { return kind == Kind::kAwsKms ? "aws_kms" : "passphrase"; }
};

struct EncryptionSettings {
  KeyProviderSettings key_provider;  // seals every document written
  std::optional<KeyProviderSettings> fallback;  // also opens documents (the old key)
  bool enforced = false;  // a plaintext document is refused on read
};

// Reads an evaluated block; `where` names it in messages ("[encryption]" or
// "RECONCILE_ENCRYPTION"). Every problem is reported; *out is valid only
// without errors.
Diagnostics ParseEncryptionSettings(const Value& block, const std::string& where,
                                    EncryptionSettings* out);

// The AWS settings a KMS key provider takes from the S3 backend when it has
// none of its own: region, profile and endpoints.
void InheritBackendAwsSettings(const Value& backend_settings, EncryptionSettings* settings);

}  // namespace reconcile::encryption
