// Set functions and ordering: toset, setunion, setintersection, setsubtract,
// setproduct, sort. Sets are lists kept sorted and free of duplicates.
#pragma once

#include <vector>

#include "config/expr/functions.h"

namespace reconcile::config {

// The family's entries for the function registry.
std::vector<Function> SetFunctions();

}  // namespace reconcile::config
