#include "reconcile/provider_kit.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cmath>
#include <cstdlib>

namespace reconcile {

namespace {

const Value* Known(const Value& map, std::string_view key) {
  const Value* v = map.Find(key);
  return v != nullptr && !v->is_null() && !v->is_unknown() ? v : nullptr;
}

}  // namespace

bool IsSet(const Value& map, std::string_view key) { return Known(map, key) != nullptr; }

bool Has(const Value& map, std::string_view key) {
  const Value* v = map.Find(key);
  return v != nullptr && !v->is_null();
}

bool IsUnknown(const Value& map, std::string_view key) {
  const Value* v = map.Find(key);
  return v != nullptr && v->ContainsUnknown();
}

bool Changed(const Value& before, const Value& after, std::string_view key) {
  const Value* a = before.Find(key);
  const Value* b = after.Find(key);
  Value null;
  return !(a ? *a : null).Equals(b ? *b : null);
}

std::string GetString(const Value& map, std::string_view key) {
  return FindString(map, key).value_or("");
}

std::optional<std::string> FindString(const Value& map, std::string_view key) {
  const Value* v = Known(map, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return v->AsString();
  if (v->is_number()) return FormatNumber(v->AsNumber());
  if (v->is_bool()) return v->AsBool() ? "true" : "false";
  return std::nullopt;
}

bool GetBool(const Value& map, std::string_view key, bool fallback) {
  return FindBool(map, key).value_or(fallback);
}

std::optional<bool> FindBool(const Value& map, std::string_view key) {
  const Value* v = Known(map, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_bool()) return v->AsBool();
  if (v->is_string()) return v->AsString() == "true";
  return std::nullopt;
}

long long GetInt(const Value& map, std::string_view key, long long fallback) {
  return FindInt(map, key).value_or(fallback);
}

std::optional<long long> FindInt(const Value& map, std::string_view key) {
  const Value* v = Known(map, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return static_cast<long long>(std::llround(v->AsNumber()));
  if (v->is_string() && !v->AsString().empty()) return std::atoll(v->AsString().c_str());
  return std::nullopt;
}

double GetNumber(const Value& map, std::string_view key, double fallback) {
  const Value* v = Known(map, key);
  return v != nullptr && v->is_number() ? v->AsNumber() : fallback;
}

std::vector<std::string> GetStrings(const Value& map, std::string_view key) {
  std::vector<std::string> out;
  const Value* v = Known(map, key);
  if (v == nullptr || !v->is_list()) return out;
  for (const Value& item : v->AsList())
    if (item.is_string()) out.push_back(item.AsString());
  return out;
}

std::map<std::string, std::string> GetStringMap(const Value& map, std::string_view key) {
  std::map<std::string, std::string> out;
  const Value* v = Known(map, key);
  if (v == nullptr || !v->is_map()) return out;
  for (const auto& [k, item] : v->AsMap())
    if (item.is_string()) out[k] = item.AsString();
  return out;
}

std::vector<Value> GetBlocks(const Value& map, std::string_view key) {
  const Value* v = Known(map, key);
  if (v == nullptr) return {};
  if (v->is_map()) return {*v};
  if (!v->is_list()) return {};
  return v->AsList();
}

Value Str(std::string s) { return Value::String(std::move(s)); }

Value StrOrNull(std::string s) { return s.empty() ? Value() : Value::String(std::move(s)); }

Value Num(double n) { return Value::Number(n); }

Value Bool(bool b) { return Value::Bool(b); }

Value StrList(const std::vector<std::string>& items) {
  ValueList out;
  out.reserve(items.size());
  for (const std::string& s : items) out.push_back(Value::String(s));
  return Value::List(std::move(out));
}

Value NumFromText(const std::string& text) {
  if (text.empty()) return Value();
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(d)) return Value();
  return Value::Number(d);
}

Value BoolFromText(const std::string& text) {
  if (text.empty()) return Value();
  return Value::Bool(text == "true");
}

void KeepAttributes(const Value& from, Value& to, const std::vector<std::string_view>& keys) {
  for (std::string_view key : keys) {
    const Value* v = from.Find(key);
    to.Set(std::string(key), v ? *v : Value());
  }
}

namespace encoding {

std::string Base64Encode(std::string_view bytes, Base64Alphabet alphabet) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  if (alphabet == Base64Alphabet::kUrl) {
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

bool Base64Decode(std::string_view text, std::string* bytes) {
  std::string standard(text);
  for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
  std::size_t padding = 0;
  while (!standard.empty() && standard.back() == '=') {
    standard.pop_back();
    ++padding;
  }
  if (padding > 2 || standard.size() % 4 == 1) return false;
  padding = (4 - standard.size() % 4) % 4;
  standard.append(padding, '=');
  std::string out(standard.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(standard.data()),
                          static_cast<int>(standard.size()));
  if (n < 0) return false;
  out.resize(static_cast<std::size_t>(n) - padding);
  *bytes = std::move(out);
  return true;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0x0f];
  }
  return out;
}

std::string DigestOf(Digest digest, std::string_view bytes) {
  const EVP_MD* md = digest == Digest::kMd5      ? EVP_md5()
                     : digest == Digest::kSha1   ? EVP_sha1()
                     : digest == Digest::kSha256 ? EVP_sha256()
                                                 : EVP_sha512();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &size, md, nullptr);
  return std::string(reinterpret_cast<const char*>(out), size);
}

bool RandomBytes(std::size_t count, std::string* bytes) {
  bytes->assign(count, '\0');
  return count == 0 ||
         RAND_bytes(reinterpret_cast<unsigned char*>(bytes->data()), static_cast<int>(count)) == 1;
}

bool RandomBelow(std::uint32_t bound, std::uint32_t* out) {
  // Draws above the largest multiple of `bound` are rejected, so every
  // residue is equally likely.
  const std::uint64_t range = std::uint64_t{1} << 32;
  const std::uint64_t limit = range - range % bound;
  while (true) {
    std::uint32_t draw = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&draw), sizeof draw) != 1) return false;
    if (draw < limit) {
      *out = draw % bound;
      return true;
    }
  }
}

}  // namespace encoding

}  // namespace reconcile
