#include "encryption/encryption_settings.h"

#include <cmath>
#include <cstdlib>

namespace reconcile::encryption {
namespace {

const char* const kShape =
    "key_provider = { aws_kms = { kms_key_id = \"alias/state\" } } or "
    "key_provider = { passphrase = { passphrase = \"${var.state_passphrase}\" } }";

// Reports problems as "<where>: <setting> <problem>".
class SettingsReader {
 public:
  SettingsReader(std::string where, Diagnostics* diags) : where_(std::move(where)), diags_(diags) {}

  void Problem(const std::string& setting, const std::string& problem, const std::string& expected) {
    diags_->Error("Invalid " + where_ + ": " + setting + " " + problem, "Expected " + expected + ".");
  }

  bool String(const std::string& setting, const Value& v, std::string* out) {
    if (!v.is_string()) {
      Problem(setting, "must be a string, found " + std::string(v.kind_name()), "a string");
      return false;
    }
    *out = v.AsString();
    return true;
  }

  // Checks that every key of `table` is one of `known`.
  bool OnlyKnown(const std::string& setting, const Value& table, const std::vector<std::string>& known) {
    bool ok = true;
    for (const auto& [key, value] : table.AsMap()) {
      bool found = false;
      for (const std::string& k : known) found = found || k == key;
      if (!found) {
        std::string list;
        for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
        Problem(setting.empty() ? key : setting + "." + key, "is not a setting here", "one of " + list);
        ok = false;
      }
    }
    return ok;
  }

 private:
  std::string where_;
  Diagnostics* diags_;
};

void ReadPassphrase(SettingsReader& r, const std::string& at, const Value& v, KeyProviderSettings* out) {
  out->kind = KeyProviderSettings::Kind::kPassphrase;
  if (!v.is_map()) {
    r.Problem(at, "must be a table", "passphrase = { passphrase = \"...\" } or { env = \"NAME\" }");
    return;
  }
  r.OnlyKnown(at, v, {"passphrase", "env", "iterations"});
  if (const Value* p = v.Find("passphrase")) r.String(at + ".passphrase", *p, &out->passphrase);
  if (const Value* e = v.Find("env")) {
    std::string name;
    if (r.String(at + ".env", *e, &name)) {
      const char* text = std::getenv(name.c_str());
      if (text != nullptr && out->passphrase.empty()) out->passphrase = text;
      if ((text == nullptr || *text == '\0') && v.Find("passphrase") == nullptr)
        r.Problem(at + ".env", "names " + name + ", which is not set in the environment",
                  "the passphrase in $" + name);
    }
  }
  if (v.Find("passphrase") == nullptr && v.Find("env") == nullptr)
    r.Problem(at, "gives no passphrase", "passphrase = \"${var.NAME}\" or env = \"NAME\"");
  if (const Value* n = v.Find("iterations")) {
    if (!n->is_number() || n->AsNumber() < 100000 || n->AsNumber() > 1e8 ||
        std::floor(n->AsNumber()) != n->AsNumber())
      r.Problem(at + ".iterations", "must be a whole number from 100000", "PBKDF2 iterations (default 600000)");
    else
      out->iterations = static_cast<int>(n->AsNumber());
  }
  if ((v.Find("passphrase") != nullptr || !out->passphrase.empty()) && out->passphrase.size() < 16)
    r.Problem(at + ".passphrase", "is shorter than 16 characters (or empty)", "a passphrase of at least 16 characters");
}

void ReadKms(SettingsReader& r, const std::string& at, const Value& v, KeyProviderSettings* out) {
  out->kind = KeyProviderSettings::Kind::kAwsKms;
  if (!v.is_map()) {
    r.Problem(at, "must be a table", "aws_kms = { kms_key_id = \"alias/state\" }");
    return;
  }
  r.OnlyKnown(at, v, {"kms_key_id", "region", "profile", "endpoint"});
  if (const Value* k = v.Find("kms_key_id")) r.String(at + ".kms_key_id", *k, &out->kms_key_id);
  else r.Problem(at, "has no kms_key_id", "kms_key_id = \"alias/state\" (a key id, ARN or alias)");
  if (const Value* s = v.Find("region")) r.String(at + ".region", *s, &out->region);
  if (const Value* s = v.Find("profile")) r.String(at + ".profile", *s, &out->profile);
  std::string endpoint;
  if (const Value* s = v.Find("endpoint"); s && r.String(at + ".endpoint", *s, &endpoint))
    out->endpoints["kms"] = endpoint;
}

void ReadKeyProvider(SettingsReader& r, const std::string& at, const Value& v, KeyProviderSettings* out) {
  if (!v.is_map() || v.AsMap().size() != 1) {
    r.Problem(at, "must name exactly one key provider", kShape);
    return;
  }
  const auto& [name, body] = *v.AsMap().begin();
  if (name == "passphrase") ReadPassphrase(r, at + ".passphrase", body, out);
  else if (name == "aws_kms") ReadKms(r, at + ".aws_kms", body, out);
  else r.Problem(at + "." + name, "is not a key provider", "aws_kms or passphrase");
}

}  // namespace

Diagnostics ParseEncryptionSettings(const Value& block, const std::string& where, EncryptionSettings* out) {
  Diagnostics diags;
  SettingsReader r(where, &diags);
  if (!block.is_map()) {
    r.Problem("", "must be a table", kShape);
    return diags;
  }
  r.OnlyKnown("", block, {"key_provider", "fallback", "enforced"});
  if (const Value* kp = block.Find("key_provider")) ReadKeyProvider(r, "key_provider", *kp, &out->key_provider);
  else r.Problem("key_provider", "is missing", kShape);
  if (const Value* fb = block.Find("fallback")) {
    if (!fb->is_map() || fb->Find("key_provider") == nullptr || fb->AsMap().size() != 1) {
      r.Problem("fallback", "must hold one key_provider", "fallback = { key_provider = { ... } }");
    } else {
      out->fallback.emplace();
      ReadKeyProvider(r, "fallback.key_provider", *fb->Find("key_provider"), &*out->fallback);
    }
  }
  if (const Value* e = block.Find("enforced")) {
    if (e->is_bool()) out->enforced = e->AsBool();
    else r.Problem("enforced", "must be true or false", "enforced = true");
  }
  return diags;
}

void InheritBackendAwsSettings(const Value& backend_settings, EncryptionSettings* settings) {
  auto inherit = [&](KeyProviderSettings& kp) {
    if (kp.kind != KeyProviderSettings::Kind::kAwsKms || !backend_settings.is_map()) return;
    const Value* region = backend_settings.Find("region");
    const Value* profile = backend_settings.Find("profile");
    if (kp.region.empty() && region && region->is_string()) kp.region = region->AsString();
    if (kp.profile.empty() && profile && profile->is_string()) kp.profile = profile->AsString();
    if (const Value* endpoints = backend_settings.Find("endpoints"); endpoints && endpoints->is_map())
      if (const Value* kms = endpoints->Find("kms"); kms && kms->is_string() && !kp.endpoints.count("kms"))
        kp.endpoints["kms"] = kms->AsString();
  };
  inherit(settings->key_provider);
  if (settings->fallback) inherit(*settings->fallback);
}

}  // namespace reconcile::encryption
