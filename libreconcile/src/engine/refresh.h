// Refresh: read every recorded resource through its provider (batched per
// provider and type, batches in parallel), reporting what changed outside
// reconcile, and reconcile pending operations left by an interrupted apply.
#pragma once

#include <string>
#include <vector>

#include "engine/operation.h"
#include "reconcile/plan.h"
#include "reconcile/state.h"

namespace reconcile::engine {

struct RefreshResult {
  State state;                       // refreshed (objects gone removed)
  std::vector<PlannedChange> drift;  // action kUpdate (changed) or kDelete (gone)
  std::vector<std::string> reconciled_pending;  // journal entries now settled
};

// Upgrades state written by older provider schemas, then reads every managed
// instance. Pending creates are adopted when the provider finds the object;
// pending deletes are settled when the object is gone.
Diagnostics RefreshState(const Operation& op, const State& recorded, bool read_resources,
                         RefreshResult* out);

}  // namespace reconcile::engine
