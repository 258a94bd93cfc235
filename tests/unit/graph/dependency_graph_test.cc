#include "graph/dependency_graph.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace reconcile::graph {
namespace {

// Position of each vertex in an order.
std::vector<std::size_t> Positions(const std::vector<DependencyGraph::Vertex>& order) {
  std::vector<std::size_t> pos(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) pos[order[i]] = i;
  return pos;
}

TEST(DependencyGraph, TopologicalOrderPutsDependenciesFirst) {
  // given subnet -> vpc, instance -> subnet, instance -> sg -> vpc
  DependencyGraph g;
  auto vpc = g.AddVertex("aws_vpc.main");
  auto subnet = g.AddVertex("aws_subnet.a");
  auto sg = g.AddVertex("aws_security_group.web");
  auto instance = g.AddVertex("aws_instance.web");
  g.AddDependency(subnet, vpc);
  g.AddDependency(sg, vpc);
  g.AddDependency(instance, subnet);
  g.AddDependency(instance, sg);
  // when
  auto pos = Positions(g.TopologicalOrder());
  // then
  EXPECT_LT(pos[vpc], pos[subnet]);
  EXPECT_LT(pos[vpc], pos[sg]);
  EXPECT_LT(pos[subnet], pos[instance]);
  EXPECT_LT(pos[sg], pos[instance]);
  EXPECT_TRUE(g.FindCycle().empty());
}

TEST(DependencyGraph, FindCycleListsTheWholeCycle) {
  DependencyGraph g;
  auto a = g.AddVertex("local.a");
  auto b = g.AddVertex("local.b");
  auto c = g.AddVertex("local.c");
  auto outside = g.AddVertex("var.x");
  g.AddDependency(a, b);
  g.AddDependency(b, c);
  g.AddDependency(c, a);
  g.AddDependency(a, outside);
  std::vector<DependencyGraph::Vertex> cycle = g.FindCycle();
  ASSERT_EQ(cycle.size(), 4u);
  EXPECT_EQ(cycle.front(), cycle.back());
  // Every member appears once and each depends on the next.
  std::vector<DependencyGraph::Vertex> members(cycle.begin(), cycle.end() - 1);
  std::sort(members.begin(), members.end());
  EXPECT_EQ(members, (std::vector<DependencyGraph::Vertex>{a, b, c}));
  for (std::size_t i = 0; i + 1 < cycle.size(); ++i) {
    auto deps = g.Dependencies(cycle[i]);
    EXPECT_NE(std::find(deps.begin(), deps.end(), cycle[i + 1]), deps.end());
  }
}

TEST(DependencyGraph, SelfReferenceIsACycle) {
  DependencyGraph g;
  auto a = g.AddVertex("aws_vpc.main");
  g.AddDependency(a, a);
  EXPECT_EQ(g.FindCycle(), (std::vector<DependencyGraph::Vertex>{a, a}));
}

TEST(DependencyGraph, ClosuresFollowEdgesBothWays) {
  DependencyGraph g;
  auto vpc = g.AddVertex("vpc");
  auto subnet = g.AddVertex("subnet");
  auto other = g.AddVertex("other");
  g.AddDependency(subnet, vpc);
  EXPECT_EQ(g.DependencyClosure({subnet}), (std::vector<bool>{true, true, false}));
  EXPECT_EQ(g.DependentClosure({vpc}), (std::vector<bool>{true, true, false}));
  EXPECT_EQ(g.DependencyClosure({other}), (std::vector<bool>{false, false, true}));
}

TEST(DependencyGraph, DotListsVerticesAndEdgesSorted) {
  DependencyGraph g;
  auto b = g.AddVertex("b");
  auto a = g.AddVertex("a");
  g.AddDependency(b, a);
  EXPECT_EQ(g.ToDot("stack"),
            "digraph \"stack\" {\n  rankdir = \"RL\";\n  \"a\";\n  \"b\";\n  \"b\" -> \"a\";\n}\n");
}

TEST(DependencyGraph, DuplicateEdgesAreIgnored) {
  DependencyGraph g;
  auto a = g.AddVertex("a");
  auto b = g.AddVertex("b");
  g.AddDependency(a, b);
  g.AddDependency(a, b);
  EXPECT_EQ(g.Dependencies(a).size(), 1u);
  EXPECT_EQ(g.Dependents(b), (std::vector<DependencyGraph::Vertex>{a}));
}

}  // namespace
}  // namespace reconcile::graph
