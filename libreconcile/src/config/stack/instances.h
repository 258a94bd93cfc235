// The instances a resource block or a module call expands to with count or
// for_each.
#pragma once

#include <optional>
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

// Evaluates count / for_each (at most one of them is set) in `scope` and
// lists the instances (one with InstanceKey::None() when neither is set). An
// unknown count or for_each is an error saying it must be known at plan time.
Diagnostics ExpandInstances(const std::optional<Expression>& count,
                            const std::optional<Expression>& for_each, Scope& scope,
                            std::vector<InstanceSpec>* out);

// The instances of a resource block.
Diagnostics ExpandInstances(const ResourceBlock& block, Scope& scope,
                            std::vector<InstanceSpec>* out);

// Checks an evaluated count or for_each value as ExpandInstances does, without
// listing instances: for validate, on values already known.
Diagnostics CheckCountValue(const Value& count, const SourceRange& at);
Diagnostics CheckForEachValue(const Value& for_each, const SourceRange& at);

}  // namespace reconcile::config
