// The resource block graph of a stack as reconcile/resource_graph.h describes
// it, for drawing.
#pragma once

#include "engine/config_graph.h"
#include "reconcile/resource_graph.h"

namespace reconcile::engine {

// One node per resource block (managed and data), sorted by address, with an
// edge to each block it depends on.
ResourceGraph DescribeResourceGraph(const ConfigGraph& graph);

}  // namespace reconcile::engine
