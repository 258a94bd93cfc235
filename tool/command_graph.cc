// reconcile graph: the resource dependency graph in Graphviz DOT.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class GraphCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    SetExamples(app,
                {
                    {"reconcile graph | dot -Tsvg > graph.svg", "Draw the graph with Graphviz"},
                    {"reconcile graph > graph.dot", "Save it in DOT"},
                });
  }

  int Run(const GlobalOptions& global) override {
    StackFlags flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
    if (!engine) return kExitError;
    std::string dot;
    Diagnostics diags = engine->Graph(&dot);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    fmt::print("{}", dot);
    return kExitOk;
  }
};

}  // namespace

std::unique_ptr<Command> MakeGraphCommand() { return std::make_unique<GraphCommand>(); }

}  // namespace reconcile::tool
