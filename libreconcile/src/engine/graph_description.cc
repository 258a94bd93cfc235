#include "engine/graph_description.h"

#include <algorithm>
#include <numeric>
#include <string_view>

namespace reconcile::engine {

ResourceGraph DescribeResourceGraph(const ConfigGraph& graph) {
  const std::vector<const ConfigNode*>& blocks = graph.resources();
  std::vector<std::size_t> order(blocks.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return blocks[a]->id < blocks[b]->id; });
  std::vector<std::size_t> position(blocks.size());
  for (std::size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
  ResourceGraph out;
  for (std::size_t block : order) {
    GraphNode node;
    node.address = blocks[block]->id;
    node.module_path = ModulePathLabels(blocks[block]->module->path);
    for (std::size_t dep : graph.resource_graph().Dependencies(block))
      node.depends_on.push_back(position[dep]);
    std::sort(node.depends_on.begin(), node.depends_on.end());
    out.nodes.push_back(std::move(node));
  }
  return out;
}

}  // namespace reconcile::engine
