#include "backends/s3/s3_backend_settings.h"

#include <cctype>
#include <functional>
#include <string_view>

namespace reconcile::s3 {

namespace {

constexpr const char* kKnownSettings =
    "bucket, key, region, profile, lock_table, lock, workspace_key_prefix, encrypt, kms_key_id, endpoints";

// Collects the problems of one block; every message starts with "[backend.s3]".
class SettingsReader {
 public:
  explicit SettingsReader(Diagnostics* diags) : diags_(diags) {}

  void Problem(const std::string& setting, const std::string& what, const std::string& expected) {
    diags_->Error("[backend.s3]: " + setting + " " + what, "expected " + expected);
  }

  // A non-empty string, or a problem naming what was found instead.
  bool String(const std::string& setting, const Value& value, const std::string& expected, std::string* out) {
    if (!value.is_string() || value.AsString().empty()) {
      Problem(setting, value.is_string() ? "is empty" : "must be a string, found " + std::string(value.kind_name()),
              setting + " = " + expected);
      return false;
    }
    *out = value.AsString();
    return true;
  }

  bool Bool(const std::string& setting, const Value& value, bool* out) {
    if (!value.is_bool()) {
      Problem(setting, "must be true or false, found " + std::string(value.kind_name()),
              setting + " = true (or false)");
      return false;
    }
    *out = value.AsBool();
    return true;
  }

 private:
  Diagnostics* diags_;
};

// S3's rules for a bucket name: 3-63 lowercase letters, digits, '.', '-',
// starting and ending with a letter or digit.
bool IsValidBucketName(std::string_view name) {
  auto alnum = [](char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); };
  if (name.size() < 3 || name.size() > 63 || !alnum(name.front()) || !alnum(name.back())) return false;
  for (char c : name) {
    if (!alnum(c) && c != '.' && c != '-') return false;
  }
  return name.find("..") == std::string_view::npos;
}

// An object key part: no leading or trailing '/', no empty segment.
bool IsValidKeyPath(std::string_view path) {
  return !path.empty() && path.front() != '/' && path.back() != '/' && path.find("//") == std::string_view::npos;
}

bool IsUrl(std::string_view text) { return text.starts_with("http://") || text.starts_with("https://"); }

void ReadEndpoints(SettingsReader& reader, const Value& value, S3BackendSettings* out) {
  const std::string expected = "endpoints = { s3 = \"https://...\", dynamodb = \"https://...\" }";
  if (!value.is_map()) {
    reader.Problem("endpoints", "must be a table, found " + std::string(value.kind_name()), expected);
    return;
  }
  for (const auto& [service, url] : value.AsMap()) {
    if (service != "s3" && service != "dynamodb") {
      reader.Problem("endpoints." + service, "is not a service the s3 backend calls", expected);
      continue;
    }
    std::string text;
    if (!reader.String("endpoints." + service, url, "\"https://...\"", &text)) continue;
    if (!IsUrl(text)) {
      reader.Problem("endpoints." + service, "is not a URL: \"" + text + "\"",
                     "a URL starting with http:// or https://");
      continue;
    }
    out->endpoints[service] = text;
  }
}

// What each setting name does with its value.
using SettingHandler = std::function<void(SettingsReader&, const Value&, S3BackendSettings*)>;

const std::map<std::string, SettingHandler, std::less<>>& SettingHandlers() {
  static const std::map<std::string, SettingHandler, std::less<>> handlers = {
      {"bucket",
       [](SettingsReader& r, const Value& v, S3BackendSettings* s) {
         if (!r.String("bucket", v, "\"<name of the S3 bucket holding the state>\"", &s->bucket)) return;
         if (!IsValidBucketName(s->bucket))
           r.Problem("bucket", "is not a valid S3 bucket name: \"" + s->bucket + "\"",
                     "3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit");
       }},
      {"key",
       [](SettingsReader& r, const Value& v, S3BackendSettings* s) {
         if (!r.String("key", v, "\"<path of the state object, e.g. web/state.json>\"", &s->key)) return;
         if (!IsValidKeyPath(s->key))
           r.Problem("key", "is not a usable object key: \"" + s->key + "\"",
                     "a path such as \"web/state.json\", not starting or ending with '/' and without \"//\"");
       }},
      {"region", [](SettingsReader& r, const Value& v, S3BackendSettings* s) { r.String("region", v, "\"us-west-2\"", &s->region); }},
      {"profile", [](SettingsReader& r, const Value& v, S3BackendSettings* s) { r.String("profile", v, "\"<AWS profile name>\"", &s->profile); }},
      {"lock_table",
       [](SettingsReader& r, const Value& v, S3BackendSettings* s) {
         r.String("lock_table", v, "\"<DynamoDB table with a LockID string hash key>\"", &s->lock_table);
       }},
      {"lock",
       [](SettingsReader& r, const Value& v, S3BackendSettings* s) {
         std::string kind;
         if (!r.String("lock", v, "\"s3\" or \"dynamodb\"", &kind)) return;
         if (kind == "s3") {
           s->lock = LockKind::kS3Object;
         } else if (kind == "dynamodb") {
           s->lock = LockKind::kDynamoDb;
         } else {
           r.Problem("lock", "is \"" + kind + "\"", "lock = \"s3\" (a lock object beside the state) or \"dynamodb\" (with lock_table)");
         }
       }},
      {"workspace_key_prefix",
       [](SettingsReader& r, const Value& v, S3BackendSettings* s) {
         if (!r.String("workspace_key_prefix", v, "\"env:\"", &s->workspace_key_prefix)) return;
         if (!IsValidKeyPath(s->workspace_key_prefix))
           r.Problem("workspace_key_prefix", "is not a usable key prefix: \"" + s->workspace_key_prefix + "\"",
                     "a prefix such as \"env:\", not starting or ending with '/' and without \"//\"");
       }},
      {"encrypt", [](SettingsReader& r, const Value& v, S3BackendSettings* s) { r.Bool("encrypt", v, &s->encrypt); }},
      {"kms_key_id", [](SettingsReader& r, const Value& v, S3BackendSettings* s) { r.String("kms_key_id", v, "\"<KMS key ARN or ID>\"", &s->kms_key_id); }},
      {"endpoints", [](SettingsReader& r, const Value& v, S3BackendSettings* s) { ReadEndpoints(r, v, s); }},
  };
  return handlers;
}

// Checks the settings that only make sense together.
void CheckCombination(SettingsReader& reader, const Value& block, S3BackendSettings* settings) {
  for (const char* required : {"bucket", "key"}) {
    if (block.Find(required) == nullptr)
      reader.Problem(required, "is missing",
                     std::string(required) + (std::string_view(required) == "bucket" ? " = \"<S3 bucket>\"" : " = \"<state object key>\""));
  }
  const Value* lock = block.Find("lock");
  bool s3_lock = lock != nullptr && lock->is_string() && lock->AsString() == "s3";
  if (s3_lock && block.Find("lock_table") != nullptr) {
    reader.Problem("lock_table", "cannot be combined with lock = \"s3\"",
                   "either lock_table = \"<DynamoDB table>\" or lock = \"s3\", not both");
  } else if (!s3_lock && block.Find("lock_table") == nullptr) {
    reader.Problem("lock_table", "is missing: the state needs a lock",
                   "lock_table = \"<DynamoDB table>\" (a DynamoDB lock) or lock = \"s3\" (a lock object beside the state)");
  }
  if (block.Find("kms_key_id") != nullptr) {
    const Value* encrypt = block.Find("encrypt");
    if (encrypt != nullptr && encrypt->is_bool() && !encrypt->AsBool())
      reader.Problem("kms_key_id", "is set while encrypt = false", "encrypt = true (or no encrypt) with kms_key_id");
    settings->encrypt = true;
  }
}

}  // namespace

Diagnostics ParseS3BackendSettings(const Value& block, S3BackendSettings* out) {
  Diagnostics diags;
  SettingsReader reader(&diags);
  if (!block.is_map()) {
    diags.Error("[backend.s3] must be a table, found " + std::string(block.kind_name()),
                "expected [backend.s3] with bucket, key and lock_table (or lock = \"s3\")");
    return diags;
  }
  S3BackendSettings settings;
  for (const auto& [name, value] : block.AsMap()) {
    auto handler = SettingHandlers().find(name);
    if (handler == SettingHandlers().end()) {
      diags.Error("[backend.s3]: unknown setting \"" + name + "\"", std::string("the s3 backend takes: ") + kKnownSettings);
      continue;
    }
    handler->second(reader, value, &settings);
  }
  CheckCombination(reader, block, &settings);
  if (!diags.HasErrors()) *out = std::move(settings);
  return diags;
}

}  // namespace reconcile::s3
