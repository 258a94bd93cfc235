// Loading a stack: a directory's *.toml files are read, parsed in parallel
// and decoded in file-name order into the root module; the modules it calls
// are loaded the same way, recursively.
#pragma once

#include <string>

#include "config/stack/stack.h"
#include "reconcile/diagnostics.h"

namespace reconcile::config {

class SourceReader;

// Reads every *.toml file in `dir` (not environments/, not modules/ unless
// called), merges them, and loads called modules. A block defined twice is an
// error naming both places. Diagnostics name files relative to `dir`.
Diagnostics LoadStack(const std::string& dir, Stack* out);

// LoadStack through a given reader; `dir` must be absolute.
Diagnostics LoadStackFrom(SourceReader& reader, const std::string& dir, Stack* out);

}  // namespace reconcile::config
