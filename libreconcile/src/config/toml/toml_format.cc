#include "config/toml/toml_format.h"

#include <algorithm>
#include <vector>

#include "config/toml/toml_tree.h"
#include "reconcile/format.h"

namespace reconcile::config {

namespace {

constexpr std::size_t kWidth = 100;  // single-line arrays longer than this are wrapped

// What a scan carries from one line to the next: an open multi-line string
// (its quote character) and the depth of open arrays and inline tables.
struct ScanState {
  char multiline = 0;
  int depth = 0;
  bool open() const { return multiline != 0 || depth > 0; }
};

bool Triple(std::string_view s, std::size_t i, char q) {
  return i + 2 < s.size() && s[i] == q && s[i + 1] == q && s[i + 2] == q;
}

// Scans `line` from `state`; returns where a comment starts (npos: none).
std::size_t Scan(std::string_view line, ScanState& state) {
  std::size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (state.multiline != 0) {
      if (state.multiline == '"' && c == '\\') {
        i += 2;
      } else if (Triple(line, i, state.multiline)) {
        i += 3;
        while (i < line.size() && line[i] == state.multiline) ++i;  // """"" ends with quotes
        state.multiline = 0;
      } else {
        ++i;
      }
      continue;
    }
    if (c == '#') return i;
    if (c == '"' || c == '\'') {
      if (Triple(line, i, c)) {
        state.multiline = c;
        i += 3;
        continue;
      }
      ++i;
      while (i < line.size() && line[i] != c) i += (c == '"' && line[i] == '\\') ? 2 : 1;
      ++i;
      continue;
    }
    if (c == '[' || c == '{') ++state.depth;
    if (c == ']' || c == '}') --state.depth;
    ++i;
  }
  return std::string_view::npos;
}

std::string_view Trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::string_view RightTrim(std::string_view s) {
  std::size_t e = s.find_last_not_of(" \t\r");
  return e == std::string_view::npos ? std::string_view() : s.substr(0, e + 1);
}

// The length of the string literal starting at s[i] (one of " ' """ ''').
std::size_t StringLength(std::string_view s, std::size_t i) {
  char q = s[i];
  if (Triple(s, i, q)) {
    std::size_t j = i + 3;
    while (j < s.size() && !Triple(s, j, q)) j += (q == '"' && s[j] == '\\') ? 2 : 1;
    j = std::min(s.size(), j + 3);
    while (j < s.size() && s[j] == q) ++j;
    return j - i;
  }
  std::size_t j = i + 1;
  while (j < s.size() && s[j] != q) j += (q == '"' && s[j] == '\\') ? 2 : 1;
  return std::min(s.size(), j + 1) - i;
}

bool IsWordChar(char c) {
  return c != ' ' && c != '\t' && c != ',' && c != '=' && c != '[' && c != ']' && c != '{' &&
         c != '}';
}

// One complete single-line value with canonical spacing: `[a, b]`,
// `{ k = v, l = w }`, `{}`, strings untouched, no trailing comma.
std::string FormatValue(std::string_view v) {
  std::string out;
  bool pending_space = false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == ' ' || c == '\t') {
      pending_space = true;
      continue;
    }
    bool space = pending_space;
    pending_space = false;
    if (c == '"' || c == '\'') {
      std::size_t n = StringLength(v, i);
      if (space && !out.empty() && IsWordChar(out.back())) out += ' ';
      out.append(v.substr(i, n));
      i += n - 1;
      continue;
    }
    switch (c) {
      case ',': {
        std::size_t next = v.find_first_not_of(" \t", i + 1);
        if (next != std::string_view::npos && v[next] == ']') break;  // trailing comma
        out += ", ";
        break;
      }
      case '=':
        out += " = ";
        break;
      case '{': {
        std::size_t next = v.find_first_not_of(" \t", i + 1);
        out += (next != std::string_view::npos && v[next] == '}') ? "{" : "{ ";
        break;
      }
      case '}':
        if (!out.empty() && out.back() != '{') out += ' ';
        out += '}';
        break;
      case '[':
      case ']':
        out += c;
        break;
      default:
        if (space && !out.empty() && IsWordChar(out.back())) out += ' ';
        out += c;
    }
  }
  // ", " and " = " add spaces that a following space or bracket doubles.
  std::string clean;
  for (std::size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (c == '"' || c == '\'') {  // strings are copied as they are
      std::size_t n = StringLength(out, i);
      clean.append(out, i, n);
      i += n - 1;
      continue;
    }
    if (c == ' ' && !clean.empty() && (clean.back() == ' ' || clean.back() == '[')) continue;
    if ((c == ']' || c == ',') && !clean.empty() && clean.back() == ' ') clean.pop_back();
    clean += c;
  }
  return clean;
}

// The top-level elements of a formatted single-line array `[a, b]`.
std::vector<std::string> ArrayElements(std::string_view array) {
  std::vector<std::string> out;
  std::string_view inside = array.substr(1, array.size() - 2);
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < inside.size(); ++i) {
    char c = inside[i];
    if (c == '"' || c == '\'') {
      i += StringLength(inside, i) - 1;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      out.emplace_back(Trim(inside.substr(start, i - start)));
      start = i + 1;
    }
  }
  std::string_view last = Trim(inside.substr(start));
  if (!last.empty()) out.emplace_back(last);
  return out;
}

// One line of output, or a key = value to align with its neighbours.
struct Item {
  enum class Kind { kBlank, kComment, kHeader, kKeyValue, kVerbatim } kind;
  std::string text;        // all but kKeyValue: the line; kKeyValue: the value (may hold newlines)
  std::string key;         // kKeyValue
  std::string comment;     // kKeyValue: "# ..." or empty
  bool multiline = false;  // kKeyValue whose value spans lines: ends an alignment group
};

std::string FormatHeader(std::string_view line) {
  bool array = line.substr(0, 2) == "[[";
  std::size_t open = array ? 2 : 1;
  std::size_t close = line.rfind(array ? "]]" : "]");
  std::string_view name = line.substr(open, close - open);
  std::string out = array ? "[[" : "[";
  std::size_t start = 0;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i < name.size() && (name[i] == '"' || name[i] == '\'')) {
      i += StringLength(name, i) - 1;
      continue;
    }
    if (i == name.size() || name[i] == '.') {
      if (start != 0) out += '.';
      out.append(Trim(name.substr(start, i - start)));
      start = i + 1;
    }
  }
  out += array ? "]]" : "]";
  return out;
}

// Where the `=` of a key/value line is (outside quoted keys); npos when none.
std::size_t EqualsOf(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"' || line[i] == '\'') {
      i += StringLength(line, i) - 1;
    } else if (line[i] == '=') {
      return i;
    }
  }
  return std::string_view::npos;
}

std::vector<Item> Parse(std::string_view text) {
  std::vector<Item> items;
  ScanState state;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (state.open()) {  // inside a multi-line string or array: kept as written
      Scan(line, state);
      std::string& into = items.back().text;
      into += '\n';
      into.append(state.multiline != 0 ? line : RightTrim(line));
      continue;
    }
    std::string_view trimmed = Trim(line);
    ScanState before = state;
    std::size_t comment = Scan(line, state);
    if (trimmed.empty()) {
      items.push_back({Item::Kind::kBlank, "", "", "", false});
    } else if (trimmed[0] == '#') {
      items.push_back({Item::Kind::kComment, std::string(trimmed), "", "", false});
    } else if (trimmed[0] == '[' && !state.open()) {
      std::string_view head =
          RightTrim(line.substr(0, comment == std::string_view::npos ? line.size() : comment));
      std::string out = FormatHeader(Trim(head));
      if (comment != std::string_view::npos)
        out += "  " + std::string(RightTrim(line.substr(comment)));
      items.push_back({Item::Kind::kHeader, out, "", "", false});
    } else if (std::size_t eq = EqualsOf(line); eq != std::string_view::npos && before.depth == 0) {
      Item item{Item::Kind::kKeyValue, "", std::string(Trim(line.substr(0, eq))), "", state.open()};
      std::string_view rest = line.substr(eq + 1);
      if (state.open()) {
        // The start of a multi-line value, as written (spaces ending a string's line are its text).
        std::size_t b = rest.find_first_not_of(" \t");
        item.text = std::string(state.multiline != 0 ? rest.substr(b) : RightTrim(rest.substr(b)));
      } else {
        std::size_t c =
            comment == std::string_view::npos ? std::string_view::npos : comment - eq - 1;
        item.text = FormatValue(Trim(rest.substr(0, c)));
        if (c != std::string_view::npos) item.comment = std::string(RightTrim(rest.substr(c)));
      }
      items.push_back(std::move(item));
    } else {
      items.push_back({Item::Kind::kVerbatim, std::string(RightTrim(line)), "", "", state.open()});
    }
  }
  return items;
}

// Wraps a long single-line array value one element per line.
void Wrap(Item& item) {
  if (item.multiline || !item.comment.empty() || item.text.size() < 2 || item.text.front() != '[')
    return;
  if (item.key.size() + 3 + item.text.size() <= kWidth) return;
  std::vector<std::string> elements = ArrayElements(item.text);
  if (elements.size() < 2) return;
  std::string out = "[";
  for (const std::string& e : elements) out += "\n  " + e + ",";
  out += "\n]";
  item.text = out;
  item.multiline = true;
}

std::string Emit(std::vector<Item>& items) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < items.size();) {
    Item& item = items[i];
    if (item.kind == Item::Kind::kKeyValue) {
      // A group: consecutive key/value lines, ended by one that spans lines.
      std::size_t end = i;
      std::size_t width = 0;
      while (end < items.size() && items[end].kind == Item::Kind::kKeyValue) {
        Wrap(items[end]);
        width = std::max(width, items[end].key.size());
        if (items[end++].multiline) break;
      }
      for (; i < end; ++i) {
        const Item& kv = items[i];
        std::string line = kv.key + std::string(width - kv.key.size(), ' ') + " = " + kv.text;
        if (!kv.comment.empty()) line += " " + kv.comment;
        lines.push_back(line);
      }
      continue;
    }
    if (item.kind == Item::Kind::kBlank) {
      if (!lines.empty() && !lines.back().empty()) lines.emplace_back();
    } else if (item.kind == Item::Kind::kHeader) {
      // One blank line before the header, or before the comments right above it.
      std::size_t at = lines.size();
      while (at > 0 && !lines[at - 1].empty() && lines[at - 1][0] == '#') --at;
      if (at > 0 && !lines[at - 1].empty()) lines.insert(lines.begin() + static_cast<long>(at), "");
      lines.push_back(item.text);
    } else {
      lines.push_back(item.text);
    }
    ++i;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

}  // namespace

std::string FormatTomlText(std::string_view text) {
  std::vector<Item> items = Parse(text);
  return Emit(items);
}

Diagnostics FormatTomlFile(std::string_view text, const std::string& display_name,
                           std::string* out) {
  Diagnostics diags;
  TomlDocument original;
  if (!ParseTomlDocument(std::string(text), display_name, &original, diags)) return diags;
  std::string formatted = FormatTomlText(text);
  TomlDocument reread;
  Diagnostics reread_diags;
  if (!ParseTomlDocument(formatted, display_name, &reread, reread_diags) ||
      !(TomlToValue(original.root) == TomlToValue(reread.root))) {
    diags.Error("Cannot format " + display_name + " safely",
                "The canonical layout would read differently from the file, so the file is left as "
                "it is. This is a bug in `reconcile fmt`; please report it with the file.");
    return diags;
  }
  *out = std::move(formatted);
  return diags;
}

}  // namespace reconcile::config

namespace reconcile {

Diagnostics FormatStackFile(std::string_view text, const std::string& display_name,
                            std::string* out) {
  return config::FormatTomlFile(text, display_name, out);
}

}  // namespace reconcile
