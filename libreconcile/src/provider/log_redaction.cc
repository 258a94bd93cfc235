#include "provider/log_redaction.h"

#include <cctype>
#include <cmath>
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>

#include "core/log.h"
#include "reconcile/provider_kit.h"

namespace reconcile::plugin {

namespace {

std::string JsonEscaped(std::string_view text) {
  std::string quoted =
      nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

std::string XmlEscaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

// RFC 3986 percent-encoding, as the AWS query protocol sends form values.
std::string PercentEncoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

// A number as a log would show it: integers without a fraction.
std::string NumberText(double n) {
  if (std::isfinite(n) && n == std::floor(n) && std::fabs(n) < 1e15)
    return std::to_string(static_cast<long long>(n));
  return nlohmann::json(n).dump();
}

void AddUnique(std::vector<std::string>& forms, std::string form) {
  for (const std::string& f : forms)
    if (f == form) return;
  forms.push_back(std::move(form));
}

void CollectLeaves(const Value& value, std::vector<std::string>* out) {
  switch (value.kind()) {
    case Value::Kind::kString:
      out->push_back(value.AsString());
      break;
    case Value::Kind::kNumber:
      out->push_back(NumberText(value.AsNumber()));
      break;
    case Value::Kind::kList:
      for (const Value& item : value.AsList()) CollectLeaves(item, out);
      break;
    case Value::Kind::kMap:
      for (const auto& [key, item] : value.AsMap()) CollectLeaves(item, out);
      break;
    default:
      break;
  }
}

void CollectEncodedLeaves(const nlohmann::json& j, std::vector<std::string>* out) {
  if (j.is_string()) {
    out->push_back(j.get<std::string>());
  } else if (j.is_number()) {
    out->push_back(j.dump());
  } else if (j.is_structured()) {
    for (const nlohmann::json& item : j) CollectEncodedLeaves(item, out);
  }
}

}  // namespace

std::vector<std::string> LogForms(std::string_view secret) {
  std::vector<std::string> forms{std::string(secret)};
  std::string json = JsonEscaped(secret);
  AddUnique(forms, json);
  AddUnique(forms, JsonEscaped(json));
  AddUnique(forms, XmlEscaped(secret));
  std::vector<std::string> base64{encoding::Base64Encode(secret)};
  // Inside a longer text's base64 the secret starts at one of three offsets
  // within a 3-byte group; the whole groups it fills encode the same way
  // wherever it sits.
  for (std::size_t skip = 0; skip < 3 && skip < secret.size(); ++skip) {
    std::size_t whole = (secret.size() - skip) / 3 * 3;
    if (whole >= 6) AddUnique(base64, encoding::Base64Encode(secret.substr(skip, whole)));
  }
  for (const std::string& b : base64) AddUnique(forms, b);
  for (std::size_t i = 0, n = forms.size(); i < n; ++i) AddUnique(forms, PercentEncoded(forms[i]));
  return forms;
}

namespace {

struct Hidden {
  std::mutex mutex;
  std::set<std::string, std::less<>> known;
  std::vector<std::string> values;
};

Hidden& TheHidden() {
  static Hidden hidden;
  return hidden;
}

}  // namespace

void HideInLog(std::string_view secret) {
  if (secret.size() < log::kMinSecretSize) return;
  {
    Hidden& hidden = TheHidden();
    std::lock_guard<std::mutex> lock(hidden.mutex);
    if (hidden.known.count(secret)) return;
    hidden.known.emplace(secret);
    hidden.values.emplace_back(secret);
  }
  for (const std::string& form : LogForms(secret)) log::AddSecret(form);
}

std::vector<std::string> HiddenValues() {
  Hidden& hidden = TheHidden();
  std::lock_guard<std::mutex> lock(hidden.mutex);
  return hidden.values;
}

void CollectSensitiveStrings(const Value& value, std::vector<std::string>* out) {
  if (value.sensitive()) {
    CollectLeaves(value, out);
    return;
  }
  if (value.is_list()) {
    for (const Value& item : value.AsList()) CollectSensitiveStrings(item, out);
  } else if (value.is_map()) {
    for (const auto& [key, item] : value.AsMap()) CollectSensitiveStrings(item, out);
  }
}

void CollectSensitiveStrings(const nlohmann::json& encoded, std::vector<std::string>* out) {
  if (encoded.is_object() && encoded.size() == 1 && encoded.contains("$sensitive")) {
    CollectEncodedLeaves(encoded["$sensitive"], out);
    return;
  }
  if (encoded.is_structured())
    for (const nlohmann::json& item : encoded) CollectSensitiveStrings(item, out);
}

}  // namespace reconcile::plugin
