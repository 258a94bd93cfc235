// The checks of a loaded stack's references that need no state.
#pragma once

#include "config/stack/stack.h"
#include "reconcile/diagnostics.h"

namespace reconcile::config {

// Static checks that need no state: every reference names something declared
// (with "did you mean" suggestions), each/count only where allowed, module
// inputs match the module's variables. Reference cycles are found by the
// engine's graph.
Diagnostics CheckReferences(const Stack& stack);

}  // namespace reconcile::config
