// The evaluation behind `reconcile console`: expressions typed one at a time
// in the root module, against the configuration (variables, locals, module
// outputs) and resource values taken from a recorded state.
#pragma once

#include <map>
#include <string>

#include "engine/config_graph.h"
#include "engine/evaluation.h"
#include "engine/module_tree.h"
#include "reconcile/state.h"

namespace reconcile::engine {

class ConsoleEvaluator {
 public:
  // Resource blocks with instances in `state` take their recorded values (a
  // counted block a list, a for_each block a map); the others are unknown.
  ConsoleEvaluator(const ModuleInstance& root, const ConfigGraph& graph,
                   std::map<std::string, Value> variables, std::string workspace,
                   std::string stack_dir, const State& state);

  // Parses and evaluates one expression; errors point into it at
  // "<console>:1:COLUMN". Locals and outputs are evaluated once per session.
  Diagnostics Evaluate(const std::string& expression, Value* out);

 private:
  const ModuleInstance& root_;
  ResourceValues values_;
  EvalContext context_;
};

}  // namespace reconcile::engine
