#include "config/toml_tree.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include <toml.hpp>

#include "config/conversion.h"

namespace reconcile::config {
namespace {

using TomlValue = toml::value;

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
  SourceRange range{file, 1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++range.line;
      range.column = 1;
    } else {
      ++range.column;
    }
  }
  return range;
}

// One "N | text" line of a toml11 message with the marker under it.
struct Annotation {
  int line = 0;
  int column = 0;
  std::string comment;
};

std::string TrimCopy(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Parses toml11's source excerpts: " 12 | code" followed by "    |   ^--- note".
std::vector<Annotation> ParseAnnotations(const std::vector<std::string>& lines) {
  std::vector<Annotation> out;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const std::string& code = lines[i];
    std::size_t bar = code.find(" | ");
    if (bar == std::string::npos) continue;
    std::string number = TrimCopy(std::string_view(code).substr(0, bar));
    if (number.empty() || !std::all_of(number.begin(), number.end(), ::isdigit)) continue;
    const std::string& marker = lines[i + 1];
    std::size_t marker_bar = marker.find('|');
    if (marker_bar == std::string::npos || marker_bar != bar + 1) continue;
    std::size_t start = marker.find_first_of("^~", marker_bar);
    if (start == std::string::npos) continue;
    Annotation a;
    a.line = number.size() > 9 ? 0 : std::stoi(number);
    a.column = static_cast<int>(start - (marker_bar + 2)) + 1;
    std::size_t text_at = marker.find_first_not_of("^~- ", start);
    if (text_at != std::string::npos) a.comment = TrimCopy(std::string_view(marker).substr(text_at));
    out.push_back(std::move(a));
  }
  return out;
}

// "[error] toml::parse_array: missing separator" -> "Missing separator".
std::string ReadableSummary(std::string first_line) {
  const std::string error_tag = "[error] ";
  if (first_line.rfind(error_tag, 0) == 0) first_line.erase(0, error_tag.size());
  if (first_line.rfind("toml::", 0) == 0) {
    std::size_t colon = first_line.find(": ");
    if (colon != std::string::npos) first_line.erase(0, colon + 2);
  }
  while (!first_line.empty() && (first_line.back() == '.' || first_line.back() == ' '))
    first_line.pop_back();
  // `value ("a.b") already exists` -> `Key "a.b" is defined twice`.
  for (const auto& [kind, noun] : {std::pair<std::string, std::string>{"value (", "Key "},
                                   {"table (", "Table "}}) {
    const std::string tail = ") already exists";
    if (first_line.rfind(kind, 0) == 0 && first_line.size() > kind.size() + tail.size() &&
        first_line.compare(first_line.size() - tail.size(), tail.size(), tail) == 0) {
      return "Invalid TOML: " + noun +
             first_line.substr(kind.size(), first_line.size() - kind.size() - tail.size()) +
             " is defined twice";
    }
  }
  if (!first_line.empty()) first_line[0] = static_cast<char>(std::toupper(first_line[0]));
  return "Invalid TOML: " + first_line;
}

void ReportTomlError(const std::string& what, const std::string& display_name,
                     Diagnostics& diags) {
  std::vector<std::string> lines;
  std::istringstream stream(what);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  if (lines.empty()) lines.emplace_back("the file could not be parsed");
  std::vector<Annotation> annotations = ParseAnnotations(lines);

  SourceRange range{display_name, 0, 0};
  std::string detail;
  if (!annotations.empty()) {
    const Annotation& primary = annotations.back();
    range.line = primary.line;
    range.column = primary.column;
    if (!primary.comment.empty() && primary.comment != "here") detail = primary.comment;
    for (std::size_t i = 0; i + 1 < annotations.size(); ++i) {
      if (!detail.empty()) detail += "\n";
      detail += "line " + std::to_string(annotations[i].line) + ": " + annotations[i].comment;
    }
  }
  for (const std::string& line : lines) {
    if (line.rfind("Hint: ", 0) != 0) continue;
    if (!detail.empty()) detail += "\n";
    detail += line.substr(6);
  }
  diags.Error(ReadableSummary(lines.front()), detail, range);
}

// Column (from 1) where `key` is written on `line` before the value at
// `value_column`, or `value_column` when it cannot be found.
int KeyColumn(const std::string& line, const std::string& key, int value_column) {
  std::size_t limit = value_column > 1 ? static_cast<std::size_t>(value_column - 1) : 0;
  if (key.empty() || limit > line.size()) return value_column;
  std::string_view before(line.data(), limit);
  for (const std::string& written : {key, "\"" + key + "\"", "'" + key + "'"}) {
    std::size_t at = before.rfind(written);
    if (at != std::string_view::npos) return static_cast<int>(at) + 1;
  }
  return value_column;
}

// Builds TomlNodes from toml11 values. Locations come from each value's byte
// offset and our own table of line starts: toml11's location() counts lines
// from the start of the file for every value, which is quadratic.
class TreeBuilder {
 public:
  TreeBuilder(const std::string& display_name, std::string_view text,
              const std::vector<std::size_t>& line_offsets)
      : display_name_(display_name), text_(text), line_offsets_(line_offsets) {}

  TomlNode Build(const TomlValue& value, const std::string& key) const {
    TomlNode node;
    std::size_t length = 0;
    node.source_offset = OffsetOf(value, &length);
    node.range = RangeOf(node.source_offset);
    node.key_range = node.range;
    if (!key.empty()) node.key_range.column = KeyColumn(LineOf(node.range), key, node.range.column);
    FillContent(value, node, length);
    return node;
  }

 private:
  // The value's byte offset in the file (and its length in bytes).
  std::size_t OffsetOf(const TomlValue& value, std::size_t* length) const {
    const auto* region = dynamic_cast<const toml::detail::region*>(toml::detail::get_region(value));
    if (region != nullptr && region->source()) {
      *length = region->size();
      return static_cast<std::size_t>(std::distance(region->begin(), region->first()));
    }
    const toml::source_location location = value.location();  // slow path
    *length = location.region();
    std::size_t line = location.line() > 0 ? location.line() - 1 : 0;
    if (line >= line_offsets_.size()) return 0;
    return line_offsets_[line] + (location.column() > 0 ? location.column() - 1 : 0);
  }

  SourceRange RangeOf(std::size_t offset) const {
    auto after = std::upper_bound(line_offsets_.begin(), line_offsets_.end(), offset);
    const std::size_t line = static_cast<std::size_t>(after - line_offsets_.begin());
    const std::size_t column = offset - line_offsets_[line - 1] + 1;
    return SourceRange{display_name_, static_cast<int>(line), static_cast<int>(column)};
  }

  std::string LineOf(const SourceRange& range) const {
    const std::size_t begin = line_offsets_[static_cast<std::size_t>(range.line - 1)];
    const std::size_t end = text_.find('\n', begin);
    return std::string(text_.substr(begin, end == std::string_view::npos ? end : end - begin));
  }

  void FillContent(const TomlValue& value, TomlNode& node, std::size_t length) const {
    switch (value.type()) {
      case toml::value_t::boolean:
        node.kind = TomlNode::Kind::kBool;
        node.boolean = value.as_boolean();
        break;
      case toml::value_t::integer:
        node.kind = TomlNode::Kind::kInteger;
        node.number = static_cast<double>(value.as_integer());
        break;
      case toml::value_t::floating:
        node.kind = TomlNode::Kind::kFloat;
        node.number = value.as_floating();
        break;
      case toml::value_t::string:
        node.kind = TomlNode::Kind::kString;
        node.text = value.as_string().str;
        break;
      case toml::value_t::array:
        node.kind = TomlNode::Kind::kArray;
        for (const TomlValue& item : value.as_array()) node.items.push_back(Build(item, {}));
        break;
      case toml::value_t::table:
        node.kind = TomlNode::Kind::kTable;
        for (const auto& [k, v] : value.as_table()) node.entries.push_back(TomlEntry{k, Build(v, k)});
        SortBySourcePosition(node.entries);
        break;
      default:  // date-times (and "empty", which a parsed file never holds)
        node.kind = TomlNode::Kind::kDateTime;
        node.text = std::string(text_.substr(std::min(node.source_offset, text_.size()), length));
        break;
    }
  }

  static void SortBySourcePosition(std::vector<TomlEntry>& entries) {
    std::stable_sort(entries.begin(), entries.end(), [](const TomlEntry& a, const TomlEntry& b) {
      const SourceRange& ra = a.node.key_range;
      const SourceRange& rb = b.node.key_range;
      return ra.line != rb.line ? ra.line < rb.line : ra.column < rb.column;
    });
  }

  const std::string& display_name_;
  std::string_view text_;
  const std::vector<std::size_t>& line_offsets_;
};

std::vector<std::size_t> LineOffsets(std::string_view text) {
  std::vector<std::size_t> offsets{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') offsets.push_back(i + 1);
  return offsets;
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
  // TOML is UTF-8; toml11 also misreads some malformed bytes past the input.
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
  try {
    std::istringstream stream(*shared);
    TomlValue root = toml::parse(stream, display_name);
    std::vector<std::size_t> offsets = LineOffsets(*shared);
    out->root = TreeBuilder(display_name, *shared, offsets).Build(root, {});
    out->root.range = SourceRange{display_name, 1, 1};
    return true;
  } catch (const std::exception& e) {
    ReportTomlError(e.what(), display_name, diags);
  }
  return false;
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
