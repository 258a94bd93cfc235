// String functions: join, split, upper, lower, replace, trimspace, tostring,
// tonumber (format lives in format_function.cc).
#pragma once

#include <vector>

#include "config/expr/functions.h"

namespace reconcile::config {

// The family's entries for the function registry.
std::vector<Function> StringFunctions();

}  // namespace reconcile::config
