// reconcile init: check the backend (creating it with --bootstrap), offer to
// migrate local state into a remote backend, and find the providers.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class InitCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_flag("--bootstrap", options_.bootstrap,
                 "Create the state bucket and lock table when missing (the very first time)");
    app.add_flag("--migrate-state", options_.migrate_state,
                 "Copy existing local state into the configured remote backend");
    SetExamples(app, {
                         {"reconcile init", "Check the backend and find the provider plugins"},
                         {"reconcile init --bootstrap",
                          "The very first time: create the state bucket and lock table"},
                         {"reconcile init --migrate-state",
                          "After adding [backend.s3]: copy the local state into it"},
                     });
  }

  int Run(const GlobalOptions& global) override {
    StackFlags flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
    if (!engine) return kExitError;
    std::vector<std::string> report;
    Diagnostics diags = engine->Init(options_, &report);
    for (const std::string& line : report) fmt::print("{}\n", line);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    fmt::print("\n{}\n",
               Styled(UseColor(global), Style::kSuccess, "reconcile has been initialized."));
    return kExitOk;
  }

 private:
  InitOptions options_;
};

}  // namespace

std::unique_ptr<Command> MakeInitCommand() { return std::make_unique<InitCommand>(); }

}  // namespace reconcile::tool
