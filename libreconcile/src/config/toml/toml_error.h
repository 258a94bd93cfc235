// toml11's error messages as our diagnostics: toml11 3.7 reports a syntax
// error as text ("[error] toml::parse_array: ..." and source excerpts with a
// marker under the place), which becomes one diagnostic with its words at our
// file:line:col.
#pragma once

#include <string>

#include "reconcile/diagnostics.h"

namespace reconcile::config {

// Adds the diagnostic for toml11's exception text `what` about `display_name`.
void ReportToml11Error(const std::string& what, const std::string& display_name,
                       Diagnostics& diags);

}  // namespace reconcile::config
