// Encoding functions: jsonencode, jsondecode, base64encode, base64decode, sha256.
#pragma once

#include <vector>

#include "config/expr/functions.h"

namespace reconcile::config {

// The family's entries for the function registry.
std::vector<Function> EncodingFunctions();

}  // namespace reconcile::config
