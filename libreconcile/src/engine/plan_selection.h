// Which instances a plan covers beyond what the configuration says:
// `--replace` asks for a replacement nothing forces, `--exclude` leaves
// resources (and what depends on them) alone.
#pragma once

#include <string>
#include <vector>

#include "reconcile/engine.h"
#include "reconcile/plan.h"

namespace reconcile::engine {

// Errors for --replace and --exclude addresses that do not parse.
Diagnostics CheckSelectionAddresses(const PlanOptions& options);

// Whether --replace names the instance at `address` (or its whole resource).
bool ReplaceRequested(const PlanOptions& options, const std::string& address);

// A warning for each --replace address no recorded instance answered.
Diagnostics CheckReplaceUsed(const PlanOptions& options, const Plan& plan);

// Moves the changes of excluded instances out of plan->changes into
// plan->excluded: each instance an --exclude address matches, and every
// instance that depends on one, transitively (destroying: every instance one
// depends on, which must outlive it). Each change's depends_on must be set.
Diagnostics ExcludeFromPlan(const PlanOptions& options, Plan* plan);

}  // namespace reconcile::engine
