// The instances a resource block expands to with count or for_each.
#pragma once

#include <vector>

#include "config/expr/expression.h"
#include "config/stack/stack.h"
#include "reconcile/address.h"
#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::config {

// One instance a count or for_each expands to.
struct InstanceSpec {
  InstanceKey key;
  Value each_key;    // for_each: the key (string); null otherwise
  Value each_value;  // for_each: the value; null otherwise
};

// Evaluates count / for_each of a resource block in `scope` and lists its
// instances (one with InstanceKey::None() when neither is set). An unknown
// count or for_each is an error saying it must be known at plan time.
Diagnostics ExpandInstances(const ResourceBlock& block, Scope& scope,
                            std::vector<InstanceSpec>* out);

}  // namespace reconcile::config
