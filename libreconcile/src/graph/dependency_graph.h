// A directed graph of named vertices where an edge a -> b means "a depends on
// b" (b goes first). Backed by Boost.Graph; the Boost types stay in the .cc.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace reconcile::graph {

class DependencyGraph {
 public:
  using Vertex = std::size_t;

  DependencyGraph();
  ~DependencyGraph();
  DependencyGraph(DependencyGraph&&) noexcept;
  DependencyGraph& operator=(DependencyGraph&&) noexcept;

  // Adds a vertex; names need not be unique (callers keep their own index).
  Vertex AddVertex(std::string name);
  // Records that `from` depends on `to`. Duplicate edges are ignored.
  void AddDependency(Vertex from, Vertex to);

  std::size_t size() const;
  const std::string& name(Vertex v) const;
  // What v depends on / what depends on v.
  std::vector<Vertex> Dependencies(Vertex v) const;
  std::vector<Vertex> Dependents(Vertex v) const;

  // One cycle, as the vertices in dependency order with the first repeated at
  // the end (a -> b -> a); empty when the graph is acyclic.
  std::vector<Vertex> FindCycle() const;
  // Every vertex, dependencies before dependents. The graph must be acyclic.
  std::vector<Vertex> TopologicalOrder() const;
  // Marks the roots and everything they depend on, transitively.
  std::vector<bool> DependencyClosure(const std::vector<Vertex>& roots) const;
  // Marks the roots and everything that depends on them, transitively.
  std::vector<bool> DependentClosure(const std::vector<Vertex>& roots) const;

  // Graphviz DOT, edges drawn from dependent to dependency.
  std::string ToDot(const std::string& graph_name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reconcile::graph
