// reconcile graph [--format dot|svg|png] [--plan PLANFILE]: the resource
// dependency graph, in DOT or drawn by Graphviz's library.
#include <cstdio>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "command_line.h"
#include "graph_render.h"
#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class GraphCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("--format", format_,
                   "dot (default: Graphviz's text), svg or png (drawn, grouped by module)")
        ->check(OneOf({"dot", "svg", "png"}))
        ->type_name("dot|svg|png");
    app.add_option("--plan", plan_file_,
                   "Draw this saved plan: one node per instance, coloured by its action")
        ->type_name(kFileValue);
    SetExamples(app,
                {
                    {"reconcile graph --format svg > graph.svg", "Draw the stack's resources"},
                    {"reconcile plan --out tf.plan && reconcile graph --format svg --plan tf.plan "
                     "> plan.svg",
                     "Draw what a plan does: create, update, replace, delete in their colours"},
                    {"reconcile graph > graph.dot", "Save it in DOT"},
                });
  }

  int Run(const GlobalOptions& global) override {
    ResourceGraph graph;
    if (!plan_file_.empty()) {
      Plan plan;
      Diagnostics diags = ReadPlanFile(plan_file_, &plan);
      PrintDiagnostics(global, diags);
      if (diags.HasErrors()) return kExitError;
      graph = GraphOfPlan(plan);
    } else {
      StackFlags flags;
      std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
      if (!engine) return kExitError;
      Diagnostics diags;
      if (format_ == "dot") {
        // The dependency graph as the engine keeps it, without a layout.
        std::string dot;
        diags = engine->Graph(&dot);
        PrintDiagnostics(global, diags);
        if (diags.HasErrors()) return kExitError;
        fmt::print("{}", dot);
        return kExitOk;
      }
      diags = engine->DescribeGraph(&graph);
      PrintDiagnostics(global, diags);
      if (diags.HasErrors()) return kExitError;
    }
    std::string drawn;
    std::string error;
    if (!DrawGraph(graph, format_, &drawn, &error)) {
      PrintError(global, "Cannot draw the graph", error);
      return kExitError;
    }
    std::fwrite(drawn.data(), 1, drawn.size(), stdout);
    return kExitOk;
  }

 private:
  std::string format_ = "dot";
  std::string plan_file_;
};

}  // namespace

std::unique_ptr<Command> MakeGraphCommand() { return std::make_unique<GraphCommand>(); }

}  // namespace reconcile::tool
