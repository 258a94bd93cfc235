// Where the characters of an expression's text were written, so diagnostics
// can point at the exact line and column inside a TOML string even when the
// string had escapes or spanned lines.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "reconcile/diagnostics.h"

namespace reconcile::config {

class TextOrigin {
 public:
  TextOrigin() = default;
  // The text starts at `start` and is written as is (a newline starts a line).
  explicit TextOrigin(SourceRange start) : start_(std::move(start)) {}
  // The text was decoded from the TOML string token at byte `token_offset` of
  // `source` (the opening quote); `start` is that token's location.
  TextOrigin(SourceRange start, std::shared_ptr<const std::string> source,
             std::size_t token_offset)
      : start_(std::move(start)), source_(std::move(source)), token_offset_(token_offset) {}

  // The location of byte `offset` of the decoded `text`.
  SourceRange At(std::string_view text, std::size_t offset) const;
  // The range of bytes [begin, end) of `text`.
  SourceRange Span(std::string_view text, std::size_t begin, std::size_t end) const;
  const SourceRange& start() const { return start_; }

 private:
  SourceRange AtPlain(std::string_view text, std::size_t offset) const;
  SourceRange AtToken(std::size_t offset) const;

  SourceRange start_;
  std::shared_ptr<const std::string> source_;
  std::size_t token_offset_ = 0;
};

// `from` moved over text[0, offset): one line per '\n', one column per byte.
SourceRange AdvanceOver(SourceRange from, std::string_view text, std::size_t offset);

}  // namespace reconcile::config
