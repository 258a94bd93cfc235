// UTF-8 encoding shared by the readers that decode \u escapes (TOML, JSON).
#pragma once

#include <cstdint>
#include <string>

namespace reconcile {

// Appends the UTF-8 bytes of `code` (a Unicode scalar value) to `out`.
void AppendUtf8(std::uint32_t code, std::string* out);

}  // namespace reconcile
