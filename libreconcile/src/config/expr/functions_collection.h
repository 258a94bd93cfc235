// Collection functions on lists and maps: length, lookup, merge, concat,
// keys, values, contains, element, index, reverse, slice, flatten, distinct,
// compact, chunklist, one, zipmap, transpose, coalesce, coalescelist,
// alltrue, anytrue.
#pragma once

#include <vector>

#include "config/expr/functions.h"

namespace reconcile::config {

// The family's entries for the function registry.
std::vector<Function> CollectionFunctions();

}  // namespace reconcile::config
