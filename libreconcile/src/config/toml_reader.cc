#include "config/toml_reader.h"

#include <charconv>
#include <cstdio>
#include <cstdint>
#include <limits>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/utf8.h"

namespace reconcile::config {
namespace {

using Kind = TomlNode::Kind;

// What TOML's redefinition rules need to know about a value beyond the value
// itself. Mirrors the TomlNode tree: `children` runs parallel to a table's
// entries or an array of tables' items.
struct Shape {
  enum Flag : unsigned char {
    kHeader = 1,         // declared by a [table] header, or an [[array]] element
    kDotted = 2,         // a table created by dotted keys in section `section`
    kFrozen = 4,         // an inline table or an array value: complete as written
    kArrayOfTables = 8,  // an array made by [[header]]s
  };
  unsigned char flags = 0;
  std::uint32_t section = 0;
  std::vector<Shape> children;
  // Key -> entry index, built once a table grows past a few entries.
  std::unique_ptr<std::unordered_map<std::string, std::uint32_t>> index;
};

constexpr std::size_t kIndexFrom = 12;
// The most parts a dotted key (or header) may have: tables nest once per part,
// and trees are walked recursively.
constexpr std::size_t kMaxKeyParts = kMaxTomlNesting;
constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

// One part of a (dotted) key.
struct KeyPart {
  std::string name;
  std::size_t offset = 0;  // where it is written
};

bool IsBareKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Characters a number, boolean or date-time token is made of.
bool IsTokenChar(char c) { return IsBareKeyChar(c) || c == '+' || c == '.' || c == ':'; }

// A control character TOML forbids in strings and comments (tab is allowed).
bool IsControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

// "a.b.c" for messages, quoting parts that are not bare keys.
std::string JoinKey(const std::vector<KeyPart>& parts, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += '.';
    const std::string& name = parts[i].name;
    bool bare = !name.empty();
    for (char c : name) bare = bare && IsBareKeyChar(c);
    out += bare ? name : "'" + name + "'";
  }
  return out;
}

// "an integer", "a table", ... for messages.
std::string WithArticle(const TomlNode& node) {
  std::string_view kind = node.KindName();
  return (kind == "integer" || kind == "array" ? "an " : "a ") + std::string(kind);
}

// Checks `count` digits at text[*i] and reads them as a number.
bool ReadDigits(std::string_view text, std::size_t* i, int count, int* value) {
  *value = 0;
  for (int n = 0; n < count; ++n, ++*i) {
    if (*i >= text.size() || !IsDigit(text[*i])) return false;
    *value = *value * 10 + (text[*i] - '0');
  }
  return true;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Validates "HH:MM:SS[.frac]" at text[*i]; returns what is wrong, or "".
std::string CheckTime(std::string_view text, std::size_t* i) {
  int hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, i, 2, &hour) || *i >= text.size() || text[(*i)++] != ':' ||
      !ReadDigits(text, i, 2, &minute) || *i >= text.size() || text[(*i)++] != ':' ||
      !ReadDigits(text, i, 2, &second)) {
    return "A time is written HH:MM:SS, with an optional fraction (07:32:00.999).";
  }
  if (hour > 23) return "The hour must be 00 to 23.";
  if (minute > 59) return "The minute must be 00 to 59.";
  if (second > 59) return "The second must be 00 to 59.";
  if (*i < text.size() && text[*i] == '.') {
    ++*i;
    if (*i >= text.size() || !IsDigit(text[*i])) return "A fraction of a second needs digits.";
    while (*i < text.size() && IsDigit(text[*i])) ++*i;
  }
  return "";
}

// Validates an offset date-time, local date-time, local date or local time;
// returns what is wrong, or "".
std::string CheckDateTime(std::string_view text) {
  std::size_t i = 0;
  const bool has_date = text.size() >= 5 && text[4] == '-';
  if (has_date) {
    int year = 0, month = 0, day = 0;
    if (!ReadDigits(text, &i, 4, &year) || text[i++] != '-' || !ReadDigits(text, &i, 2, &month) ||
        i >= text.size() || text[i++] != '-' || !ReadDigits(text, &i, 2, &day)) {
      return "A date is written YYYY-MM-DD.";
    }
    if (month < 1 || month > 12) return "The month must be 01 to 12.";
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int days = kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
    if (day < 1 || day > days) return "The day must be 01 to " + std::to_string(days) + ".";
    if (i == text.size()) return "";
    if (text[i] != 'T' && text[i] != 't' && text[i] != ' ') {
      return "A date and time are joined by T: 1979-05-27T07:32:00.";
    }
    ++i;
  }
  std::string problem = CheckTime(text, &i);
  if (!problem.empty()) return problem;
  if (i == text.size()) return "";
  if (has_date && (text[i] == 'Z' || text[i] == 'z') && i + 1 == text.size()) return "";
  if (has_date && (text[i] == '+' || text[i] == '-')) {
    ++i;
    int hour = 0, minute = 0;
    if (ReadDigits(text, &i, 2, &hour) && i < text.size() && text[i++] == ':' &&
        ReadDigits(text, &i, 2, &minute) && i == text.size()) {
      return hour <= 23 && minute <= 59 ? "" : "The offset must be -23:59 to +23:59.";
    }
    return "An offset is written Z, +HH:MM or -HH:MM.";
  }
  return has_date ? "A date-time ends after its time or offset (Z, +HH:MM, -HH:MM)."
                  : "A time ends after its seconds or fraction.";
}

// Checks digits with single underscores between them at text[*i]; returns
// false when an underscore is not between two digits or there is no digit.
bool SkipDigits(std::string_view text, std::size_t* i, bool (*is_digit)(char)) {
  if (*i >= text.size() || !is_digit(text[*i])) return false;
  while (*i < text.size()) {
    if (is_digit(text[*i])) {
      ++*i;
    } else if (text[*i] == '_' && *i + 1 < text.size() && is_digit(text[*i + 1])) {
      *i += 2;
    } else {
      break;
    }
  }
  return !(*i < text.size() && text[*i] == '_');
}

bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsOctDigit(char c) { return c >= '0' && c <= '7'; }
bool IsBinDigit(char c) { return c == '0' || c == '1'; }

std::string WithoutUnderscores(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text)
    if (c != '_') out.push_back(c);
  return out;
}

// True when a float's digits (sign, mantissa, exponent) have a negative
// exponent: out of range means too small, not too large.
bool IsUnderflow(const std::string& digits) {
  const std::size_t e = digits.find_first_of("eE");
  return e != std::string::npos && e + 1 < digits.size() && digits[e + 1] == '-';
}

// Reads an integer or float token into `node`; returns what is wrong, or "".
std::string ReadNumber(std::string_view token, TomlNode& node) {
  std::size_t i = 0;
  const bool signed_number = token[0] == '+' || token[0] == '-';
  if (signed_number) ++i;
  std::string_view rest = token.substr(i);
  if (rest == "inf" || rest == "nan") {
    node.kind = Kind::kFloat;
    node.number = rest == "inf" ? std::numeric_limits<double>::infinity()
                                : std::numeric_limits<double>::quiet_NaN();
    if (token[0] == '-') node.number = -node.number;
    return "";
  }
  if (rest.size() > 1 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'o' || rest[1] == 'b')) {
    if (signed_number) return "Hexadecimal, octal and binary integers cannot have a sign.";
    const int base = rest[1] == 'x' ? 16 : rest[1] == 'o' ? 8 : 2;
    bool (*is_digit)(char) = base == 16 ? IsHexDigit : base == 8 ? IsOctDigit : IsBinDigit;
    std::size_t j = 2;
    if (!SkipDigits(rest, &j, is_digit) || j != rest.size()) {
      return "Expected base-" + std::to_string(base) +
             " digits, with single underscores only between digits.";
    }
    const std::string digits = WithoutUnderscores(rest.substr(2));
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (error != std::errc() || end != digits.data() + digits.size()) {
      return "The integer does not fit in 64 bits.";
    }
    node.kind = Kind::kInteger;
    node.number = static_cast<double>(value);
    return "";
  }
  const std::size_t int_begin = i;
  if (!SkipDigits(token, &i, IsDigit)) {
    return "Expected digits, with single underscores only between digits.";
  }
  if (token[int_begin] == '0' && i - int_begin > 1) return "Leading zeros are not allowed.";
  bool is_float = false;
  if (i < token.size() && token[i] == '.') {
    ++i;
    is_float = true;
    if (!SkipDigits(token, &i, IsDigit)) return "A decimal point must have digits on both sides.";
  }
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    is_float = true;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    if (!SkipDigits(token, &i, IsDigit)) return "An exponent needs digits: 1e6, 2.5E-3.";
  }
  if (i != token.size()) return "This is not a number, a boolean or a date-time.";
  std::string digits = WithoutUnderscores(token.substr(token[0] == '+' ? 1 : 0));
  const char* first = digits.data();
  const char* last = digits.data() + digits.size();
  if (is_float) {
    double value = 0;
    auto [end, error] = std::from_chars(first, last, value);
    if (error == std::errc::result_out_of_range && end == last && IsUnderflow(digits)) {
      value = digits[0] == '-' ? -0.0 : 0.0;  // too small for a double: zero, as TOML readers do
    } else if (error != std::errc() || end != last) {
      return "The number is out of range.";
    }
    node.kind = Kind::kFloat;
    node.number = value;
    return "";
  }
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(first, last, value);
  if (error != std::errc() || end != last) return "The integer does not fit in 64 bits.";
  node.kind = Kind::kInteger;
  node.number = static_cast<double>(value);
  return "";
}

class Reader {
 public:
  Reader(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  bool Read(TomlNode* root) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = 3;  // a UTF-8 byte order mark
    Shape root_shape;
    TomlNode* table = root;
    Shape* shape = &root_shape;
    while (true) {
      SkipBlanks();
      if (AtEnd()) return true;
      const char c = text_[pos_];
      const char* after = "the value";
      if (c == '[') {
        if (!ReadHeader(*root, root_shape, &table, &shape)) return false;
        after = "the table header";
      } else if (c != '\n' && c != '\r' && c != '#' && !ReadKeyValue(*table, *shape, section_)) {
        return false;
      }
      if (!EndOfLine(after)) return false;
    }
  }

  void Report(Diagnostics& diags) const {
    diags.Error(summary_is_toml_ ? "Invalid TOML: " + summary_ : summary_, detail_,
                RangeOfOffset(error_offset_));
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  SourceRange RangeHere(std::size_t offset) const {
    return SourceRange{file_, line_, static_cast<int>(offset - line_start_) + 1};
  }

  // Any offset (slow; for errors).
  SourceRange RangeOfOffset(std::size_t offset) const {
    return AdvanceOver(SourceRange{file_, 1, 1}, text_, offset);
  }

  bool Fail(std::size_t offset, std::string summary, std::string detail = {}) {
    error_offset_ = offset;
    summary_ = std::move(summary);
    detail_ = std::move(detail);
    return false;
  }

  // Counts a newline whose '\n' is at text_[at].
  void NewLineAt(std::size_t at) {
    ++line_;
    line_start_ = at + 1;
  }

  void SkipBlanks() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }

  // Skips a comment from its '#' to (not past) the end of the line.
  bool SkipComment() {
    for (++pos_; pos_ < text_.size() && text_[pos_] != '\n'; ++pos_) {
      const char c = text_[pos_];
      if (c == '\r' && Peek(1) == '\n') break;
      if (IsControl(c)) return FailControl(pos_, "a comment");
    }
    return true;
  }

  bool FailControl(std::size_t at, const std::string& where) {
    char code[8];
    std::snprintf(code, sizeof(code), "%04X", static_cast<unsigned char>(text_[at]));
    return Fail(at, "Control character U+" + std::string(code) + " in " + where,
                where == "a string" ? std::string("Write it as the escape \\u") + code + "."
                                    : "Remove it; lines end with LF or CR LF.");
  }

  // After a key = value or a header: blanks, maybe a comment, then a newline or the end.
  bool EndOfLine(const char* after) {
    SkipBlanks();
    if (Peek() == '#' && !SkipComment()) return false;
    if (AtEnd()) return true;
    if (text_[pos_] == '\n') {
      NewLineAt(pos_++);
      return true;
    }
    if (text_[pos_] == '\r' && Peek(1) == '\n') {
      NewLineAt(pos_ + 1);
      pos_ += 2;
      return true;
    }
    if (text_[pos_] == '\r') return FailControl(pos_, "the file");
    return Fail(pos_, std::string("Expected a new line after ") + after,
                "Each key = value and each [table] header goes on a line of its own.");
  }

  // Blanks, comments and newlines, as allowed between array items.
  bool SkipBlanksAndNewLines() {
    while (true) {
      SkipBlanks();
      const char c = Peek();
      if (c == '#') {
        if (!SkipComment()) return false;
      } else if (c == '\n') {
        NewLineAt(pos_++);
      } else if (c == '\r' && Peek(1) == '\n') {
        NewLineAt(pos_ + 1);
        pos_ += 2;
      } else {
        return true;
      }
    }
  }

  // --- keys ---------------------------------------------------------------------

  bool ReadKey(std::vector<KeyPart>* parts) {
    parts->clear();
    while (true) {
      KeyPart part;
      part.offset = pos_;
      const std::size_t part_offset = pos_;
      const char c = Peek();
      if (c == '"') {
        if (Peek(1) == '"' && Peek(2) == '"') {
          return Fail(pos_, "A key cannot be a multi-line string", "Write it as \"key\".");
        }
        if (!ReadBasicString(&part.name)) return false;
      } else if (c == '\'') {
        if (Peek(1) == '\'' && Peek(2) == '\'') {
          return Fail(pos_, "A key cannot be a multi-line string", "Write it as 'key'.");
        }
        if (!ReadLiteralString(&part.name)) return false;
      } else if (IsBareKeyChar(c)) {
        const std::size_t begin = pos_;
        while (pos_ < text_.size() && IsBareKeyChar(text_[pos_])) ++pos_;
        part.name.assign(text_.data() + begin, pos_ - begin);
      } else {
        return Fail(pos_, parts->empty() ? "Expected a key" : "Expected a key after '.'",
                    "A bare key is made of A-Z a-z 0-9 _ and -; other keys are quoted.");
      }
      parts->push_back(std::move(part));
      if (parts->size() > kMaxKeyParts) {
        summary_is_toml_ = false;
        return Fail(part_offset, "Key too long",
                    "A dotted key may have at most " + std::to_string(kMaxKeyParts) + " parts.");
      }
      SkipBlanks();
      if (Peek() != '.') return true;
      ++pos_;
      SkipBlanks();
    }
  }

  // --- tables ---------------------------------------------------------------------

  static std::size_t FindEntry(const TomlNode& table, const Shape& shape, std::string_view key) {
    if (shape.index) {
      auto found = shape.index->find(std::string(key));
      return found == shape.index->end() ? kNotFound : found->second;
    }
    for (std::size_t i = 0; i < table.entries.size(); ++i)
      if (table.entries[i].key == key) return i;
    return kNotFound;
  }

  // Appends an entry (and its shape); returns its index.
  static std::size_t AddEntry(TomlNode& table, Shape& shape, std::string key) {
    const std::size_t index = table.entries.size();
    if (shape.index) shape.index->emplace(key, static_cast<std::uint32_t>(index));
    table.entries.push_back(TomlEntry{std::move(key), TomlNode{}});
    shape.children.emplace_back();
    if (!shape.index && table.entries.size() >= kIndexFrom) {
      shape.index = std::make_unique<std::unordered_map<std::string, std::uint32_t>>();
      for (std::size_t i = 0; i < table.entries.size(); ++i)
        shape.index->emplace(table.entries[i].key, static_cast<std::uint32_t>(i));
    }
    return index;
  }

  // A table node that starts at `offset` on the current line.
  void StartTable(TomlNode& node, std::size_t offset) const {
    node.kind = Kind::kTable;
    node.range = RangeHere(offset);
    node.key_range = node.range;
    node.source_offset = offset;
  }

  bool ReadHeader(TomlNode& root, Shape& root_shape, TomlNode** table, Shape** shape) {
    const std::size_t start = pos_;
    const bool array = Peek(1) == '[';
    pos_ += array ? 2 : 1;
    SkipBlanks();
    if (!ReadKey(&key_)) return false;
    if (Peek() != ']' || (array && Peek(1) != ']')) {
      return Fail(pos_, array ? "Expected ']]' at the end of the array of tables header"
                              : "Expected ']' at the end of the table header",
                  "A header is [name] or [[name]], with dots between name parts.");
    }
    pos_ += array ? 2 : 1;
    section_ = ++sections_;

    TomlNode* node = &root;
    Shape* node_shape = &root_shape;
    const std::size_t last = key_.size() - 1;
    for (std::size_t i = 0; i < last; ++i) {
      std::size_t at = FindEntry(*node, *node_shape, key_[i].name);
      if (at == kNotFound) {
        at = AddEntry(*node, *node_shape, key_[i].name);
        StartTable(node->entries[at].node, start);
      }
      TomlNode& child = node->entries[at].node;
      Shape& child_shape = node_shape->children[at];
      if (child_shape.flags & Shape::kArrayOfTables) {
        node = &child.items.back();
        node_shape = &child_shape.children.back();
        continue;
      }
      if (child.kind != Kind::kTable || (child_shape.flags & Shape::kFrozen)) {
        return FailNotExtendable(start, child, key_, i + 1);
      }
      node = &child;
      node_shape = &child_shape;
    }

    const std::string name = JoinKey(key_, key_.size());
    std::size_t at = FindEntry(*node, *node_shape, key_[last].name);
    if (array) {
      if (at == kNotFound) {
        at = AddEntry(*node, *node_shape, key_[last].name);
        TomlNode& list = node->entries[at].node;
        StartTable(list, start);
        list.kind = Kind::kArray;
        node_shape->children[at].flags = Shape::kArrayOfTables;
      }
      TomlNode& list = node->entries[at].node;
      Shape& list_shape = node_shape->children[at];
      if (!(list_shape.flags & Shape::kArrayOfTables)) {
        if (list.kind == Kind::kArray) {
          return Fail(start, "Cannot append to the array \"" + name + "\" with [[" + name + "]]",
                      "It was written as a value at line " + std::to_string(list.range.line) +
                          "; an array of tables is written with [[" + name + "]] headers only.");
        }
        return Fail(start,
                    (list.kind == Kind::kTable ? "Table \"" : "Key \"") + name +
                        "\" is defined twice",
                    "It is " + WithArticle(list) + " at line " + std::to_string(list.range.line) +
                        ", not an array of tables.");
      }
      list.items.emplace_back();
      StartTable(list.items.back(), start);
      list_shape.children.emplace_back().flags = Shape::kHeader;
      *table = &list.items.back();
      *shape = &list_shape.children.back();
      return true;
    }
    if (at == kNotFound) {
      at = AddEntry(*node, *node_shape, key_[last].name);
      StartTable(node->entries[at].node, start);
    } else {
      const TomlNode& existing = node->entries[at].node;
      const Shape& existing_shape = node_shape->children[at];
      const std::string where = " at line " + std::to_string(existing.range.line);
      if (existing.kind != Kind::kTable) {
        return Fail(start,
                    (existing_shape.flags & Shape::kArrayOfTables ? "Table \"" : "Key \"") + name +
                        "\" is defined twice",
                    existing_shape.flags & Shape::kArrayOfTables
                        ? "It is an array of tables (" + where.substr(1) +
                              "); write [[" + name + "]] to add an element."
                        : "It is " + WithArticle(existing) + where + ".");
      }
      if (existing_shape.flags & (Shape::kHeader | Shape::kDotted | Shape::kFrozen)) {
        return Fail(start, "Table \"" + name + "\" is defined twice",
                    existing_shape.flags & Shape::kHeader ? "The first definition is" + where + "."
                    : existing_shape.flags & Shape::kDotted
                        ? "It was defined by dotted keys" + where + "."
                        : "It was written as an inline table" + where + ".");
      }
      StartTable(node->entries[at].node, start);  // it was implied by an earlier header
    }
    node_shape->children[at].flags |= Shape::kHeader;
    *table = &node->entries[at].node;
    *shape = &node_shape->children[at];
    return true;
  }

  // The first `count` parts of `key` name a value that cannot hold more keys.
  bool FailNotExtendable(std::size_t offset, const TomlNode& existing, const std::vector<KeyPart>& key,
                         std::size_t count) {
    const std::string name = JoinKey(key, count);
    const std::string line = std::to_string(existing.range.line);
    if (existing.kind == Kind::kTable) {
      return Fail(offset, "Cannot add keys to the inline table \"" + name + "\"",
                  "An inline table is complete as written (line " + line +
                      "); write it as a [" + name + "] table to add keys in other places.");
    }
    if (existing.kind == Kind::kArray) {
      return Fail(offset, "Cannot add keys to the array \"" + name + "\"",
                  "It was written as a value at line " + line + ".");
    }
    return Fail(offset, "Key \"" + name + "\" is defined twice",
                "It is " + WithArticle(existing) + " at line " + line + ", not a table.");
  }

  // --- key = value ----------------------------------------------------------------

  // Reads `key = value` into `table`; dotted keys may extend tables that dotted
  // keys of the same `section` created.
  bool ReadKeyValue(TomlNode& table, Shape& shape, std::uint32_t section) {
    if (!ReadKey(&key_)) return false;
    if (Peek() != '=') {
      return Fail(pos_, "Expected '=' after the key \"" + JoinKey(key_, key_.size()) + "\"",
                  "Write key = value.");
    }
    ++pos_;
    SkipBlanks();
    const std::size_t value_at = pos_;
    if (AtEnd() || Peek() == '\n' || Peek() == '\r' || Peek() == '#') {
      return Fail(pos_, "Missing value after key-value separator '='",
                  "expected value, but got nothing");
    }

    TomlNode* node = &table;
    Shape* node_shape = &shape;
    const std::size_t last = key_.size() - 1;
    for (std::size_t i = 0; i < last; ++i) {
      std::size_t at = FindEntry(*node, *node_shape, key_[i].name);
      if (at == kNotFound) {
        at = AddEntry(*node, *node_shape, key_[i].name);
        StartTable(node->entries[at].node, key_[i].offset);
        node_shape->children[at].flags = Shape::kDotted;
        node_shape->children[at].section = section;
      }
      TomlNode& child = node->entries[at].node;
      Shape& child_shape = node_shape->children[at];
      if (child.kind != Kind::kTable || (child_shape.flags & Shape::kFrozen)) {
        return FailNotExtendable(value_at, child, key_, i + 1);
      }
      if ((child_shape.flags & Shape::kHeader) ||
          ((child_shape.flags & Shape::kDotted) && child_shape.section != section)) {
        const std::string name = JoinKey(key_, i + 1);
        return Fail(value_at, "Cannot add keys to the table \"" + name + "\" here",
                    "It was defined at line " + std::to_string(child.range.line) +
                        (child_shape.flags & Shape::kHeader
                             ? "; write the key under its [" + name + "] header."
                             : "; dotted keys may extend it only in the table where they first "
                               "appear."));
      }
      child_shape.flags |= Shape::kDotted;
      child_shape.section = section;
      node = &child;
      node_shape = &child_shape;
    }
    if (FindEntry(*node, *node_shape, key_[last].name) != kNotFound) {
      const TomlNode* first = node->Find(key_[last].name);
      return Fail(value_at, "Key \"" + JoinKey(key_, key_.size()) + "\" is defined twice",
                  "The first definition is at line " + std::to_string(first->range.line) + ".");
    }
    const int key_column = static_cast<int>(key_[last].offset - line_start_) + 1;
    const std::size_t at = AddEntry(*node, *node_shape, std::move(key_[last].name));
    TomlNode& value = node->entries[at].node;
    if (!ReadValue(value)) return false;
    value.key_range.column = key_column;  // a key and its value start on one line
    if (value.kind == Kind::kArray || value.kind == Kind::kTable) {
      node_shape->children[at].flags = Shape::kFrozen;
    }
    return true;
  }

  // --- values ---------------------------------------------------------------------

  bool ReadValue(TomlNode& node) {
    node.range = RangeHere(pos_);
    node.key_range = node.range;
    node.source_offset = pos_;
    const char c = Peek();
    if (c == '"') {
      node.kind = Kind::kString;
      return Peek(1) == '"' && Peek(2) == '"' ? ReadMultiLineString(&node.text)
                                              : ReadBasicString(&node.text);
    }
    if (c == '\'') {
      node.kind = Kind::kString;
      return Peek(1) == '\'' && Peek(2) == '\'' ? ReadMultiLineString(&node.text)
                                                : ReadLiteralString(&node.text);
    }
    if (c == '[') return ReadArray(node);
    if (c == '{') return ReadInlineTable(node);
    if (IsTokenChar(c)) return ReadScalarToken(node);
    return Fail(pos_, "Invalid value",
                "Expected a string, number, boolean, date-time, array or inline table.");
  }

  bool ReadScalarToken(TomlNode& node) {
    const std::size_t begin = pos_;
    while (pos_ < text_.size() && IsTokenChar(text_[pos_])) ++pos_;
    // A local or offset date-time may separate date and time with a space.
    if (pos_ - begin == 10 && text_[begin + 4] == '-' && Peek() == ' ' && IsDigit(Peek(1)) &&
        IsDigit(Peek(2)) && Peek(3) == ':') {
      ++pos_;
      while (pos_ < text_.size() && IsTokenChar(text_[pos_])) ++pos_;
    }
    const std::string_view token = text_.substr(begin, pos_ - begin);
    if (token == "true" || token == "false") {
      node.kind = Kind::kBool;
      node.boolean = token == "true";
      return true;
    }
    const bool date_like = token.find(':') != std::string_view::npos ||
                           (token.size() >= 5 && IsDigit(token[0]) && IsDigit(token[1]) &&
                            IsDigit(token[2]) && IsDigit(token[3]) && token[4] == '-');
    if (date_like) {
      std::string problem = CheckDateTime(token);
      if (!problem.empty()) {
        return Fail(begin, "Invalid date-time \"" + std::string(token) + "\"", std::move(problem));
      }
      node.kind = Kind::kDateTime;
      node.text.assign(token);
      return true;
    }
    const char first = token[0];
    const bool letter = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
    if (letter && token != "inf" && token != "nan") {
      return Fail(begin, "Invalid value \"" + std::string(token) + "\"",
                  "Strings are quoted: write \"" + std::string(token) + "\".");
    }
    std::string problem = ReadNumber(token, node);
    if (!problem.empty()) {
      return Fail(begin, "Invalid number \"" + std::string(token) + "\"", std::move(problem));
    }
    return true;
  }

  bool Deeper(std::size_t at) {
    if (++depth_ <= kMaxTomlNesting) return true;
    summary_is_toml_ = false;
    return Fail(at, "Nesting too deep",
                "Arrays and inline tables may be nested at most " +
                    std::to_string(kMaxTomlNesting) + " levels deep.");
  }

  bool ReadArray(TomlNode& node) {
    const std::size_t start = pos_;
    const int start_line = line_;
    node.kind = Kind::kArray;
    if (!Deeper(pos_)) return false;
    ++pos_;
    while (true) {
      if (!SkipBlanksAndNewLines()) return false;
      if (Peek() == ']') break;
      if (AtEnd()) return FailUnclosedArray(start, start_line);
      node.items.emplace_back();
      if (!ReadValue(node.items.back())) return false;
      if (!SkipBlanksAndNewLines()) return false;
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == ']') break;
      if (AtEnd()) return FailUnclosedArray(start, start_line);
      return Fail(pos_, "Missing array separator `,` after a value",
                  "should be `,`\nline " + std::to_string(start_line) + ": array starts here");
    }
    ++pos_;
    --depth_;
    return true;
  }

  bool FailUnclosedArray(std::size_t start, int start_line) {
    return Fail(start, "Unterminated array",
                "The array that starts at line " + std::to_string(start_line) +
                    " has no closing ']'.");
  }

  bool ReadInlineTable(TomlNode& node) {
    const std::size_t start = pos_;
    node.kind = Kind::kTable;
    if (!Deeper(pos_)) return false;
    ++pos_;
    Shape shape;
    const std::uint32_t section = ++sections_;
    SkipBlanks();
    if (Peek() == '}') {
      ++pos_;
      --depth_;
      return true;
    }
    while (true) {
      if (AtEnd() || Peek() == '\n' || Peek() == '\r' || Peek() == '#') return FailInlineLines(start);
      if (!ReadKeyValue(node, shape, section)) return false;
      SkipBlanks();
      if (Peek() == '}') break;
      if (Peek() != ',') {
        if (AtEnd() || Peek() == '\n' || Peek() == '\r' || Peek() == '#') return FailInlineLines(start);
        return Fail(pos_, "Expected ',' or '}' in the inline table",
                    "An inline table is { key = value, key = value }.");
      }
      ++pos_;
      SkipBlanks();
      if (Peek() == '}') {
        return Fail(pos_ - 1, "Trailing comma in an inline table",
                    "Remove the ',' before '}': TOML does not allow one there.");
      }
    }
    ++pos_;
    --depth_;
    return true;
  }

  bool FailInlineLines(std::size_t start) {
    return Fail(pos_, "Unterminated inline table",
                "An inline table must close with '}' on the line where it starts (line " +
                    std::to_string(RangeOfOffset(start).line) +
                    "); use a [table] header for a longer table.");
  }

  // --- strings --------------------------------------------------------------------

  bool FailUnterminated(std::size_t start, bool basic) {
    return Fail(start, "Unterminated string",
                basic ? "A \"...\" string ends with \" on the same line; use \"\"\"...\"\"\" for "
                        "text over several lines."
                      : "A '...' string ends with ' on the same line; use '''...''' for text over "
                        "several lines.");
  }

  bool ReadBasicString(std::string* out) {
    const std::size_t start = pos_;
    ++pos_;
    std::size_t run = pos_;
    while (true) {
      if (AtEnd()) return FailUnterminated(start, true);
      const char c = text_[pos_];
      if (c == '"') {
        out->append(text_.data() + run, pos_ - run);
        ++pos_;
        return true;
      }
      if (c == '\\') {
        out->append(text_.data() + run, pos_ - run);
        if (!ReadEscape(out)) return false;
        run = pos_;
        continue;
      }
      if (c == '\n' || (c == '\r' && Peek(1) == '\n')) return FailUnterminated(start, true);
      if (IsControl(c)) return FailControl(pos_, "a string");
      ++pos_;
    }
  }

  bool ReadLiteralString(std::string* out) {
    const std::size_t start = pos_;
    ++pos_;
    const std::size_t run = pos_;
    while (true) {
      if (AtEnd()) return FailUnterminated(start, false);
      const char c = text_[pos_];
      if (c == '\'') {
        out->append(text_.data() + run, pos_ - run);
        ++pos_;
        return true;
      }
      if (c == '\n' || (c == '\r' && Peek(1) == '\n')) return FailUnterminated(start, false);
      if (IsControl(c)) return FailControl(pos_, "a string");
      ++pos_;
    }
  }

  // The escape at pos_ (a backslash), appended decoded.
  bool ReadEscape(std::string* out) {
    const char kind = Peek(1);
    char simple = 0;
    switch (kind) {
      case 'b': simple = '\b'; break;
      case 't': simple = '\t'; break;
      case 'n': simple = '\n'; break;
      case 'f': simple = '\f'; break;
      case 'r': simple = '\r'; break;
      case '"': simple = '"'; break;
      case '\\': simple = '\\'; break;
      default: break;
    }
    if (simple != 0) {
      out->push_back(simple);
      pos_ += 2;
      return true;
    }
    if (kind == 'u' || kind == 'U') {
      const std::size_t digits = kind == 'u' ? 4 : 8;
      std::uint32_t code = 0;
      for (std::size_t i = 0; i < digits; ++i) {
        const char h = Peek(2 + i);
        if (!IsHexDigit(h)) {
          return Fail(pos_, "Invalid Unicode escape",
                      std::string("\\") + kind + " takes exactly " + std::to_string(digits) +
                          " hexadecimal digits.");
        }
        code = code * 16 + static_cast<std::uint32_t>(IsDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
      }
      if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        return Fail(pos_, "Invalid Unicode escape",
                    "The code point must be a Unicode scalar value (not a surrogate, at most "
                    "10FFFF).");
      }
      AppendUtf8(code, out);
      pos_ += 2 + digits;
      return true;
    }
    std::string written = "\\";
    if (kind >= ' ' && kind < 0x7f) written += kind;  // ASCII only: never half a UTF-8 character
    return Fail(pos_, "Invalid escape sequence '" + written + "'",
                "The escapes are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX and \\UXXXXXXXX; write a "
                "backslash as \\\\.");
  }

  // A backslash at the end of a line in a multi-line basic string: skips it and
  // all blanks and newlines after it. False (nothing skipped) when it is not one.
  bool SkipLineEndingBackslash() {
    std::size_t ahead = pos_ + 1;
    while (ahead < text_.size() && (text_[ahead] == ' ' || text_[ahead] == '\t')) ++ahead;
    if (ahead >= text_.size()) return false;
    if (text_[ahead] != '\n' && !(text_[ahead] == '\r' && ahead + 1 < text_.size() &&
                                  text_[ahead + 1] == '\n')) {
      return false;
    }
    pos_ = ahead;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        NewLineAt(pos_);
      } else if (c == '\r' && Peek(1) == '\n') {
        // the '\n' is counted next
      } else if (c != ' ' && c != '\t') {
        break;
      }
      ++pos_;
    }
    return true;
  }

  // """...""" or '''...''': the first newline is dropped, CRLF reads as LF.
  bool ReadMultiLineString(std::string* out) {
    const std::size_t start = pos_;
    const char quote = text_[pos_];
    const bool basic = quote == '"';
    pos_ += 3;
    if (Peek() == '\n') {
      NewLineAt(pos_++);
    } else if (Peek() == '\r' && Peek(1) == '\n') {
      NewLineAt(pos_ + 1);
      pos_ += 2;
    }
    std::size_t run = pos_;
    while (true) {
      if (AtEnd()) {
        return Fail(start, "Unterminated multi-line string",
                    std::string("It has no closing ") + (basic ? "\"\"\"" : "'''") + ".");
      }
      const char c = text_[pos_];
      if (c == quote) {
        std::size_t quotes = 1;
        while (quotes < 5 && Peek(quotes) == quote) ++quotes;
        if (quotes < 3) {
          pos_ += quotes;
          continue;
        }
        out->append(text_.data() + run, pos_ + quotes - 3 - run);
        pos_ += quotes;
        return true;
      }
      if (c == '\\' && basic) {
        out->append(text_.data() + run, pos_ - run);
        if (!SkipLineEndingBackslash() && !ReadEscape(out)) return false;
        run = pos_;
        continue;
      }
      if (c == '\n') {
        NewLineAt(pos_++);
        continue;
      }
      if (c == '\r' && Peek(1) == '\n') {
        out->append(text_.data() + run, pos_ - run);
        out->push_back('\n');
        NewLineAt(pos_ + 1);
        pos_ += 2;
        run = pos_;
        continue;
      }
      if (IsControl(c)) return FailControl(pos_, "a string");
      ++pos_;
    }
  }

  std::string_view text_;
  const std::string& file_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
  std::uint32_t sections_ = 0;  // headers and inline tables seen so far
  std::uint32_t section_ = 0;   // the current header's
  int depth_ = 0;               // arrays and inline tables open
  std::vector<KeyPart> key_;    // the key being read (reused)
  bool summary_is_toml_ = true;  // the summary starts "Invalid TOML: "
  std::size_t error_offset_ = 0;
  std::string summary_;
  std::string detail_;
};

}  // namespace

bool ReadToml(std::string_view text, const std::string& display_name, TomlNode* root,
              Diagnostics& diags) {
  Reader reader(text, display_name);
  if (reader.Read(root)) return true;
  reader.Report(diags);
  return false;
}

}  // namespace reconcile::config
