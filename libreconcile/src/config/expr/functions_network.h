// Network functions: cidrsubnet, cidrhost and cidrnetmask, for IPv4 and IPv6.
#pragma once

#include <vector>

#include "config/expr/functions.h"

namespace reconcile::config {

// The family's entries for the function registry.
std::vector<Function> NetworkFunctions();

}  // namespace reconcile::config
