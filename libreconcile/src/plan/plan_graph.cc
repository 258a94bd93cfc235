// GraphOfPlan: the plan's instances as a graph to draw, each with its action.
#include <algorithm>
#include <map>
#include <set>

#include "reconcile/resource_graph.h"

namespace reconcile {

ResourceGraph GraphOfPlan(const Plan& plan) {
  std::vector<const PlannedChange*> changes;
  for (const PlannedChange& c : plan.changes) changes.push_back(&c);
  std::stable_sort(
      changes.begin(), changes.end(),
      [](const PlannedChange* a, const PlannedChange* b) { return a->address < b->address; });
  ResourceGraph out;
  std::map<std::string, std::vector<std::size_t>> by_block;  // resource address -> node indexes
  for (const PlannedChange* c : changes) {
    GraphNode node;
    node.address = c->address;
    ResourceAddress parsed;
    std::string error;
    std::string block = c->address;
    if (ResourceAddress::Parse(c->address, &parsed, &error)) {
      node.module_path = ModulePathLabels(parsed.module_path);
      block = parsed.ResourceString();
    }
    node.planned = true;
    node.action = c->action;
    node.replace_paths = c->replace_paths;
    node.reason = c->reason;
    by_block[block].push_back(out.nodes.size());
    out.nodes.push_back(std::move(node));
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    std::set<std::size_t> deps;
    for (const std::string& block : changes[i]->depends_on)
      if (auto it = by_block.find(block); it != by_block.end())
        deps.insert(it->second.begin(), it->second.end());
    deps.erase(i);
    out.nodes[i].depends_on.assign(deps.begin(), deps.end());
  }
  return out;
}

}  // namespace reconcile
