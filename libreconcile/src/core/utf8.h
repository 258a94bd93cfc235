// UTF-8 shared by the readers that decode \u escapes (TOML, JSON), the JSON
// writer, the regular expression searches and the checks that text is
// well-formed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace reconcile {

// Appends the UTF-8 bytes of `code` (a Unicode scalar value) to `out`.
void AppendUtf8(std::uint32_t code, std::string* out);

// The length (1-4) of the well-formed UTF-8 sequence starting at text[i]:
// no overlong forms, surrogates or code points past U+10FFFF. 0 when the
// bytes there are not one.
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i);
// True when text is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);
// The offset of the first byte that is not well-formed UTF-8, or npos.
std::size_t FirstInvalidUtf8(std::string_view text);

}  // namespace reconcile
