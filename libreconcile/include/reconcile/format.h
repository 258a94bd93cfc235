// The canonical layout of stack files, as `reconcile fmt` writes them.
#pragma once

#include <string>
#include <string_view>

#include "reconcile/diagnostics.h"

namespace reconcile {

// Formats one stack file's text: aligned `=`, canonical spacing, long arrays
// wrapped, comments kept; formatting the result again changes nothing.
// Errors: the text is not TOML (at its file:line), or the layout would read
// differently (then `out` is left unchanged).
Diagnostics FormatStackFile(std::string_view text, const std::string& display_name, std::string* out);

}  // namespace reconcile
