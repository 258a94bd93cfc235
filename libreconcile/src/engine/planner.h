// Planning: walks the resource blocks in dependency order (independent ones
// in parallel), expands count/for_each, evaluates each instance's
// configuration against what upstream resources will be, and plans it; then
// plans deletes of what left the configuration, and the outputs.
#pragma once

#include "engine/operation.h"
#include "engine/refresh.h"
#include "reconcile/engine.h"
#include "reconcile/plan.h"

namespace reconcile::engine {

// Plans against `refreshed` state. `op.context` must use a ResourceValues
// dedicated to this plan.
Diagnostics PlanChanges(const Operation& op, const PlanOptions& options, const State& refreshed,
                        Plan* plan);

// Fills each change's depends_on with the instance addresses it waits for.
void LinkDependencies(const Operation& op, const State& state, Plan* plan);

}  // namespace reconcile::engine
