#include "config/toml/toml_guard.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "config/toml/text_origin.h"
#include "config/toml/toml_tree.h"
#include "core/utf8.h"

namespace reconcile::config {
namespace {

constexpr std::size_t kMaxFileBytes = 16 * 1024 * 1024;

// Line and column (from 1) of a byte offset.
SourceRange RangeAtOffset(std::string_view text, std::size_t offset, const std::string& file) {
  return AdvanceOver(SourceRange{file, 1, 1}, text, offset);
}

// Skips a TOML string starting at text[i] (a quote); returns the index after
// it (a one-line string also ends at the end of its line).
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
    if (c == quote && !multi_line) return i + 1;
    if (c == quote && text.substr(i, 3) == std::string(3, quote)) {
      // The string may end with one or two quotes before its closing three.
      std::size_t run = 3;
      while (run < 5 && i + run < text.size() && text[i + run] == quote) ++run;
      return i + run;
    }
    ++i;
  }
  return std::min(i, text.size());
}

struct ShapeProblem {
  std::size_t offset = 0;
  std::string summary;
  std::string detail;
};

// toml11 parses nested arrays and inline tables recursively, and copies and
// frees its trees recursively, dotted-key levels included: the first place
// where the text nests deeper than kMaxTomlNesting, or a key has more parts.
// A light scan of the structure (strings and comments skipped), not a parser:
// toml11 judges everything else.
std::optional<ShapeProblem> FindTooDeep(std::string_view text) {
  enum class Expect { kLineStart, kKey, kValue };
  const auto limit = static_cast<std::size_t>(kMaxTomlNesting);
  std::vector<char> open;  // the unclosed '[' and '{' of values
  Expect expect = Expect::kLineStart;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '\n') {
      ++i;
      if (open.empty()) expect = Expect::kLineStart;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (expect != Expect::kValue) {  // [table], [[array]] or a key before '='
      if (expect == Expect::kLineStart && c == '[')
        i += i + 1 < text.size() && text[i + 1] == '[' ? 2 : 1;
      KeyScan key = ScanKey(text, i);
      if (key.parts.size() > limit) {
        return ShapeProblem{key.parts.back(), "Key too long",
                            "A dotted key may have at most " + std::to_string(limit) + " parts."};
      }
      i = key.end;
      expect = Expect::kValue;  // what follows the key, up to the end of the line
    } else if (c == '"' || c == '\'') {
      i = SkipString(text, i);
    } else if (c == '[' || c == '{') {
      open.push_back(c);
      if (open.size() > limit) {
        return ShapeProblem{i, "Nesting too deep",
                            "Arrays and inline tables may be nested at most " +
                                std::to_string(limit) + " levels deep."};
      }
      if (c == '{') expect = Expect::kKey;
      ++i;
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
      ++i;
    } else if (c == ',' && !open.empty() && open.back() == '{') {
      expect = Expect::kKey;
      ++i;
    } else {
      ++i;
    }
  }
  return std::nullopt;
}

}  // namespace

bool IsBareKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

KeyScan ScanKey(std::string_view text, std::size_t i) {
  KeyScan key;
  key.end = i;
  while (i < text.size() && key.parts.size() <= static_cast<std::size_t>(kMaxTomlNesting)) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size()) break;
    const std::size_t part = i;
    if (text[i] == '"' || text[i] == '\'') {
      i = SkipString(text, i);
    } else if (IsBareKeyChar(text[i])) {
      while (i < text.size() && IsBareKeyChar(text[i])) ++i;
    } else {
      break;
    }
    key.parts.push_back(part);
    key.end = i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size() || text[i] != '.') break;
    ++i;
  }
  return key;
}

std::string WithoutCarriageReturns(std::string text) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    text[kept++] = text[i];
  }
  text.resize(kept);
  return text;
}

bool CheckTomlText(std::string_view text, const std::string& display_name, Diagnostics& diags) {
  if (text.size() > kMaxFileBytes) {
    diags.Error("File too large", "A stack file may hold at most 16 MiB.",
                SourceRange{display_name, 1, 1});
    return false;
  }
  // TOML is UTF-8; toml11 misreads some malformed bytes past the input.
  const std::size_t bad_byte = FirstInvalidUtf8(text);
  if (bad_byte != std::string::npos) {
    diags.Error("Invalid TOML: the file is not valid UTF-8", "Save the file as UTF-8 text.",
                RangeAtOffset(text, bad_byte, display_name));
    return false;
  }
  if (std::optional<ShapeProblem> problem = FindTooDeep(text)) {
    diags.Error(problem->summary, problem->detail,
                RangeAtOffset(text, problem->offset, display_name));
    return false;
  }
  return true;
}

}  // namespace reconcile::config
