#include "config/expr/lexer.h"

namespace reconcile::config {
namespace {

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsIdentifierPart(char c) { return IsIdentifierStart(c) || IsDigit(c); }

std::size_t ScanIdentifier(std::string_view text, std::size_t i) {
  while (i < text.size()) {
    if (IsIdentifierPart(text[i])) {
      ++i;
    } else if (text[i] == '-' && i + 1 < text.size() && IsIdentifierStart(text[i + 1])) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

std::size_t ScanDigits(std::string_view text, std::size_t i) {
  while (i < text.size() && IsDigit(text[i])) ++i;
  return i;
}

std::size_t ScanNumber(std::string_view text, std::size_t i) {
  i = ScanDigits(text, i);
  if (i + 1 < text.size() && text[i] == '.' && IsDigit(text[i + 1])) i = ScanDigits(text, i + 1);
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j < text.size() && IsDigit(text[j])) i = ScanDigits(text, j);
  }
  return i;
}

constexpr std::string_view kLongPunctuation[] = {"...", "==", "!=", "<=", ">=", "&&", "||", "=>"};
constexpr std::string_view kShortPunctuation = "()[]{},.:?=<>+-*/%!";

}  // namespace

Token LexToken(std::string_view text, std::size_t pos) {
  Token token;
  while (pos < text.size() &&
         (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) {
    if (text[pos] == '\n') token.newline_before = true;
    ++pos;
  }
  token.begin = pos;
  token.end = pos;
  if (pos >= text.size()) return token;
  const char c = text[pos];
  std::size_t end = pos + 1;
  if (IsIdentifierStart(c)) {
    token.kind = TokenKind::kIdentifier;
    end = ScanIdentifier(text, pos);
  } else if (IsDigit(c)) {
    token.kind = TokenKind::kNumber;
    end = ScanNumber(text, pos);
  } else if (c == '"') {
    token.kind = TokenKind::kQuote;
  } else {
    token.kind = TokenKind::kInvalid;
    for (std::string_view p : kLongPunctuation) {
      if (text.substr(pos, p.size()) == p) {
        token.kind = TokenKind::kPunct;
        end = pos + p.size();
        break;
      }
    }
    if (token.kind == TokenKind::kInvalid && kShortPunctuation.find(c) != std::string_view::npos)
      token.kind = TokenKind::kPunct;
  }
  token.end = end;
  token.text = text.substr(pos, end - pos);
  return token;
}

}  // namespace reconcile::config
