#include "state/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/utf8.h"

namespace reconcile::json {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

void AppendEscaped(std::string* out, unsigned char c) {
  switch (c) {
    case '"': *out += "\\\""; return;
    case '\\': *out += "\\\\"; return;
    case '\n': *out += "\\n"; return;
    case '\r': *out += "\\r"; return;
    case '\t': *out += "\\t"; return;
    case '\b': *out += "\\b"; return;
    case '\f': *out += "\\f"; return;
    default:
      *out += "\\u00";
      *out += kHex[c >> 4];
      *out += kHex[c & 0xF];
  }
}

}  // namespace

void AppendQuoted(std::string* out, std::string_view s) {
  out->push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;
    while (run < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[run]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++run;
    }
    out->append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      AppendEscaped(out, c);
      ++i;
    } else if (std::size_t length = Utf8SequenceLength(s, i)) {
      out->append(s.data() + i, length);
      i += length;
    } else {
      out->append(kReplacement);
      ++i;
    }
  }
  out->push_back('"');
}

void Writer::Newline() {
  out_->push_back('\n');
  out_->append(2 * has_items_.size(), ' ');
}

void Writer::BeforeItem() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_items_.empty()) return;
  if (has_items_.back()) out_->push_back(',');
  has_items_.back() = true;
  if (pretty_) Newline();
}

void Writer::Close(char bracket) {
  bool had_items = has_items_.back();
  has_items_.pop_back();
  if (pretty_ && had_items) Newline();
  out_->push_back(bracket);
}

void Writer::BeginObject() {
  BeforeItem();
  out_->push_back('{');
  has_items_.push_back(false);
}

void Writer::EndObject() { Close('}'); }

void Writer::BeginArray() {
  BeforeItem();
  out_->push_back('[');
  has_items_.push_back(false);
}

void Writer::EndArray() { Close(']'); }

void Writer::Key(std::string_view key) {
  BeforeItem();
  AppendQuoted(out_, key);
  out_->append(pretty_ ? ": " : ":");
  after_key_ = true;
}

void Writer::Null() {
  BeforeItem();
  out_->append("null");
}

void Writer::Bool(bool b) {
  BeforeItem();
  out_->append(b ? "true" : "false");
}

void Writer::Number(double n) {
  if (!std::isfinite(n)) return Null();
  BeforeItem();
  char buf[32];
  // Integers without a fraction; others in the shortest form that reads back exactly.
  std::to_chars_result written = n == std::floor(n) && std::fabs(n) < 9007199254740992.0
                                     ? std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(n))
                                     : std::to_chars(buf, buf + sizeof buf, n);
  out_->append(buf, written.ptr);
}

void Writer::Integer(std::int64_t n) {
  BeforeItem();
  out_->append(std::to_string(n));
}

void Writer::Unsigned(std::uint64_t n) {
  BeforeItem();
  out_->append(std::to_string(n));
}

void Writer::String(std::string_view s) {
  BeforeItem();
  AppendQuoted(out_, s);
}

void Writer::Value(const reconcile::Value& v) {
  switch (v.kind()) {
    case reconcile::Value::Kind::kNull:
    case reconcile::Value::Kind::kUnknown:
      return Null();
    case reconcile::Value::Kind::kBool:
      return Bool(v.AsBool());
    case reconcile::Value::Kind::kNumber:
      return Number(v.AsNumber());
    case reconcile::Value::Kind::kString:
      return String(v.AsString());
    case reconcile::Value::Kind::kList:
      BeginArray();
      for (const reconcile::Value& item : v.AsList()) Value(item);
      return EndArray();
    case reconcile::Value::Kind::kMap:
      BeginObject();
      for (const auto& [key, item] : v.AsMap()) {
        Key(key);
        Value(item);
      }
      return EndObject();
  }
}

void Writer::Field(std::string_view key, const std::vector<std::string>& items) {
  Key(key);
  BeginArray();
  for (const std::string& item : items) String(item);
  EndArray();
}

}  // namespace reconcile::json
