#include "graph/dependency_graph.h"

#include <algorithm>
#include <set>
#include <utility>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>

namespace reconcile::graph {

using BoostGraph = boost::adjacency_list<boost::setS, boost::vecS, boost::bidirectionalS>;

struct DependencyGraph::Impl {
  BoostGraph g;
  std::vector<std::string> names;
};

DependencyGraph::DependencyGraph() : impl_(std::make_unique<Impl>()) {}
DependencyGraph::~DependencyGraph() = default;
DependencyGraph::DependencyGraph(DependencyGraph&&) noexcept = default;
DependencyGraph& DependencyGraph::operator=(DependencyGraph&&) noexcept = default;

DependencyGraph::Vertex DependencyGraph::AddVertex(std::string name) {
  impl_->names.push_back(std::move(name));
  return boost::add_vertex(impl_->g);
}

void DependencyGraph::AddDependency(Vertex from, Vertex to) { boost::add_edge(from, to, impl_->g); }

std::size_t DependencyGraph::size() const { return boost::num_vertices(impl_->g); }

const std::string& DependencyGraph::name(Vertex v) const { return impl_->names[v]; }

std::vector<DependencyGraph::Vertex> DependencyGraph::Dependencies(Vertex v) const {
  std::vector<Vertex> out;
  for (auto [it, end] = boost::adjacent_vertices(v, impl_->g); it != end; ++it) out.push_back(*it);
  return out;
}

std::vector<DependencyGraph::Vertex> DependencyGraph::Dependents(Vertex v) const {
  std::vector<Vertex> out;
  for (auto [it, end] = boost::in_edges(v, impl_->g); it != end; ++it)
    out.push_back(boost::source(*it, impl_->g));
  return out;
}

namespace {

// Remembers each vertex's DFS parent and the first back edge seen.
class CycleFinder : public boost::default_dfs_visitor {
 public:
  CycleFinder(std::vector<std::size_t>* parent, std::pair<std::size_t, std::size_t>* back_edge,
              bool* found)
      : parent_(parent), back_edge_(back_edge), found_(found) {}

  template <class Edge, class Graph>
  void tree_edge(Edge e, const Graph& g) const {
    (*parent_)[boost::target(e, g)] = boost::source(e, g);
  }
  template <class Edge, class Graph>
  void back_edge(Edge e, const Graph& g) const {
    if (*found_) return;
    *found_ = true;
    *back_edge_ = {boost::source(e, g), boost::target(e, g)};
  }

 private:
  std::vector<std::size_t>* parent_;
  std::pair<std::size_t, std::size_t>* back_edge_;
  bool* found_;
};

}  // namespace

std::vector<DependencyGraph::Vertex> DependencyGraph::FindCycle() const {
  const std::size_t n = size();
  std::vector<std::size_t> parent(n, n);
  std::pair<std::size_t, std::size_t> back{n, n};
  bool found = false;
  boost::depth_first_search(impl_->g, boost::visitor(CycleFinder(&parent, &back, &found)));
  if (!found) return {};
  // The back edge source -> target closes the cycle target -> ... -> source -> target.
  std::vector<Vertex> path;
  for (Vertex v = back.first; v != back.second; v = parent[v]) path.push_back(v);
  path.push_back(back.second);
  std::reverse(path.begin(), path.end());
  path.push_back(back.second);
  return path;
}

std::vector<DependencyGraph::Vertex> DependencyGraph::TopologicalOrder() const {
  std::vector<Vertex> order;
  order.reserve(size());
  // Boost emits reverse topological order of edges a->b, i.e. b before a:
  // dependencies first, which is what we want.
  boost::topological_sort(impl_->g, std::back_inserter(order));
  return order;
}

std::vector<bool> DependencyGraph::DependencyClosure(const std::vector<Vertex>& roots) const {
  std::vector<bool> marked(size(), false);
  std::vector<Vertex> stack(roots.begin(), roots.end());
  while (!stack.empty()) {
    Vertex v = stack.back();
    stack.pop_back();
    if (marked[v]) continue;
    marked[v] = true;
    for (auto [it, end] = boost::adjacent_vertices(v, impl_->g); it != end; ++it)
      if (!marked[*it]) stack.push_back(*it);
  }
  return marked;
}

std::vector<bool> DependencyGraph::DependentClosure(const std::vector<Vertex>& roots) const {
  std::vector<bool> marked(size(), false);
  std::vector<Vertex> stack(roots.begin(), roots.end());
  while (!stack.empty()) {
    Vertex v = stack.back();
    stack.pop_back();
    if (marked[v]) continue;
    marked[v] = true;
    for (auto [it, end] = boost::in_edges(v, impl_->g); it != end; ++it) {
      Vertex s = boost::source(*it, impl_->g);
      if (!marked[s]) stack.push_back(s);
    }
  }
  return marked;
}

namespace {

std::string DotQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string DependencyGraph::ToDot(const std::string& graph_name) const {
  std::string out = "digraph " + DotQuote(graph_name) + " {\n  rankdir = \"RL\";\n";
  std::vector<Vertex> order(size());
  for (Vertex v = 0; v < size(); ++v) order[v] = v;
  std::sort(order.begin(), order.end(), [&](Vertex a, Vertex b) { return name(a) < name(b); });
  for (Vertex v : order) out += "  " + DotQuote(name(v)) + ";\n";
  std::set<std::pair<std::string, std::string>> edges;
  for (auto [it, end] = boost::edges(impl_->g); it != end; ++it)
    edges.emplace(name(boost::source(*it, impl_->g)), name(boost::target(*it, impl_->g)));
  for (const auto& [from, to] : edges) out += "  " + DotQuote(from) + " -> " + DotQuote(to) + ";\n";
  return out + "}\n";
}

}  // namespace reconcile::graph
