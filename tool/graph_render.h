// Pictures of the resource graph, drawn by Graphviz's library (libgvc,
// libcgraph): resources grouped by module, and, from a plan, each instance
// coloured by its planned action.
#pragma once

#include <string>

#include "reconcile/resource_graph.h"

namespace reconcile::tool {

// The fill colour of a planned action in a drawing ("#rrggbb").
std::string ActionColor(Action action);

// Lays `graph` out and renders it as "svg", "png" or "dot" (DOT with the
// layout) into `out`; false with `error` when Graphviz fails.
bool DrawGraph(const ResourceGraph& graph, const std::string& format, std::string* out,
               std::string* error);

}  // namespace reconcile::tool
