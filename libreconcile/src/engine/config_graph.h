// The dependency graph of a stack's configuration objects (variables, locals,
// outputs, resources, provider blocks) across all modules, built from the
// references their expressions make; and from it, the graph of resource blocks
// that planning and applying walk.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/stack/stack.h"
#include "engine/module_tree.h"
#include "graph/dependency_graph.h"
#include "reconcile/diagnostics.h"

namespace reconcile::engine {

enum class NodeKind : unsigned char { kVariable, kLocal, kOutput, kResource, kProvider };

struct ConfigNode {
  NodeKind kind = NodeKind::kVariable;
  const ModuleInstance* module = nullptr;
  std::string name;  // variable/local/output name, provider key
  const config::ResourceBlock* resource = nullptr;
  SourceRange range;
  std::string id;  // "module.net.local.x", "aws_vpc.main", "data.aws_ami.a", "provider.aws"
};

class ConfigGraph {
 public:
  // Builds both graphs; a reference cycle is an error listing the whole cycle.
  static Diagnostics Build(const ModuleInstance& root, ConfigGraph* out);

  const std::vector<ConfigNode>& nodes() const { return nodes_; }
  const graph::DependencyGraph& graph() const { return graph_; }

  // Resource blocks (managed and data) and the graph over them: an edge where
  // one block's expressions reach another's, directly or through locals,
  // variables, outputs and provider blocks.
  const std::vector<const ConfigNode*>& resources() const { return resources_; }
  const graph::DependencyGraph& resource_graph() const { return resource_graph_; }
  // Index into resources() of the block with this id ("module.net.aws_vpc.main").
  const ConfigNode* FindResource(const std::string& id, std::size_t* index = nullptr) const;

  // The node id a reference made in `module` points at ("" when it names no
  // graph node, e.g. each.key, or a module: its outputs are per instance).
  static std::string ReferenceTarget(const ModuleInstance& module, const config::Reference& ref);

 private:
  std::vector<ConfigNode> nodes_;
  std::map<std::string, std::size_t> index_;
  graph::DependencyGraph graph_;
  std::vector<const ConfigNode*> resources_;
  std::map<std::string, std::size_t> resource_index_;
  graph::DependencyGraph resource_graph_;

  std::size_t AddNode(ConfigNode node);
  void AddEdges(std::size_t from, const ModuleInstance& module,
                const std::vector<config::Reference>& refs);
  void AddModuleEdges(const ModuleInstance& module);
  void BuildResourceGraph();
};

// The id of a resource block within a module: "module.net.aws_vpc.main".
std::string ResourceId(const ModuleInstance& module, const config::ResourceBlock& block);

}  // namespace reconcile::engine
