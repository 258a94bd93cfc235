// Parses JSON text straight into a Value (no intermediate tree), for big
// documents such as state files.
#pragma once

#include <string>
#include <string_view>

#include "reconcile/value.h"

namespace reconcile::json {

// Parses `text`; on failure returns false and sets *error to a message naming
// the line and column.
bool Parse(std::string_view text, reconcile::Value* out, std::string* error);

}  // namespace reconcile::json
