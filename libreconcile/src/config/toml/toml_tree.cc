// Stack files through toml11 3.7: the only file that includes it. Its text is
// checked first (toml_guard.h); toml11 parses and judges the TOML; its
// messages become our diagnostics (toml_error.h); its values are copied into
// TomlNodes with source positions, in source order.
#include "config/toml/toml_tree.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>
#include <unordered_map>

#include <toml.hpp>

#include "config/toml/toml_error.h"
#include "config/toml/toml_guard.h"

namespace reconcile::config {
namespace {

// toml11's arrays, with one difference: back() of an empty array is a value
// that is not a table. toml11 3.7 calls back() unchecked when a dotted key or
// a header goes through an array (`a = []` then `[a.b]`), which crashed;
// now it reports that `a` is not a table.
template <typename T, typename... Rest>
class TomlArray : public std::vector<T, Rest...> {
 public:
  using std::vector<T, Rest...>::vector;
  T& back() { return this->empty() ? EmptyArrayBack() : std::vector<T, Rest...>::back(); }
  const T& back() const {
    return this->empty() ? EmptyArrayBack() : std::vector<T, Rest...>::back();
  }

 private:
  static T& EmptyArrayBack() {
    static T none;  // toml11 only asks its type
    return none;
  }
};

// Comments are dropped; tables stay toml11's unordered maps (source order
// comes back from positions).
using TomlValue = toml::basic_value<toml::discard_comments, std::unordered_map, TomlArray>;

// Builds TomlNodes from toml11 values (moving strings out of them). Positions
// come from each value's byte offset and a table of line starts; a key's
// position from the text before its value. Tables list their entries in the
// order they were first written.
class TreeBuilder {
 public:
  TreeBuilder(const std::string& display_name, std::string_view text)
      : display_name_(display_name), text_(text) {
    line_offsets_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') line_offsets_.push_back(i + 1);
  }

  // False (with a diagnostic) for a number toml11 reads but cannot hold.
  bool BuildRoot(TomlValue& root, TomlNode* out, Diagnostics& diags) {
    diags_ = &diags;
    *out = TomlNode{};
    out->kind = TomlNode::Kind::kTable;
    BuildEntries(root.as_table(), kNoOffset, 0, *out);
    out->range = SourceRange{display_name_, 1, 1};
    out->key_range = out->range;
    return ok_;
  }

 private:
  static constexpr std::size_t kNoOffset = static_cast<std::size_t>(-1);

  // The value's byte offset in the file and its length in bytes.
  static std::size_t OffsetOf(const TomlValue& value, std::size_t* length) {
    // A value holds a region of the source, or the empty base (never ok).
    const toml::detail::region_base* base = toml::detail::get_region(value);
    if (base == nullptr || !base->is_ok()) {
      *length = 0;
      return 0;
    }
    const auto* region = static_cast<const toml::detail::region*>(base);
    *length = region->size();
    return static_cast<std::size_t>(std::distance(region->begin(), region->first()));
  }

  SourceRange RangeOf(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    auto after = std::upper_bound(line_offsets_.begin(), line_offsets_.end(), offset);
    const std::size_t line = static_cast<std::size_t>(after - line_offsets_.begin());
    const std::size_t column = offset - line_offsets_[line - 1] + 1;
    return SourceRange{display_name_, static_cast<int>(line), static_cast<int>(column)};
  }

  // Where the last part of the key before `key = value` starts, or npos.
  std::size_t KeyBefore(std::size_t value_offset) const {
    std::size_t i = std::min(value_offset, text_.size());
    auto skip_blanks = [&] {
      while (i > 0 && (text_[i - 1] == ' ' || text_[i - 1] == '\t')) --i;
    };
    skip_blanks();
    if (i == 0 || text_[i - 1] != '=') return std::string::npos;
    --i;
    skip_blanks();
    if (i == 0) return std::string::npos;
    const char last = text_[i - 1];
    if (last == '"' || last == '\'') {
      for (std::size_t j = i - 1; j-- > 0 && text_[j] != '\n';) {
        if (text_[j] != last) continue;
        std::size_t backslashes = 0;
        while (last == '"' && j >= backslashes + 1 && text_[j - backslashes - 1] == '\\')
          ++backslashes;
        if (backslashes % 2 == 0) return j;
      }
      return std::string::npos;
    }
    if (!IsBareKeyChar(last)) return std::string::npos;
    while (i > 0 && IsBareKeyChar(text_[i - 1])) --i;
    return i;
  }

  // Builds `node` from `value`. `parent_offset` and `parent_part` locate the
  // table holding it when that table came from the same dotted key (its
  // part index). Returns the offset of the first thing written in it.
  std::size_t Build(TomlValue& value, std::size_t parent_offset, int parent_part, TomlNode& node) {
    std::size_t length = 0;
    const std::size_t offset = OffsetOf(value, &length);
    std::size_t key_offset = offset;
    int part = 0;
    const char front = offset < text_.size() ? text_[offset] : '\0';
    if (value.is_table() && front != '[' && front != '{') {
      // A table a dotted key made: it starts at its part of that key.
      part = offset == parent_offset ? parent_part + 1 : 0;
      const KeyScan key = ScanKey(text_, offset);
      if (static_cast<std::size_t>(part) < key.parts.size()) key_offset = key.parts[part];
      node.source_offset = key_offset;
      node.range = RangeOf(key_offset);
      node.key_range = node.range;
    } else {
      node.source_offset = offset;
      node.range = RangeOf(offset);
      node.key_range = node.range;
      if (front != '[' || !value.is_table()) {  // a value after `key =` (not a header)
        const std::size_t key_at = KeyBefore(offset);
        SourceRange key_range = key_at == std::string::npos ? node.range : RangeOf(key_at);
        if (key_range.line == node.range.line) {  // a key and its value start on one line
          key_offset = key_at == std::string::npos ? offset : key_at;
          node.key_range = std::move(key_range);
        }
      }
    }
    std::size_t first = key_offset;
    switch (value.type()) {
      case toml::value_t::boolean:
        node.kind = TomlNode::Kind::kBool;
        node.boolean = value.as_boolean();
        break;
      case toml::value_t::integer:
        node.kind = TomlNode::Kind::kInteger;
        node.number = static_cast<double>(value.as_integer());
        CheckInteger(offset, length);
        break;
      case toml::value_t::floating:
        node.kind = TomlNode::Kind::kFloat;
        node.number = ReadFloat(value.as_floating(), offset, length);
        break;
      case toml::value_t::string:
        node.kind = TomlNode::Kind::kString;
        node.text = std::move(value.as_string().str);
        break;
      case toml::value_t::array: {
        node.kind = TomlNode::Kind::kArray;
        auto& items = value.as_array();
        node.items.resize(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
          const std::size_t item_first = Build(items[i], kNoOffset, 0, node.items[i]);
          node.items[i].key_range = node.items[i].range;
          first = std::min(first, item_first);
        }
        break;
      }
      case toml::value_t::table:
        node.kind = TomlNode::Kind::kTable;
        first = std::min(first, BuildEntries(value.as_table(), offset, part, node));
        break;
      default:  // date-times, as written
        node.kind = TomlNode::Kind::kDateTime;
        node.text = std::string(text_.substr(std::min(offset, text_.size()), length));
        break;
    }
    return first;
  }

  // Fills a table's entries in source order; returns the first entry's offset.
  std::size_t BuildEntries(TomlValue::table_type& table, std::size_t offset, int part,
                           TomlNode& node) {
    std::vector<std::pair<std::size_t, TomlEntry>> built;
    built.reserve(table.size());
    for (auto& [key, child] : table) {
      auto& [first, entry] = built.emplace_back();
      entry.key = key;
      first = Build(child, offset, part, entry.node);
    }
    std::sort(built.begin(), built.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    node.entries.reserve(built.size());
    for (auto& [first, entry] : built) node.entries.push_back(std::move(entry));
    return built.empty() ? kNoOffset : built.front().first;
  }

  // toml11 reads an integer past 64 bits as the largest one; TOML 1.0 says
  // such a number is an error.
  void CheckInteger(std::size_t offset, std::size_t length) {
    std::string digits;
    for (char c : text_.substr(offset, length))
      if (c != '_' && c != '+') digits += c;
    int base = 10;
    std::size_t skip = 0;
    if (digits.size() > 2 && digits[0] == '0' &&
        std::isalpha(static_cast<unsigned char>(digits[1]))) {
      base = digits[1] == 'x' ? 16 : digits[1] == 'o' ? 8 : 2;
      skip = 2;
    }
    std::int64_t parsed = 0;
    auto [end, error] =
        std::from_chars(digits.data() + skip, digits.data() + digits.size(), parsed, base);
    (void)end;
    if (error == std::errc::result_out_of_range) {
      Fail(offset,
           "Invalid TOML: Integer " + std::string(text_.substr(offset, length)) +
               " does not fit in 64 bits",
           "TOML integers range from -9223372036854775808 to 9223372036854775807.");
    }
  }

  // toml11 reads a float past a double's range as the largest double: that
  // is an error; one too small for a double reads as (signed) zero.
  double ReadFloat(double toml11_value, std::size_t offset, std::size_t length) {
    if (std::isnan(toml11_value) || std::isinf(toml11_value)) return toml11_value;
    std::string digits;
    for (char c : text_.substr(offset, length))
      if (c != '_' && c != '+') digits += c;
    double parsed = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
    (void)end;
    if (error != std::errc::result_out_of_range) return toml11_value;
    const std::size_t exponent = digits.find_first_of("eE");
    const bool tiny = exponent != std::string::npos && exponent + 1 < digits.size() &&
                      digits[exponent + 1] == '-';
    if (tiny) return digits[0] == '-' ? -0.0 : 0.0;
    Fail(offset,
         "Invalid TOML: Float " + std::string(text_.substr(offset, length)) +
             " is too large for a double",
         "The largest float is about 1.8e308.");
    return toml11_value;
  }

  void Fail(std::size_t offset, std::string summary, std::string detail) {
    if (!ok_) return;
    ok_ = false;
    diags_->Error(std::move(summary), std::move(detail), RangeOf(offset));
  }

  const std::string& display_name_;
  std::string_view text_;
  std::vector<std::size_t> line_offsets_;
  Diagnostics* diags_ = nullptr;
  bool ok_ = true;
};

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
  if (!CheckTomlText(text, display_name, diags)) return false;
  // TOML lets a parser read CRLF as LF; toml11 keeps CR in multi-line
  // strings. Dropping the CR of each CRLF moves no token's line or column.
  if (text.find('\r') != std::string::npos) text = WithoutCarriageReturns(std::move(text));
  auto shared = std::make_shared<const std::string>(std::move(text));
  out->text = shared;
  try {
    TomlValue root;
    {
      // The name toml11 copies into every region it makes: empty is cheapest
      // (our diagnostics name the file themselves).
      std::istringstream stream(*shared);
      root = toml::parse<toml::discard_comments, std::unordered_map, TomlArray>(stream, "");
    }
    return TreeBuilder(display_name, *shared).BuildRoot(root, &out->root, diags);
  } catch (const std::exception& e) {
    ReportToml11Error(e.what(), display_name, diags);
  }
  return false;
}

TextOrigin OriginOf(const TomlDocument& doc, const TomlNode& node) {
  if (!doc.text || node.kind != TomlNode::Kind::kString || node.source_offset >= doc.text->size()) {
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
