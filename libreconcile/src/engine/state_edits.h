// Edits of the recorded state that commands make directly (`taint`,
// `untaint`), checked against what the state holds.
#pragma once

#include <string>

#include "reconcile/state.h"

namespace reconcile::engine {

// Sets or clears the tainted mark of the one managed instance at `address`.
// Errors name what is wrong: no such instance (listing the instances of a
// resource given without its key), a data source, or untainting an instance
// that is not tainted.
Diagnostics SetTaintedIn(State& state, const std::string& address, bool tainted);

}  // namespace reconcile::engine
