// Type conversion and mark functions: tolist, tomap, tobool, sensitive,
// nonsensitive (tostring and tonumber live with the string functions, toset
// with the set functions).
#pragma once

#include <vector>

#include "config/expr/functions.h"

namespace reconcile::config {

// The family's entries for the function registry.
std::vector<Function> TypeFunctions();

}  // namespace reconcile::config
