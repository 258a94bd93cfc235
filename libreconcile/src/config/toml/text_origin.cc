#include "config/toml/text_origin.h"

namespace reconcile::config {
namespace {

// A cursor over raw TOML source that tracks line and column.
struct RawCursor {
  std::string_view raw;
  std::size_t pos;
  int line;
  int column;

  bool AtEnd() const { return pos >= raw.size(); }
  char Peek(std::size_t ahead = 0) const {
    return pos + ahead < raw.size() ? raw[pos + ahead] : '\0';
  }
  void Advance(std::size_t n = 1) {
    for (std::size_t i = 0; i < n && pos < raw.size(); ++i, ++pos) {
      if (raw[pos] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
  }
};

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Bytes that the UTF-8 encoding of the code point written as hex takes.
std::size_t Utf8LengthOfEscape(std::string_view hex) {
  unsigned long code = 0;
  for (char c : hex) {
    if (!IsHex(c)) return 1;
    code = code * 16 + static_cast<unsigned long>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code < 0x10000) return 3;
  return 4;
}

// Skips a backslash at the end of a line in a multi-line basic string, with the
// whitespace and newlines after it. Returns false when it is not one.
bool SkipLineEndingBackslash(RawCursor& cursor) {
  std::size_t ahead = 1;
  while (cursor.Peek(ahead) == ' ' || cursor.Peek(ahead) == '\t') ++ahead;
  if (cursor.Peek(ahead) != '\n' && cursor.Peek(ahead) != '\r') return false;
  cursor.Advance(ahead);
  while (!cursor.AtEnd()) {
    char c = cursor.Peek();
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    cursor.Advance();
  }
  return true;
}

// Length in raw bytes and in decoded bytes of the escape at the cursor.
void MeasureEscape(const RawCursor& cursor, std::size_t* raw_length, std::size_t* decoded_length) {
  char kind = cursor.Peek(1);
  if (kind == 'u' || kind == 'U') {
    std::size_t digits = kind == 'u' ? 4 : 8;
    *raw_length = 2 + digits;
    std::size_t available = cursor.raw.size() - cursor.pos;
    if (*raw_length > available) *raw_length = available;
    *decoded_length = Utf8LengthOfEscape(cursor.raw.substr(cursor.pos + 2, digits));
    return;
  }
  *raw_length = 2;
  *decoded_length = 1;
}

}  // namespace

SourceRange TextOrigin::At(std::string_view text, std::size_t offset) const {
  if (source_ && token_offset_ < source_->size()) return AtToken(offset);
  return AtPlain(text, offset);
}

SourceRange TextOrigin::Span(std::string_view text, std::size_t begin, std::size_t end) const {
  SourceRange range = At(text, begin);
  SourceRange last = At(text, end);
  range.end_line = last.line;
  range.end_column = last.column;
  return range;
}

SourceRange AdvanceOver(SourceRange from, std::string_view text, std::size_t offset) {
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++from.line;
      from.column = 1;
    } else {
      ++from.column;
    }
  }
  return from;
}

SourceRange TextOrigin::AtPlain(std::string_view text, std::size_t offset) const {
  return AdvanceOver(start_, text, offset);
}

SourceRange TextOrigin::AtToken(std::size_t offset) const {
  RawCursor cursor{*source_, token_offset_, start_.line, start_.column};
  const char quote = cursor.Peek();
  const bool basic = quote == '"';
  const bool multi_line = cursor.Peek(1) == quote && cursor.Peek(2) == quote;
  cursor.Advance(multi_line ? 3 : 1);
  if (multi_line && cursor.Peek() == '\n') cursor.Advance();
  if (multi_line && cursor.Peek() == '\r' && cursor.Peek(1) == '\n') cursor.Advance(2);

  std::size_t decoded = 0;
  while (decoded < offset && !cursor.AtEnd()) {
    if (basic && cursor.Peek() == '\\') {
      if (multi_line && SkipLineEndingBackslash(cursor)) continue;
      std::size_t raw_length = 0, decoded_length = 0;
      MeasureEscape(cursor, &raw_length, &decoded_length);
      if (decoded + decoded_length > offset) break;
      decoded += decoded_length;
      cursor.Advance(raw_length);
      continue;
    }
    ++decoded;
    cursor.Advance();
  }
  SourceRange range = start_;
  range.line = cursor.line;
  range.column = cursor.column;
  return range;
}

}  // namespace reconcile::config
