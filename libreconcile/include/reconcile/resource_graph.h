// The resource graph as tools draw it (`reconcile graph --format svg`): one
// node per resource block, or, built from a plan, per resource instance with
// its planned action; grouped by module.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "reconcile/address.h"
#include "reconcile/plan.h"

namespace reconcile {

struct GraphNode {
  std::string address;                   // "module.net.aws_subnet.public", or an instance's
  std::vector<std::string> module_path;  // {"net"}; empty in the root module
  std::vector<std::size_t> depends_on;   // indexes of the nodes it waits for, ascending
  // From a plan: the planned action, and the attributes forcing a replacement.
  bool planned = false;
  Action action = Action::kNoOp;
  std::vector<std::string> replace_paths;
  std::string reason;
};

// A module path as graph nodes name it: {"net"}, {"web[\"a\"]", "db"}.
inline std::vector<std::string> ModulePathLabels(const std::vector<ModuleStep>& path) {
  std::vector<std::string> labels;
  for (const ModuleStep& step : path) labels.push_back(step.ToString().substr(7));  // "module."
  return labels;
}

struct ResourceGraph {
  std::vector<GraphNode> nodes;  // sorted by address
};

// One node per instance of the plan, with an edge to every instance of each
// resource its change depends on.
ResourceGraph GraphOfPlan(const Plan& plan);

}  // namespace reconcile
