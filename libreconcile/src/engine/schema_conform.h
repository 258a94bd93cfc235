// Bringing configuration and state into the shapes a provider schema declares,
// so the two compare exactly: blocks given as one table become one-element
// lists, sets are sorted, scalars are converted (5 -> "5" for a string
// attribute), and empty values ("", [], {}) of optional attributes read as null.
#pragma once

#include <string>

#include "config/stack/stack.h"
#include "reconcile/diagnostics.h"
#include "reconcile/provider.h"
#include "reconcile/value.h"

namespace reconcile::engine {

// Converts an evaluated body to the schema. Unknown attribute names and type
// mismatches are errors located at the attribute in `body`.
Value ConformConfig(const ResourceSchema& schema, const Value& config, const config::Body& body,
                    const std::string& what, Diagnostics& diags);

// The same normalization for a provider's state (no errors: what does not fit
// is kept as it is). Every schema attribute is present (null when unset) and
// attributes outside the schema are dropped. Sensitive attributes are marked.
Value NormalizeState(const ResourceSchema& schema, const Value& state);
// `value` with every write-only attribute null: what may be stored (state,
// journal, plans) of a planned or returned object.
Value WithoutWriteOnly(const ResourceSchema& schema, const Value& value);

// Checks a body's attribute names and required attributes against a schema
// (validate); `what` names the block ("resource aws_vpc.main").
void CheckBodyAgainstSchema(const ResourceSchema& schema, const config::Body& body,
                            const std::string& what, Diagnostics& diags);

// The closest name to `name` among candidates (edit distance <= 3), or "".
std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace reconcile::engine
