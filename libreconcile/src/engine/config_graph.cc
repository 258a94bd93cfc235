#include "engine/config_graph.h"

#include <functional>
#include <set>

#include "reconcile/provider.h"

namespace reconcile::engine {

std::string ResourceId(const ModuleInstance& module, const config::ResourceBlock& block) {
  return module.Prefix() + block.Key();
}

std::size_t ConfigGraph::AddNode(ConfigNode node) {
  std::size_t i = nodes_.size();
  index_[node.id] = i;
  graph_.AddVertex(node.id);
  nodes_.push_back(std::move(node));
  return i;
}

std::string ConfigGraph::ReferenceTarget(const ModuleInstance& module,
                                         const config::Reference& ref) {
  std::string prefix = module.Prefix();
  switch (ref.kind) {
    case config::RefKind::kVariable:
      return prefix + "var." + ref.name;
    case config::RefKind::kLocal:
      return prefix + "local." + ref.name;
    case config::RefKind::kResource:
      return prefix + ref.type + "." + ref.name;
    case config::RefKind::kData:
      return prefix + "data." + ref.type + "." + ref.name;
    default:
      return {};
  }
}

void ConfigGraph::AddEdges(std::size_t from, const ModuleInstance& module,
                           const std::vector<config::Reference>& refs) {
  for (const config::Reference& ref : refs) {
    if (ref.kind == config::RefKind::kModule) {
      // module.NAME (or one output of it): those outputs of every instance.
      auto child = module.children.find(ref.name);
      if (child == module.children.end()) continue;
      for (const auto& instance : child->second.instances) {
        for (const auto& [name, output] : instance->module->outputs) {
          if (!ref.attr.empty() && name != ref.attr) continue;
          auto it = index_.find(instance->Prefix() + "output." + name);
          if (it != index_.end()) graph_.AddDependency(from, it->second);
        }
      }
      continue;
    }
    // A self-reference stays as a self-edge, so it is reported as a cycle.
    auto it = index_.find(ReferenceTarget(module, ref));
    if (it != index_.end()) graph_.AddDependency(from, it->second);
  }
}

namespace {

std::vector<config::Reference> BodyReferences(const config::Body& body) {
  std::vector<config::Reference> out;
  for (const auto& [name, expr] : body.attributes) {
    std::vector<config::Reference> refs = expr.References();
    out.insert(out.end(), refs.begin(), refs.end());
  }
  return out;
}

}  // namespace

void ConfigGraph::AddModuleEdges(const ModuleInstance& module) {
  const std::string prefix = module.Prefix();
  const config::Module& m = *module.module;
  for (const auto& [name, local] : m.locals)
    AddEdges(index_.at(prefix + "local." + name), module, local.value.References());
  for (const auto& [name, output] : m.outputs) {
    std::size_t from = index_.at(prefix + "output." + name);
    AddEdges(from, module, output.value.References());
    AddEdges(from, module, output.depends_on);
  }
  for (const auto& [key, block] : m.resources) {
    std::size_t from = index_.at(prefix + key);
    AddEdges(from, module, BodyReferences(block.body));
    if (block.count) AddEdges(from, module, block.count->References());
    if (block.for_each) AddEdges(from, module, block.for_each->References());
    AddEdges(from, module, block.depends_on);
    std::string provider = block.provider.empty() ? ProviderNameForType(block.type) : block.provider;
    if (auto it = index_.find("provider." + provider); it != index_.end())
      graph_.AddDependency(from, it->second);
  }
  // A child's variables are its call's inputs, evaluated in this module.
  for (const auto& [name, call] : module.children) {
    for (const auto& child : call.instances) {
      for (const auto& [var_name, var] : child->module->variables) {
        std::size_t from = index_.at(child->Prefix() + "var." + var_name);
        if (const config::Expression* input = child->call->inputs.Find(var_name))
          AddEdges(from, module, input->References());
        AddEdges(from, module, child->call->depends_on);
        for (const auto* meta : {&child->call->count, &child->call->for_each})
          if (*meta) AddEdges(from, module, (*meta)->References());
      }
    }
  }
  if (module.is_root()) {
    for (const auto& [key, provider] : m.providers)
      AddEdges(index_.at("provider." + key), module, BodyReferences(provider.body));
  }
}

Diagnostics ConfigGraph::Build(const ModuleInstance& root, ConfigGraph* out) {
  Diagnostics diags;
  ConfigGraph& g = *out;
  ForEachModule(root, [&](const ModuleInstance& module) {
    const std::string prefix = module.Prefix();
    const config::Module& m = *module.module;
    for (const auto& [name, var] : m.variables)
      g.AddNode({NodeKind::kVariable, &module, name, nullptr, var.range, prefix + "var." + name});
    for (const auto& [name, local] : m.locals)
      g.AddNode({NodeKind::kLocal, &module, name, nullptr, local.range, prefix + "local." + name});
    for (const auto& [name, output] : m.outputs)
      g.AddNode({NodeKind::kOutput, &module, name, nullptr, output.range, prefix + "output." + name});
    for (const auto& [key, block] : m.resources)
      g.AddNode({NodeKind::kResource, &module, key, &block, block.range, prefix + key});
    if (module.is_root()) {
      for (const auto& [key, provider] : m.providers)
        g.AddNode({NodeKind::kProvider, &module, key, nullptr, provider.range, "provider." + key});
    }
  });
  ForEachModule(root, [&](const ModuleInstance& module) { g.AddModuleEdges(module); });

  std::vector<graph::DependencyGraph::Vertex> cycle = g.graph_.FindCycle();
  if (!cycle.empty()) {
    std::string chain;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      if (i > 0) chain += " -> ";
      chain += g.nodes_[cycle[i]].id;
    }
    diags.Error("Reference cycle: " + chain,
                "Each of these refers to the next, so none can be evaluated first. Break the "
                "cycle by removing one of the references.",
                g.nodes_[cycle.front()].range);
    return diags;
  }
  g.BuildResourceGraph();
  return diags;
}

void ConfigGraph::BuildResourceGraph() {
  for (const ConfigNode& node : nodes_) {
    if (node.kind != NodeKind::kResource) continue;
    resource_index_[node.id] = resources_.size();
    resource_graph_.AddVertex(node.id);
    resources_.push_back(&node);
  }
  // For each non-resource node, the resource blocks it reaches (memoized).
  std::vector<std::vector<std::size_t>> reach(nodes_.size());
  std::vector<bool> done(nodes_.size(), false);
  std::function<const std::vector<std::size_t>&(std::size_t)> reached =
      [&](std::size_t n) -> const std::vector<std::size_t>& {
    if (done[n]) return reach[n];
    std::set<std::size_t> found;
    for (std::size_t d : graph_.Dependencies(n)) {
      if (nodes_[d].kind == NodeKind::kResource) {
        found.insert(resource_index_.at(nodes_[d].id));
      } else {
        const std::vector<std::size_t>& via = reached(d);
        found.insert(via.begin(), via.end());
      }
    }
    reach[n].assign(found.begin(), found.end());
    done[n] = true;
    return reach[n];
  };
  for (std::size_t r = 0; r < resources_.size(); ++r) {
    std::size_t n = index_.at(resources_[r]->id);
    for (std::size_t d : graph_.Dependencies(n)) {
      if (nodes_[d].kind == NodeKind::kResource) {
        resource_graph_.AddDependency(r, resource_index_.at(nodes_[d].id));
      } else {
        for (std::size_t target : reached(d)) resource_graph_.AddDependency(r, target);
      }
    }
  }
}

const ConfigNode* ConfigGraph::FindResource(const std::string& id, std::size_t* index) const {
  auto it = resource_index_.find(id);
  if (it == resource_index_.end()) return nullptr;
  if (index) *index = it->second;
  return resources_[it->second];
}

}  // namespace reconcile::engine
