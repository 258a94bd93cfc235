// Our TOML 1.0 reader: one pass of recursive descent over the text that builds
// TomlNodes directly, with exact source positions, TOML's redefinition rules,
// and one readable diagnostic for the first mistake in a file.
#pragma once

#include <string>
#include <string_view>

#include "config/toml_tree.h"
#include "reconcile/diagnostics.h"

namespace reconcile::config {

// Reads `text` (valid UTF-8) into `root`, a table. On the first syntax or
// redefinition error adds one diagnostic at file:line:col of `display_name`
// and returns false.
bool ReadToml(std::string_view text, const std::string& display_name, TomlNode* root,
              Diagnostics& diags);

}  // namespace reconcile::config
