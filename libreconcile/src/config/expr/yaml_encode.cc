#include "config/expr/yaml_encode.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace reconcile::config {
namespace {

constexpr int kIndent = 2;          // libyaml's best_indent
constexpr std::size_t kWidth = 80;  // libyaml's best_width

// Decodes the UTF-8 character at text[*i] (advancing *i); invalid bytes read
// as themselves.
std::uint32_t NextCodePoint(const std::string& text, std::size_t* i) {
  const auto lead = static_cast<unsigned char>(text[*i]);
  int length = lead < 0x80         ? 1
               : (lead >> 5) == 6  ? 2
               : (lead >> 4) == 14 ? 3
               : (lead >> 3) == 30 ? 4
                                   : 1;
  if (*i + static_cast<std::size_t>(length) > text.size()) length = 1;
  std::uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (int k = 1; k < length; ++k)
    code = (code << 6) | (static_cast<unsigned char>(text[*i + k]) & 0x3F);
  *i += static_cast<std::size_t>(length);
  return code;
}

// libyaml's is_printable.
bool IsPrintable(std::uint32_t c) {
  return c == 0x0A || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF) || (c >= 0x10000 && c <= 0x10FFFF);
}

bool IsBreak(std::uint32_t c) {
  return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
}

// Whether libyaml would write this multi-line string as a literal block:
// no special characters, no space before a break, no trailing space.
bool LiteralAllowed(const std::string& text) {
  std::uint32_t previous = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t c = NextCodePoint(text, &i);
    if (!IsPrintable(c) || c == 0xFEFF || (c != '\n' && IsBreak(c))) return false;
    if (IsBreak(c) && previous == ' ') return false;
    previous = c;
  }
  return text.empty() || text.back() != ' ';
}

std::string Hex(std::uint32_t c, int digits) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int d = digits - 1; d >= 0; --d, c >>= 4) out[static_cast<std::size_t>(d)] = kHex[c & 15];
  return out;
}

// libyaml's escape of a character in a double-quoted scalar.
std::string Escape(std::uint32_t c) {
  switch (c) {
    case 0x00:
      return "\\0";
    case 0x07:
      return "\\a";
    case 0x08:
      return "\\b";
    case 0x09:
      return "\\t";
    case 0x0A:
      return "\\n";
    case 0x0B:
      return "\\v";
    case 0x0C:
      return "\\f";
    case 0x0D:
      return "\\r";
    case 0x1B:
      return "\\e";
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case 0x85:
      return "\\N";
    case 0xA0:
      return "\\_";
    case 0x2028:
      return "\\L";
    case 0x2029:
      return "\\P";
    default:
      if (c <= 0xFF) return "\\x" + Hex(c, 2);
      if (c <= 0xFFFF) return "\\u" + Hex(c, 4);
      return "\\U" + Hex(c, 8);
  }
}

// Numbers as big.Float.Text('f', -1): the shortest digits that read back
// the same, never an exponent.
std::string Number(double n) {
  if (std::isinf(n)) return n > 0 ? "+Inf" : "-Inf";
  char buffer[400];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, n, std::chars_format::fixed);
  return std::string(buffer, result.ptr);
}

class YamlWriter {
 public:
  std::string Document(const Value& v) {
    if (IsBlock(v)) {
      Block(v, 0);
    } else {
      const bool plain = !v.is_string() && !IsEmptyCollection(v);
      const bool keep = Scalar(v, kIndent, /*key=*/false);
      // A plain scalar, or a literal keeping its line breaks, leaves the
      // document open-ended: libyaml closes it with "...".
      if (plain || keep) {
        Line();
        out_ += "...";
      }
    }
    if (out_.empty() || out_.back() != '\n') out_ += '\n';
    return out_;
  }

 private:
  static bool IsEmptyCollection(const Value& v) {
    return (v.is_list() && v.AsList().empty()) || (v.is_map() && v.AsMap().empty());
  }
  static bool IsBlock(const Value& v) {
    return (v.is_list() && !v.AsList().empty()) || (v.is_map() && !v.AsMap().empty());
  }

  // Ends the current line unless it is already ended.
  void Line() {
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
  }

  void NewLine(int indent) {
    Line();
    out_.append(static_cast<std::size_t>(indent), ' ');
  }

  // Characters written since the last line break.
  std::size_t Column() const {
    std::size_t start = out_.rfind('\n');
    start = start == std::string::npos ? 0 : start + 1;
    std::size_t column = 0;
    for (std::size_t i = start; i < out_.size(); ++i)
      if ((static_cast<unsigned char>(out_[i]) & 0xC0) != 0x80) ++column;
    return column;
  }

  // A non-empty list or map whose first entry starts at the cursor; the
  // others start on new lines at `indent`.
  void Block(const Value& v, int indent) {
    if (v.is_map()) {
      bool first = true;
      for (const auto& [key, value] : v.AsMap()) {
        if (!first) NewLine(indent);
        first = false;
        Quoted(key, indent + kIndent, /*allow_breaks=*/false);
        out_ += ':';
        if (value.is_map() && IsBlock(value)) {
          NewLine(indent + kIndent);
          Block(value, indent + kIndent);
        } else if (IsBlock(value)) {  // a list in a map is not indented
          NewLine(indent);
          Block(value, indent);
        } else {
          out_ += ' ';
          Scalar(value, indent + kIndent, false);
        }
      }
      return;
    }
    bool first = true;
    for (const Value& item : v.AsList()) {
      if (!first) NewLine(indent);
      first = false;
      out_ += "- ";
      if (IsBlock(item))
        Block(item, indent + kIndent);
      else
        Scalar(item, indent + kIndent, false);
    }
  }

  // A scalar or empty collection at the cursor; `indent` is where a literal
  // block's lines and a folded string's continuations start. Returns true
  // for a literal that keeps trailing line breaks.
  bool Scalar(const Value& v, int indent, bool key) {
    switch (v.kind()) {
      case Value::Kind::kNull:
        out_ += "null";
        return false;
      case Value::Kind::kBool:
        out_ += v.AsBool() ? "true" : "false";
        return false;
      case Value::Kind::kNumber:
        out_ += Number(v.AsNumber());
        return false;
      case Value::Kind::kList:
        out_ += "[]";
        return false;
      case Value::Kind::kMap:
        out_ += "{}";
        return false;
      case Value::Kind::kString:
        break;
      case Value::Kind::kUnknown:
        out_ += "null";  // not reached: yamlencode refuses unknowns
        return false;
    }
    const std::string& text = v.AsString();
    if (!key && text.find('\n') != std::string::npos && LiteralAllowed(text))
      return Literal(text, indent);
    Quoted(text, indent, !key);
    return false;
  }

  // A double-quoted scalar; where a space falls past column 80 (and breaks
  // are allowed) the line is folded there.
  void Quoted(const std::string& text, int indent, bool allow_breaks) {
    out_ += '"';
    std::size_t column = Column();
    bool spaces = false;
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t at = i;
      const std::uint32_t c = NextCodePoint(text, &i);
      if (!IsPrintable(c) || c == 0xFEFF || IsBreak(c) || c == '"' || c == '\\') {
        const std::string escaped = Escape(c);
        out_ += escaped;
        column += escaped.size();
        spaces = false;
      } else if (c == ' ') {
        if (allow_breaks && !spaces && column > kWidth && at != 0 && i != text.size()) {
          NewLine(indent);
          column = static_cast<std::size_t>(indent);
          if (i < text.size() && text[i] == ' ') {
            out_ += '\\';
            ++column;
          }
        } else {
          out_ += ' ';
          ++column;
        }
        spaces = true;
      } else {
        out_.append(text, at, i - at);
        ++column;
        spaces = false;
      }
    }
    out_ += '"';
  }

  // `|`, `|-` or `|+` (with an indentation hint when the text starts with a
  // space or a break), then the lines at `indent`.
  bool Literal(const std::string& text, int indent) {
    out_ += '|';
    if (text.front() == ' ' || text.front() == '\n') out_ += static_cast<char>('0' + kIndent);
    std::string body = text;
    bool keep = false;
    if (body.back() != '\n') {
      out_ += '-';
    } else {
      body.pop_back();  // the clipped final break ends the last line
      if (!body.empty() && body.back() == '\n') {
        out_ += '+';
        keep = true;
      } else if (body.empty()) {
        out_ += '+';
        keep = true;
      }
    }
    std::size_t start = 0;
    while (true) {
      const std::size_t end = body.find('\n', start);
      const std::string line =
          body.substr(start, end == std::string::npos ? std::string::npos : end - start);
      out_ += '\n';
      if (!line.empty()) out_.append(static_cast<std::size_t>(indent), ' ').append(line);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (keep) out_ += '\n';
    return keep;
  }

  std::string out_;
};

}  // namespace

std::string YamlEncode(const Value& v) { return YamlWriter().Document(v); }

}  // namespace reconcile::config
