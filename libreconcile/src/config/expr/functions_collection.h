// Collection functions: length, lookup, merge, concat, keys, values,
// contains, element, tolist, toset, coalesce.
#pragma once

#include <vector>

#include "config/expr/functions.h"

namespace reconcile::config {

// The family's entries for the function registry.
std::vector<Function> CollectionFunctions();

}  // namespace reconcile::config
