// UTF-8: encoding code points (for the readers that decode \u escapes) and
// checking that text is well-formed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace reconcile {

// Appends the UTF-8 bytes of `code` (a Unicode scalar value) to `out`.
void AppendUtf8(std::uint32_t code, std::string* out);

// True when text is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);
// The offset of the first byte that is not well-formed UTF-8, or npos.
std::size_t FirstInvalidUtf8(std::string_view text);

}  // namespace reconcile
