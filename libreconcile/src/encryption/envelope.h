// The one envelope every encrypted document is kept in (state, journal, saved
// plan, errored state). AES-256-GCM under a key from a KeyProvider; the
// associated data is the whole clear-text header, which names the document's
// kind, stack, workspace, lineage and serial, so a document copied to another
// workspace or stack (or an edited header) fails to open. The header keeps
// "lineage" and "serial" at the top level, as a plain state does, so backends
// check a write against the stored identity without the key.
//
//   {"reconcile_encrypted":1,"lineage":"…","serial":7,"document":"state",
//    "stack":"web","workspace":"prod","method":"AES-256-GCM",
//    "key_provider":"aws_kms","key":{…},"nonce":"…","ciphertext":"…"}
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "encryption/encryption_settings.h"
#include "encryption/key_provider.h"
#include "reconcile/diagnostics.h"

namespace reconcile::encryption {

// What a document is and where it belongs; sealed into its envelope.
struct DocumentBinding {
  std::string kind;  // "state", "journal", "plan"
  std::string stack;
  std::string workspace;
  std::string lineage;
  std::uint64_t serial = 0;
};

// True when `document` is in an encryption envelope (whatever its key).
bool IsEncryptedDocument(std::string_view document);

// Seals and opens documents with the configured key providers. Without
// settings it passes plaintext through and refuses encrypted documents with
// an error that says encryption is not configured. Thread-safe.
class DocumentCipher {
 public:
  explicit DocumentCipher(std::optional<EncryptionSettings> settings);

  bool enabled() const { return primary_ != nullptr; }
  // "aws_kms" or "passphrase": the provider that seals ("" when disabled).
  std::string provider_name() const { return primary_ ? primary_->Name() : ""; }

  // The envelope of `plaintext` under the primary key provider (plaintext
  // unchanged when disabled).
  Diagnostics Seal(const DocumentBinding& binding, std::string_view plaintext, std::string* out);

  // The plaintext of `document`, checked against `expected` (its kind, stack
  // and workspace; lineage and serial are taken from the envelope). `what`
  // names the document in messages ("the state of workspace \"prod\"").
  // Tries the primary key provider, then the fallback. A plaintext document
  // passes unless enforced. *sealed_by (optional) gets the provider that
  // opened it ("" for plaintext).
  Diagnostics Open(const DocumentBinding& expected, const std::string& what, std::string_view document,
                   std::string* plaintext, std::string* sealed_by = nullptr);

 private:
  std::optional<EncryptionSettings> settings_;
  std::unique_ptr<KeyProvider> primary_;
  std::unique_ptr<KeyProvider> fallback_;
};

}  // namespace reconcile::encryption
