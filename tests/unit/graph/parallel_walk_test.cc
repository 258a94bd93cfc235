#include "graph/parallel_walk.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace reconcile::graph {
namespace {

using Vertex = DependencyGraph::Vertex;

// A chain 0 <- 1 <- 2 plus `fan` independent vertices depending on 0.
DependencyGraph ChainWithFan(int fan) {
  DependencyGraph g;
  for (int i = 0; i < 3 + fan; ++i) g.AddVertex("v" + std::to_string(i));
  g.AddDependency(1, 0);
  g.AddDependency(2, 1);
  for (int i = 0; i < fan; ++i) g.AddDependency(3 + i, 0);
  return g;
}

TEST(ParallelWalk, VisitsEachVertexOnceAfterItsDependencies) {
  DependencyGraph g = ChainWithFan(20);
  std::mutex mutex;
  std::vector<Vertex> order;
  auto outcome = ParallelWalk(g, {4, true}, [&](Vertex v) {
    std::lock_guard<std::mutex> lock(mutex);
    order.push_back(v);
    return true;
  });
  ASSERT_EQ(order.size(), g.size());
  std::vector<std::size_t> pos(g.size());
  for (std::size_t i = 0; i < order.size(); ++i) pos[order[i]] = i;
  EXPECT_LT(pos[0], pos[1]);
  EXPECT_LT(pos[1], pos[2]);
  for (Vertex v = 3; v < g.size(); ++v) EXPECT_LT(pos[0], pos[v]);
  for (VisitOutcome o : outcome) EXPECT_EQ(o, VisitOutcome::kSucceeded);
}

TEST(ParallelWalk, NeverRunsMoreThanParallelismAtOnce) {
  DependencyGraph g;
  for (int i = 0; i < 40; ++i) g.AddVertex("v");
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  ParallelWalk(g, {3, true}, [&](Vertex) {
    int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    --running;
    return true;
  });
  EXPECT_LE(most.load(), 3);
  EXPECT_GE(most.load(), 2);  // and it did run work side by side
}

TEST(ParallelWalk, StopOnFailureStartsNothingNewButFinishesInFlight) {
  // given one vertex that fails and a long queue of independent ones
  DependencyGraph g;
  for (int i = 0; i < 30; ++i) g.AddVertex("v");
  std::atomic<int> visited{0};
  auto outcome = ParallelWalk(g, {1, true}, [&](Vertex v) {
    ++visited;
    return v != 0;
  });
  // then with parallelism 1 the failure of the first stops everything else
  EXPECT_EQ(visited.load(), 1);
  EXPECT_EQ(outcome[0], VisitOutcome::kFailed);
  for (Vertex v = 1; v < g.size(); ++v) EXPECT_EQ(outcome[v], VisitOutcome::kNotRun);
}

TEST(ParallelWalk, KeepGoingSkipsOnlyDependentsOfFailures) {
  DependencyGraph h;
  auto a = h.AddVertex("a");
  auto b = h.AddVertex("b");
  auto c = h.AddVertex("c");
  auto d = h.AddVertex("d");
  h.AddDependency(b, a);
  h.AddDependency(c, b);
  (void)d;
  auto outcome = ParallelWalk(h, {2, false}, [&](Vertex v) { return v != a; });
  EXPECT_EQ(outcome[a], VisitOutcome::kFailed);
  EXPECT_EQ(outcome[b], VisitOutcome::kSkipped);
  EXPECT_EQ(outcome[c], VisitOutcome::kSkipped);
  EXPECT_EQ(outcome[d], VisitOutcome::kSucceeded);
}

TEST(ParallelWalk, EmptyGraphVisitsNothing) {
  DependencyGraph g;
  EXPECT_TRUE(ParallelWalk(g, {10, true}, [](Vertex) { return true; }).empty());
}

}  // namespace
}  // namespace reconcile::graph
