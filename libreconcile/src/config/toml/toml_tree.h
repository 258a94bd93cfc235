// A parsed TOML file as plain data with source locations: tables keep their
// keys in source order and every value knows where it (and its key) was
// written. toml11 reads the file; this header is the only way to it, and
// nothing outside toml_tree.cc sees toml11's types.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/toml/text_origin.h"
#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::config {

struct TomlEntry;

struct TomlNode {
  enum class Kind : unsigned char { kString, kInteger, kFloat, kBool, kDateTime, kArray, kTable };
  Kind kind = Kind::kTable;
  std::string text;   // a string's contents, or a date-time as written
  double number = 0;  // integers and floats
  bool boolean = false;
  std::vector<TomlNode> items;     // arrays
  std::vector<TomlEntry> entries;  // tables, in source order
  SourceRange range;               // where the value starts (a table: its header or first key)
  SourceRange key_range;           // where its key is written (array items: == range)
  std::size_t source_offset = 0;   // byte offset of the value in the file

  bool is_table() const { return kind == Kind::kTable; }
  bool is_array() const { return kind == Kind::kArray; }
  bool is_string() const { return kind == Kind::kString; }
  // A table's entry; nullptr when absent or not a table.
  const TomlNode* Find(std::string_view key) const;
  // "string", "integer", "table", ... for messages.
  std::string_view KindName() const;
};

// A table's key and value (binds as `const auto& [key, node]`).
struct TomlEntry {
  std::string key;
  TomlNode node;
};

struct TomlDocument {
  std::string display_name;                 // the file name diagnostics use
  std::shared_ptr<const std::string> text;  // the file's bytes
  TomlNode root;
};

// The deepest nesting of arrays and inline tables, and the most parts of a
// dotted key, a file may have; deeper input is refused before it reaches
// toml11 (which parses, copies and frees nested values recursively).
inline constexpr int kMaxTomlNesting = 48;

// Parses TOML text (at most 16 MiB of UTF-8). The first syntax error becomes
// one diagnostic with toml11's message at file:line:col of `display_name`;
// returns false on error.
bool ParseTomlDocument(std::string text, const std::string& display_name, TomlDocument* out,
                       Diagnostics& diags);

// Where the characters of a string node come from, for expression positions.
TextOrigin OriginOf(const TomlDocument& doc, const TomlNode& node);

// The node as plain data: strings stay strings (no templates), date-times
// become their text.
Value TomlToValue(const TomlNode& node);

}  // namespace reconcile::config
