// Encoding functions: jsonencode, jsondecode, yamlencode, base64encode,
// base64decode, urlencode, and the digests md5, sha1, sha256, sha512,
// base64sha256, base64sha512.
#include "config/expr/functions_encoding.h"

#include <openssl/evp.h>

#include <cctype>

#include "config/expr/conversion.h"
#include "config/expr/functions.h"
#include "config/expr/yaml_encode.h"
#include "core/utf8.h"

namespace reconcile::config {
namespace {

// Deeper JSON is refused: decoding and freeing it would recurse that deep.
constexpr int kMaxJsonNesting = 64;

int JsonNesting(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Value JsonEncode(const std::vector<Value>& args, CallContext&) {
  return Value::String(ToJson(args[0]));
}

Value JsonDecode(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  if (!call.GetString(args, 0, &text)) return Value();
  if (JsonNesting(text) > kMaxJsonNesting) {
    call.ArgumentError(0, "JSON nested deeper than " + std::to_string(kMaxJsonNesting) +
                              " levels is not accepted");
    return Value();
  }
  std::string error;
  Value decoded = FromJson(text, &error);
  if (!error.empty()) {
    std::size_t tag_end = error.find("] ");
    if (error.rfind("[json.exception", 0) == 0 && tag_end != std::string::npos)
      error.erase(0, tag_end + 2);
    call.ArgumentError(0, "invalid JSON: " + error);
    return Value();
  }
  return decoded;
}

std::string Base64(const unsigned char* bytes, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes,
                               static_cast<int>(size));
  out.resize(static_cast<std::size_t>(length));
  return out;
}

Value Base64Encode(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  if (!call.GetString(args, 0, &text)) return Value();
  return Value::String(Base64(reinterpret_cast<const unsigned char*>(text.data()), text.size()));
}

bool IsBase64Character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '+' || c == '/';
}

// Strict standard base64: full quartets, padding only at the end.
bool IsBase64(const std::string& text, std::size_t* padding) {
  if (text.size() % 4 != 0) return false;
  *padding = 0;
  while (*padding < 2 && *padding < text.size() && text[text.size() - 1 - *padding] == '=')
    ++*padding;
  for (std::size_t i = 0; i + *padding < text.size(); ++i)
    if (!IsBase64Character(text[i])) return false;
  return true;
}

Value Base64Decode(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  if (!call.GetString(args, 0, &text)) return Value();
  std::size_t padding = 0;
  if (!IsBase64(text, &padding)) {
    call.ArgumentError(0, "the string is not valid base64");
    return Value();
  }
  std::string out(text.size() / 4 * 3 + 1, '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                               reinterpret_cast<const unsigned char*>(text.data()),
                               static_cast<int>(text.size()));
  if (length < 0) {
    call.ArgumentError(0, "the string is not valid base64");
    return Value();
  }
  out.resize(static_cast<std::size_t>(length) - padding);
  if (!IsValidUtf8(out)) {
    call.ArgumentError(0, "the decoded bytes are not valid UTF-8 text");
    return Value();
  }
  return Value::String(std::move(out));
}

// The digest of argument 0 with `md`, as lowercase hex or as base64.
Value Digest(const std::vector<Value>& args, CallContext& call, const EVP_MD* md, bool base64) {
  std::string text;
  if (!call.GetString(args, 0, &text)) return Value();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, md, nullptr) != 1) {
    call.Error("the digest could not be computed");
    return Value();
  }
  if (base64) return Value::String(Base64(digest, length));
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return Value::String(std::move(hex));
}

Value Md5(const std::vector<Value>& args, CallContext& call) {
  return Digest(args, call, EVP_md5(), false);
}
Value Sha1(const std::vector<Value>& args, CallContext& call) {
  return Digest(args, call, EVP_sha1(), false);
}
Value Sha256(const std::vector<Value>& args, CallContext& call) {
  return Digest(args, call, EVP_sha256(), false);
}
Value Sha512(const std::vector<Value>& args, CallContext& call) {
  return Digest(args, call, EVP_sha512(), false);
}
Value Base64Sha256(const std::vector<Value>& args, CallContext& call) {
  return Digest(args, call, EVP_sha256(), true);
}
Value Base64Sha512(const std::vector<Value>& args, CallContext& call) {
  return Digest(args, call, EVP_sha512(), true);
}

// As Go's url.QueryEscape: letters, digits and -_.~ stay, a space becomes
// "+", every other byte %XX.
Value UrlEncode(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  if (!call.GetString(args, 0, &text)) return Value();
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return Value::String(std::move(out));
}

Value YamlEncodeFunction(const std::vector<Value>& args, CallContext&) {
  return Value::String(YamlEncode(args[0]));
}

}  // namespace

std::vector<Function> EncodingFunctions() {
  return {
      {"jsonencode", "jsonencode(value)", 1, 1, false, false, JsonEncode},
      {"jsondecode", "jsondecode(string)", 1, 1, false, false, JsonDecode},
      {"base64encode", "base64encode(string)", 1, 1, false, false, Base64Encode},
      {"base64decode", "base64decode(string)", 1, 1, false, false, Base64Decode},
      {"yamlencode", "yamlencode(value)", 1, 1, false, false, YamlEncodeFunction},
      {"urlencode", "urlencode(string)", 1, 1, false, false, UrlEncode},
      {"md5", "md5(string)", 1, 1, false, false, Md5},
      {"sha1", "sha1(string)", 1, 1, false, false, Sha1},
      {"sha256", "sha256(string)", 1, 1, false, false, Sha256},
      {"sha512", "sha512(string)", 1, 1, false, false, Sha512},
      {"base64sha256", "base64sha256(string)", 1, 1, false, false, Base64Sha256},
      {"base64sha512", "base64sha512(string)", 1, 1, false, false, Base64Sha512},
  };
}

}  // namespace reconcile::config
