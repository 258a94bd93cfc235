// try and can: functions that test whether expressions evaluate without
// errors, evaluating their arguments themselves.
#pragma once

#include <vector>

#include "config/expr/functions.h"

namespace reconcile::config {

// The family's entries for the function registry.
std::vector<Function> TryFunctions();

}  // namespace reconcile::config
