// Refresh: read every recorded resource through its provider (batched per
// provider and type, batches in parallel), reporting what changed outside
// reconcile, and reconcile pending operations left by an interrupted apply.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/operation.h"
#include "engine/state_store.h"
#include "reconcile/plan.h"
#include "reconcile/state.h"

namespace reconcile::engine {

struct RefreshResult {
  State state;                       // refreshed (objects gone removed)
  std::vector<PlannedChange> drift;  // action kUpdate (changed) or kDelete (gone)
  std::vector<std::string> reconciled_pending;  // journal entries now settled
  // Among them: creates whose object was looked up and not found (nothing
  // was made, as far as the provider can tell).
  std::set<std::string> unmade_creates;
};

// Upgrades state written by older provider schemas, then reads every managed
// instance. Pending creates are adopted when the provider finds the object
// (a create_before_destroy replacement's found object becomes current, the
// replaced one deposed); pending deletes are settled when the object is gone.
// An entry whose lookup fails stays unsettled, with the error.
Diagnostics RefreshState(const Operation& op, const State& recorded, bool read_resources,
                         RefreshResult* out);

// Writes the refreshed resources and, only once that write succeeded, clears
// the journal entries the refresh settled. With `plan` (an apply about to
// run), an unmade create that the plan makes again keeps its entry, so the new
// create is a retry of it and sends the same client token.
Diagnostics RecordRefresh(StateStore& store, const RefreshResult& refreshed, const Plan* plan);

}  // namespace reconcile::engine
