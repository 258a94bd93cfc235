#include "config/toml_tree.h"

#include "config/conversion.h"
#include "config/toml_reader.h"

namespace reconcile::config {
namespace {

constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;

// Skips a TOML string starting at text[i] (a quote); returns the index after it.
std::size_t SkipString(std::string_view text, std::size_t i) {
  const char quote = text[i];
  const bool multi_line = text.substr(i, 3) == std::string(3, quote);
  i += multi_line ? 3 : 1;
  while (i < text.size()) {
    char c = text[i];
    if (quote == '"' && c == '\\') {
      i += 2;
      continue;
    }
    if (!multi_line && c == '\n') return i;
    if (c == quote && (!multi_line || text.substr(i, 3) == std::string(3, quote))) {
      return i + (multi_line ? 3 : 1);
    }
    ++i;
  }
  return i;
}

// The deepest nesting of [ and { outside strings and comments, and where it
// first goes past the limit.
int MaxNesting(std::string_view text, std::size_t* too_deep_at) {
  int depth = 0;
  int deepest = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' || c == '\'') {
      i = SkipString(text, i);
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == '[' || c == '{') {
      ++depth;
      if (depth > deepest) {
        deepest = depth;
        if (depth == kMaxTomlNesting + 1) *too_deep_at = i;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
    ++i;
  }
  return deepest;
}

// Line and column (from 1) of a byte offset.
SourceRange RangeAtOffset(std::string_view text, std::size_t offset, const std::string& file) {
  return AdvanceOver(SourceRange{file, 1, 1}, text, offset);
}

}  // namespace

const TomlNode* TomlNode::Find(std::string_view key) const {
  if (kind != Kind::kTable) return nullptr;
  for (const auto& [k, v] : entries)
    if (k == key) return &v;
  return nullptr;
}

std::string_view TomlNode::KindName() const {
  switch (kind) {
    case Kind::kString:
      return "string";
    case Kind::kInteger:
      return "integer";
    case Kind::kFloat:
      return "float";
    case Kind::kBool:
      return "boolean";
    case Kind::kDateTime:
      return "date-time";
    case Kind::kArray:
      return "array";
    case Kind::kTable:
      return "table";
  }
  return "value";
}

bool ParseTomlDocument(std::string text, const std::string& display_name, TomlDocument* out,
                       Diagnostics& diags) {
  out->display_name = display_name;
  out->root = TomlNode{};
  out->root.range = SourceRange{display_name, 1, 1};
  if (text.size() > kMaxFileBytes) {
    diags.Error("File too large", "A stack file may hold at most 16 MiB.",
                SourceRange{display_name, 1, 1});
    return false;
  }
  // TOML is UTF-8, and the reader relies on it.
  const std::size_t bad_byte = FirstInvalidUtf8(text);
  if (bad_byte != std::string::npos) {
    diags.Error("Invalid TOML: the file is not valid UTF-8",
                "Save the file as UTF-8 text.", RangeAtOffset(text, bad_byte, display_name));
    return false;
  }
  std::size_t too_deep_at = 0;
  if (MaxNesting(text, &too_deep_at) > kMaxTomlNesting) {
    diags.Error("Nesting too deep",
                "Arrays and inline tables may be nested at most " +
                    std::to_string(kMaxTomlNesting) + " levels deep.",
                RangeAtOffset(text, too_deep_at, display_name));
    return false;
  }
  auto shared = std::make_shared<const std::string>(std::move(text));
  out->text = shared;
  if (!ReadToml(*shared, display_name, &out->root, diags)) return false;
  out->root.range = SourceRange{display_name, 1, 1};
  out->root.key_range = out->root.range;
  return true;
}

TextOrigin OriginOf(const TomlDocument& doc, const TomlNode& node) {
  if (!doc.text || node.kind != TomlNode::Kind::kString ||
      node.source_offset >= doc.text->size()) {
    return TextOrigin(node.range);
  }
  char quote = (*doc.text)[node.source_offset];
  if (quote != '"' && quote != '\'') return TextOrigin(node.range);
  return TextOrigin(node.range, doc.text, node.source_offset);
}

Value TomlToValue(const TomlNode& node) {
  switch (node.kind) {
    case TomlNode::Kind::kString:
    case TomlNode::Kind::kDateTime:
      return Value::String(node.text);
    case TomlNode::Kind::kInteger:
    case TomlNode::Kind::kFloat:
      return Value::Number(node.number);
    case TomlNode::Kind::kBool:
      return Value::Bool(node.boolean);
    case TomlNode::Kind::kArray: {
      ValueList items;
      items.reserve(node.items.size());
      for (const TomlNode& item : node.items) items.push_back(TomlToValue(item));
      return Value::List(std::move(items));
    }
    case TomlNode::Kind::kTable: {
      ValueMap entries;
      for (const auto& [key, child] : node.entries) entries.emplace(key, TomlToValue(child));
      return Value::Map(std::move(entries));
    }
  }
  return Value();
}

}  // namespace reconcile::config
