#include "aws/redact.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "aws/sigv4.h"

namespace reconcile::aws {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Lowercase names of fields whose values are secrets.
constexpr std::string_view kSecretFields[] = {
    "secretaccesskey", "aws_secret_access_key", "sessiontoken", "aws_session_token",
    "token", "authtoken", "authorizationtoken", "password", "newpassword", "oldpassword",
    "masteruserpassword", "privatekey", "certificateprivatekey", "keymaterial", "secretstring",
    "secretbinary", "plaintext", "x-amz-signature", "x-amz-security-token",
};

constexpr std::string_view kSecretXmlElements[] = {
    "SecretAccessKey", "SessionToken", "Password", "PrivateKey", "SecretString", "Token",
};

void RedactJsonValue(nlohmann::json& value) {
  if (value.is_array()) {
    for (auto& item : value) RedactJsonValue(item);
    return;
  }
  if (!value.is_object()) return;
  bool secure_string = value.contains("Type") && value["Type"] == "SecureString";
  for (auto& [key, child] : value.items()) {
    if (IsSecretField(key) || (secure_string && key == "Value")) {
      child = std::string(kRedacted);
    } else {
      RedactJsonValue(child);
    }
  }
}

}  // namespace

bool IsSecretHeader(std::string_view name) {
  std::string lower = Lower(name);
  return lower == "authorization" || lower == "x-amz-security-token" ||
         lower == "x-aws-ec2-metadata-token" ||
         lower == "x-amz-server-side-encryption-customer-key" || lower == "proxy-authorization";
}

bool IsSecretField(std::string_view name) {
  if (std::size_t dot = name.rfind('.'); dot != std::string_view::npos) name = name.substr(dot + 1);
  std::string lower = Lower(name);
  if (lower.ends_with("password")) return true;
  return std::find(std::begin(kSecretFields), std::end(kSecretFields), lower) !=
         std::end(kSecretFields);
}

std::string RedactHeader(std::string_view name, std::string_view value) {
  if (!IsSecretHeader(name)) return std::string(value);
  if (Lower(name) == "authorization") {
    std::size_t signature = value.find("Signature=");
    if (signature != std::string_view::npos) {
      return std::string(value.substr(0, signature)) + "Signature=" + std::string(kRedacted);
    }
  }
  return std::string(kRedacted);
}

std::string RedactForm(std::string_view form) {
  std::string out;
  std::size_t start = 0;
  while (start <= form.size()) {
    std::size_t amp = form.find('&', start);
    if (amp == std::string_view::npos) amp = form.size();
    std::string_view pair = form.substr(start, amp - start);
    std::size_t eq = pair.find('=');
    if (!out.empty() || start > 0) out.push_back('&');
    if (eq != std::string_view::npos && IsSecretField(UriDecode(pair.substr(0, eq)))) {
      out += std::string(pair.substr(0, eq + 1)) + std::string(kRedacted);
    } else {
      out += pair;
    }
    start = amp + 1;
  }
  return out;
}

std::string RedactJson(std::string_view json) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return "(" + std::to_string(json.size()) + " bytes, not JSON, not logged)";
  RedactJsonValue(doc);
  return doc.dump();
}

std::string RedactXml(std::string_view xml) {
  std::string out(xml);
  for (std::string_view element : kSecretXmlElements) {
    std::string open = "<" + std::string(element) + ">";
    std::string close = "</" + std::string(element) + ">";
    std::size_t from = 0;
    while ((from = out.find(open, from)) != std::string::npos) {
      std::size_t content = from + open.size();
      std::size_t end = out.find(close, content);
      if (end == std::string::npos) break;
      out.replace(content, end - content, kRedacted);
      from = content + kRedacted.size() + close.size();
    }
  }
  return out;
}

std::string RedactBody(std::string_view content_type, std::string_view body) {
  std::size_t first = body.find_first_not_of(" \t\r\n");
  char lead = first == std::string_view::npos ? '\0' : body[first];
  if (lead == '\0') return {};
  if (lead == '{' || lead == '[') return RedactJson(body);
  if (lead == '<') return RedactXml(body);
  if (content_type.find("x-www-form-urlencoded") != std::string_view::npos) return RedactForm(body);
  return "(" + std::to_string(body.size()) + " bytes of " +
         (content_type.empty() ? std::string("unknown type") : std::string(content_type)) +
         ", not logged)";
}

}  // namespace reconcile::aws
