// Applying a plan: creates and updates in dependency order, deletes in reverse
// order, create_before_destroy honoured, at most `parallelism` provider
// operations in flight. Each finished operation is recorded in state at once;
// creates and deletes are journalled as pending operations before the provider
// is called. After an error no new operation starts, in-flight ones finish,
// and every error is reported.
#pragma once

#include "engine/operation.h"
#include "engine/state_store.h"
#include "reconcile/engine.h"
#include "reconcile/plan.h"

namespace reconcile::engine {

// `op.context` must use a ResourceValues dedicated to this apply.
Diagnostics ApplyPlan(const Operation& op, const Plan& plan, StateStore& store,
                      ApplySummary* summary);

}  // namespace reconcile::engine
