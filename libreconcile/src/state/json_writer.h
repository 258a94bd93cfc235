// A fast streaming JSON writer for big documents (state, plans): appends to a
// string without building a tree, pretty-printed with two-space indentation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/value.h"

namespace reconcile::json {

// Writes JSON text into `out`. Calls must form a well-formed document: keys only
// directly inside objects, values everywhere else.
class Writer {
 public:
  explicit Writer(std::string* out, bool pretty = true) : out_(out), pretty_(pretty) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);

  void Null();
  void Bool(bool b);
  void Number(double n);
  void Integer(std::int64_t n);
  void Unsigned(std::uint64_t n);
  void String(std::string_view s);
  // The value's content (unknown becomes null; marks are ignored).
  void Value(const reconcile::Value& v);

  // Convenience for `"key": value` members.
  void Field(std::string_view key, std::string_view s) { Key(key); String(s); }
  void Field(std::string_view key, const char* s) { Key(key); String(s); }
  void Field(std::string_view key, bool b) { Key(key); Bool(b); }
  void Field(std::string_view key, int n) { Key(key); Integer(n); }
  void Field(std::string_view key, std::uint64_t n) { Key(key); Unsigned(n); }
  void Field(std::string_view key, const reconcile::Value& v) { Key(key); Value(v); }
  void Field(std::string_view key, const std::vector<std::string>& items);

 private:
  // Separator and indentation before a value or key at the current depth.
  void BeforeItem();
  void Close(char bracket);
  void Newline();

  std::string* out_;
  bool pretty_;
  std::vector<bool> has_items_;  // per open container: whether it has an item yet
  bool after_key_ = false;
};

// Appends `s` as a quoted JSON string (invalid UTF-8 becomes U+FFFD).
void AppendQuoted(std::string* out, std::string_view s);

}  // namespace reconcile::json
