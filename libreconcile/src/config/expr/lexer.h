// Tokens of the expression language inside `${...}`. Strings are not tokens:
// the parser reads a quoted string itself, since it is a template.
#pragma once

#include <cstddef>
#include <string_view>

namespace reconcile::config {

enum class TokenKind : unsigned char { kEnd, kIdentifier, kNumber, kQuote, kPunct, kInvalid };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::size_t begin = 0;  // byte offsets into the text
  std::size_t end = 0;
  std::string_view text;
  bool newline_before = false;  // a line break separates it from the previous token

  bool Is(std::string_view punct) const { return kind == TokenKind::kPunct && text == punct; }
  bool IsIdentifier(std::string_view word) const {
    return kind == TokenKind::kIdentifier && text == word;
  }
};

// The token at or after byte `pos` of `text`, skipping white space.
// Identifiers may contain dashes (`my-web`) when a letter or underscore
// follows the dash, so `count.index-1` still subtracts.
Token LexToken(std::string_view text, std::size_t pos);

}  // namespace reconcile::config
