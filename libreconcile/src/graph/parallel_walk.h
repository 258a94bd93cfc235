// Runs a visit over a dependency graph with bounded parallelism: each vertex
// after all of its dependencies succeeded, as many at once as allowed.
#pragma once

#include <functional>
#include <vector>

#include "graph/dependency_graph.h"

namespace reconcile::graph {

enum class VisitOutcome : unsigned char {
  kNotRun,     // never started (the walk stopped first)
  kSucceeded,
  kFailed,
  kSkipped,    // a dependency failed or was skipped
};

struct WalkOptions {
  int parallelism = 10;
  // After a failure: true = start nothing new (apply); false = keep going with
  // vertices whose dependencies all succeeded (plan, to report every error).
  bool stop_on_failure = true;
};

// Visits every vertex (or until stopped); `visit` returns success and is
// called from up to `parallelism` threads at once. The graph must be acyclic.
std::vector<VisitOutcome> ParallelWalk(const DependencyGraph& graph, const WalkOptions& options,
                                       const std::function<bool(DependencyGraph::Vertex)>& visit);

}  // namespace reconcile::graph
