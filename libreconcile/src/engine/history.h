// A workspace's history of applies, read back from the backend's versions of
// its state document: each apply leaves an ApplyRecord (state.h) in the state
// it writes last, so the versions carrying a record's id are that apply's;
// the oldest of them is the state the apply itself finished with (later
// versions with the same record are writes of another operation).
#pragma once

#include <string>
#include <vector>

#include "engine/state_store.h"
#include "reconcile/backend.h"
#include "reconcile/engine.h"

namespace reconcile::engine {

// Entries newest first, at most `limit`.
Diagnostics ReadHistory(Backend& backend, const std::string& workspace, std::size_t limit,
                        std::vector<HistoryEntry>* out);

// Hands the store's current state to Backend::KeepStateVersion; a failure is a
// warning (history is lost, the apply is not).
Diagnostics KeepStateVersion(StateStore& store, const std::string& workspace);

}  // namespace reconcile::engine
