// Numeric functions: abs, ceil, floor, signum, pow, log, max, min, sum,
// parseint, range.
#pragma once

#include <vector>

#include "config/expr/functions.h"

namespace reconcile::config {

// The family's entries for the function registry.
std::vector<Function> NumericFunctions();

}  // namespace reconcile::config
