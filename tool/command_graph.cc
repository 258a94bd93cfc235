// reconcile graph: the resource dependency graph in Graphviz DOT.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class GraphCommand : public Command {
 public:
  void Setup(CLI::App&) override {}

  int Run(const GlobalOptions& global) override {
    StackFlags flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
    if (!engine) return kExitError;
    std::string dot;
    Diagnostics diags = engine->Graph(&dot);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    std::printf("%s", dot.c_str());
    return kExitOk;
  }
};

}  // namespace

std::unique_ptr<Command> MakeGraphCommand() { return std::make_unique<GraphCommand>(); }

}  // namespace reconcile::tool
