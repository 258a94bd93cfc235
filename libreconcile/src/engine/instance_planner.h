// Plans one resource instance generically from its schema: merges
// configuration with prior state, lets the provider refine the proposal, and
// decides the action (create, update, replace naming the attributes that
// force it, or no-op).
#pragma once

#include <string>

#include "config/stack/stack.h"
#include "reconcile/plan.h"
#include "reconcile/provider.h"

namespace reconcile::engine {

struct InstancePlanInput {
  Provider* provider = nullptr;
  const ResourceSchema* schema = nullptr;
  std::string type;
  std::string address;
  Value prior;  // normalized state, null when none
  bool prior_tainted = false;
  bool replace_requested = false;  // --replace names it
  Value config;  // conformed configuration
  const config::Lifecycle* lifecycle = nullptr;
};

// Fills action, before, after and replace_paths of `change`.
Diagnostics PlanInstance(const InstancePlanInput& input, PlannedChange* change);

// The proposal the engine makes before the provider refines it.
Value ProposeState(const ResourceSchema& schema, const Value& prior, const Value& config,
                   const config::Lifecycle* lifecycle);

// Attribute paths whose planned value differs from the prior one.
std::vector<std::string> ChangedAttributes(const Value& prior, const Value& planned);

}  // namespace reconcile::engine
