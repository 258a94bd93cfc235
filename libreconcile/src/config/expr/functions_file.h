// File functions: file(path) and templatefile(path, vars), reading relative
// to the scope's base directory (the module's directory).
#pragma once

#include <vector>

#include "config/expr/functions.h"

namespace reconcile::config {

// The family's entries for the function registry.
std::vector<Function> FileFunctions();

}  // namespace reconcile::config
