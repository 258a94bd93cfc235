#include "encryption/envelope.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

namespace reconcile::encryption {
namespace {

using ordered_json = nlohmann::ordered_json;

constexpr std::string_view kMarker = "{\"reconcile_encrypted\":";
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;

// The associated data: the header as written, without the ciphertext.
std::string AssociatedData(ordered_json header) {
  header.erase("ciphertext");
  return header.dump();
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// AES-256-GCM: ciphertext followed by the 16-byte tag.
std::string GcmSeal(const std::string& key, const std::string& nonce, const std::string& aad, std::string_view plaintext) {
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(plaintext.size() + kTagSize, '\0');
  int len = 0, total = 0;
  EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr);
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr);
  EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key), Bytes(nonce));
  EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size()));
  EVP_EncryptUpdate(ctx.get(), Bytes(out), &len, Bytes(plaintext), static_cast<int>(plaintext.size()));
  total = len;
  EVP_EncryptFinal_ex(ctx.get(), Bytes(out) + total, &len);
  total += len;
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, Bytes(out) + total);
  out.resize(static_cast<std::size_t>(total) + kTagSize);
  return out;
}

// False when the tag does not authenticate (wrong key, or changed bytes).
bool GcmOpen(const std::string& key, const std::string& nonce, const std::string& aad, const std::string& sealed,
             std::string* plaintext) {
  if (sealed.size() < kTagSize || key.size() != 32) return false;
  std::size_t size = sealed.size() - kTagSize;
  std::string tag = sealed.substr(size);
  std::string out(size, '\0');
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr);
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr);
  EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(key), Bytes(nonce));
  EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size()));
  EVP_DecryptUpdate(ctx.get(), Bytes(out), &len, Bytes(std::string_view(sealed).substr(0, size)),
                    static_cast<int>(size));
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data());
  if (EVP_DecryptFinal_ex(ctx.get(), Bytes(out) + len, &len) != 1) return false;
  *plaintext = std::move(out);
  return true;
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

bool IsEncryptedDocument(std::string_view document) {
  std::size_t start = document.find_first_not_of(" \t\r\n");
  return start != std::string_view::npos && document.substr(start, kMarker.size()) == kMarker;
}

DocumentCipher::DocumentCipher(std::optional<EncryptionSettings> settings) : settings_(std::move(settings)) {
  if (!settings_) return;
  primary_ = MakeKeyProvider(settings_->key_provider);
  if (settings_->fallback) fallback_ = MakeKeyProvider(*settings_->fallback);
}

Diagnostics DocumentCipher::Seal(const DocumentBinding& binding, std::string_view plaintext, std::string* out) {
  Diagnostics diags;
  if (!primary_) {
    *out = std::string(plaintext);
    return diags;
  }
  DocumentKey key;
  diags.Append(primary_->NewKey(&key));
  if (diags.HasErrors()) {
    diags.Error("Cannot encrypt the " + binding.kind + " of workspace " + Quoted(binding.workspace) +
                    " with key provider " + primary_->Name(),
                "Nothing was written.");
    return diags;
  }
  std::string nonce = RandomBytes(kNonceSize);
  ordered_json header;
  header["reconcile_encrypted"] = 1;
  header["lineage"] = binding.lineage;
  header["serial"] = binding.serial;
  header["document"] = binding.kind;
  header["stack"] = binding.stack;
  header["workspace"] = binding.workspace;
  header["method"] = "AES-256-GCM";
  header["key_provider"] = primary_->Name();
  header["key"] = ordered_json::parse(key.recovery.dump());
  header["nonce"] = Base64Encode(nonce);
  std::string aad = AssociatedData(header);
  header["ciphertext"] = Base64Encode(GcmSeal(key.key, nonce, aad, plaintext));
  *out = header.dump() + "\n";
  return diags;
}

Diagnostics DocumentCipher::Open(const DocumentBinding& expected, const std::string& what, std::string_view document,
                                 std::string* plaintext, std::string* sealed_by) {
  Diagnostics diags;
  if (sealed_by) sealed_by->clear();
  if (!IsEncryptedDocument(document)) {
    if (settings_ && settings_->enforced) {
      diags.Error(what + " is not encrypted, and [encryption] has enforced = true",
                  "Plaintext is refused. To encrypt an existing plaintext state, apply (or run `reconcile state "
                  "rekey`) once with enforced = false.");
      return diags;
    }
    *plaintext = std::string(document);
    return diags;
  }
  ordered_json header = ordered_json::parse(document, nullptr, /*allow_exceptions=*/false);
  auto text = [&](const char* key) {
    return header.contains(key) && header[key].is_string() ? header[key].get<std::string>() : std::string();
  };
  std::string nonce, sealed;
  if (header.is_discarded() || !header.contains("ciphertext") || !header["ciphertext"].is_string() ||
      !header.contains("key") || !Base64Decode(text("nonce"), &nonce) || nonce.size() != kNonceSize ||
      !Base64Decode(text("ciphertext"), &sealed) || text("method") != "AES-256-GCM") {
    diags.Error(what + " is an encrypted document whose envelope is damaged",
                "Expected a reconcile encryption envelope (method AES-256-GCM with nonce, key and ciphertext).");
    return diags;
  }
  std::string provider = text("key_provider");
  if (!primary_) {
    diags.Error(what + " is encrypted (key provider " + provider + "), but no encryption is configured",
                "Add the [encryption] block with its key provider to the stack, or set RECONCILE_ENCRYPTION.");
    return diags;
  }
  if (text("document") != expected.kind || text("workspace") != expected.workspace || text("stack") != expected.stack) {
    diags.Error(what + " holds a " + text("document") + " sealed for workspace " + Quoted(text("workspace")) +
                    " of stack " + Quoted(text("stack")),
                "Expected a " + expected.kind + " of workspace " + Quoted(expected.workspace) + " of stack " +
                    Quoted(expected.stack) +
                    ". A document copied from another workspace or stack is refused; nothing was changed.");
    return diags;
  }
  std::string aad = AssociatedData(header);
  std::vector<std::string> tried;
  for (KeyProvider* candidate : {primary_.get(), fallback_.get()}) {
    if (candidate == nullptr || candidate->Name() != provider) continue;
    std::string key;
    Diagnostics recovered = candidate->RecoverKey(header["key"].get<nlohmann::json>(), &key);
    if (recovered.HasErrors()) {
      for (const Diagnostic& d : recovered)
        tried.push_back(d.summary + (d.detail.empty() ? "" : " (" + d.detail + ")"));
      continue;
    }
    if (GcmOpen(key, nonce, aad, sealed, plaintext)) {
      if (sealed_by) *sealed_by = candidate->Name();
      return diags;
    }
    tried.push_back(std::string(candidate == primary_.get() ? "key_provider " : "fallback key_provider ") +
                    provider + ": the key does not authenticate the document (a wrong " +
                    (provider == "passphrase" ? "passphrase" : "key") + ", or changed bytes)");
  }
  std::string detail;
  if (tried.empty()) {
    detail = "It was sealed with key provider " + provider + "; the configured key_provider is " +
             primary_->Name() + (fallback_ ? " and the fallback " + fallback_->Name() : "") +
             ". Configure " + provider + " (as fallback while rotating).";
  } else {
    for (const std::string& t : tried) detail += (detail.empty() ? "" : "; ") + t;
    detail += ". Nothing was changed.";
  }
  diags.Error("Cannot decrypt " + what + " with key provider " + provider, detail);
  return diags;
}

}  // namespace reconcile::encryption
