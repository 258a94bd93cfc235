#include "graph_render.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <map>
#include <memory>

namespace reconcile::tool {

namespace {

// cgraph takes char* for names and values it does not change.
char* Text(const std::string& s) { return const_cast<char*>(s.c_str()); }

void Set(void* object, const std::string& name, const std::string& value) {
  agsafeset(object, Text(name), Text(value), Text(""));
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

struct GraphDeleter {
  void operator()(Agraph_t* g) const { agclose(g); }
};
struct ContextDeleter {
  void operator()(GVC_t* gvc) const { gvFreeContext(gvc); }
};

// The subgraph that draws module.a.module.b as a box inside module.a's.
Agraph_t* ModuleCluster(Agraph_t* root, const std::vector<std::string>& path,
                        std::map<std::string, Agraph_t*>& clusters) {
  Agraph_t* parent = root;
  std::string prefix;
  for (const std::string& module : path) {
    prefix += (prefix.empty() ? "module." : ".module.") + module;
    auto it = clusters.find(prefix);
    if (it == clusters.end()) {
      Agraph_t* sub = agsubg(parent, Text("cluster_" + prefix), 1);
      Set(sub, "label", prefix);
      Set(sub, "style", "rounded");
      it = clusters.emplace(prefix, sub).first;
    }
    parent = it->second;
  }
  return parent;
}

}  // namespace

std::string ActionColor(Action action) {
  switch (action) {
    case Action::kCreate:
      return "#b8e6b8";
    case Action::kUpdate:
      return "#f5e49c";
    case Action::kReplace:
      return "#e0b8f0";
    case Action::kDelete:
      return "#f5b8b8";
    case Action::kRead:
      return "#b8d8f5";
    case Action::kNoOp:
      break;
  }
  return "#ffffff";
}

bool DrawGraph(const ResourceGraph& graph, const std::string& format, std::string* out,
               std::string* error) {
  std::unique_ptr<GVC_t, ContextDeleter> gvc(gvContext());
  std::unique_ptr<Agraph_t, GraphDeleter> g(agopen(Text("reconcile"), Agdirected, nullptr));
  Set(g.get(), "rankdir", "RL");
  Set(g.get(), "fontname", "Helvetica");
  agattr(g.get(), AGNODE, Text("shape"), Text("box"));
  agattr(g.get(), AGNODE, Text("style"), Text("filled,rounded"));
  agattr(g.get(), AGNODE, Text("fillcolor"), Text("#ffffff"));
  agattr(g.get(), AGNODE, Text("fontname"), Text("Helvetica"));
  std::map<std::string, Agraph_t*> clusters;
  std::vector<Agnode_t*> nodes;
  for (const GraphNode& node : graph.nodes) {
    Agraph_t* parent = ModuleCluster(g.get(), node.module_path, clusters);
    Agnode_t* n = agnode(parent, Text(node.address), 1);
    std::string label = node.address;
    if (node.planned) {
      Set(n, "fillcolor", ActionColor(node.action));
      label += "\n" + std::string(ActionName(node.action));
      if (node.action == Action::kReplace && !node.replace_paths.empty())
        label += " (forced by " + Joined(node.replace_paths) + ")";
      else if (node.action == Action::kReplace && !node.reason.empty())
        label += " (" + node.reason + ")";
    }
    Set(n, "label", label);
    nodes.push_back(n);
  }
  // An edge from each node to what it waits for, as `terraform graph` draws them.
  for (std::size_t i = 0; i < graph.nodes.size(); ++i)
    for (std::size_t dep : graph.nodes[i].depends_on)
      if (dep < nodes.size()) agedge(g.get(), nodes[i], nodes[dep], nullptr, 1);

  if (gvLayout(gvc.get(), g.get(), "dot") != 0) {
    *error = "Graphviz could not lay out the graph (its \"dot\" layout plugin is missing?)";
    return false;
  }
  char* data = nullptr;
  unsigned int length = 0;
  int rc = gvRenderData(gvc.get(), g.get(), format.c_str(), &data, &length);
  if (rc == 0 && data != nullptr) out->assign(data, length);
  if (data != nullptr) gvFreeRenderData(data);
  gvFreeLayout(gvc.get(), g.get());
  if (rc != 0) {
    *error = "Graphviz cannot render \"" + format + "\" (its plugin for that format is missing?)";
    return false;
  }
  return true;
}

}  // namespace reconcile::tool
