// The canonical layout of a stack file (`reconcile fmt`): a line-based
// rewrite that keeps every comment and never changes what the file means.
#pragma once

#include <string>
#include <string_view>

#include "reconcile/diagnostics.h"

namespace reconcile::config {

// Table headers without inner spaces and after one blank line; `key = value`
// with one space around `=`, aligned over consecutive keys; one space after
// commas and inside inline tables; single-line arrays longer than the width
// wrapped one element per line; at most one blank line in a row; trailing
// spaces dropped; one final newline. Multi-line strings and arrays are kept
// as written. Formatting formatted text changes nothing.
std::string FormatTomlText(std::string_view text);

// Formats `text` (the file `display_name`) into `out`. A file TOML cannot
// read is an error at its line; so is a layout that would read differently
// (a bug guard: the file is then left as it is).
Diagnostics FormatTomlFile(std::string_view text, const std::string& display_name,
                           std::string* out);

}  // namespace reconcile::config
