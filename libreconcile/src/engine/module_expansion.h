// The module instance tree an operation evaluates: every module call's count
// or for_each expanded, parents first, with the root variables known.
//
// Module instances are decided before any resource is planned, so a module's
// count and for_each may read variables, locals, literals and functions (and
// each.* / count.index of an enclosing module instance), but not resources,
// data sources or module outputs: such a reference is an error naming it.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "config/stack/stack.h"
#include "engine/module_tree.h"
#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::engine {

// Builds the full instance tree into *out. Errors in a count or for_each are
// reported (with its location) and that call gets no instances.
Diagnostics ExpandModuleTree(const config::Stack& stack,
                             const std::map<std::string, Value>& root_variables,
                             const std::string& workspace, const std::string& stack_dir,
                             std::unique_ptr<ModuleInstance>* out);

}  // namespace reconcile::engine
