// reconcile validate: check the configuration; no state is read.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "json_events.h"
#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class ValidateCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_flag("--json", json_, "Write diagnostics as JSON lines");
    AddStackFlags(app, flags_, /*locking=*/false);
    SetExamples(app, {
                         {"reconcile validate", "Check the stack in this directory"},
                         {"reconcile -C stacks/web validate --json",
                          "Check another stack; diagnostics as JSON lines for an editor or CI"},
                     });
  }

  int Run(const GlobalOptions& global) override {
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, nullptr);
    if (!engine) return kExitError;
    Diagnostics diags = engine->Validate();
    if (json_) {
      JsonEventWriter json;
      json.WriteDiagnostics(diags);
    } else {
      PrintDiagnostics(global, diags);
    }
    if (diags.HasErrors()) return kExitError;
    if (!json_)
      fmt::print("{}\n",
                 Styled(UseColor(global), Style::kSuccess, "Success! The configuration is valid."));
    return kExitOk;
  }

 private:
  StackFlags flags_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeValidateCommand() { return std::make_unique<ValidateCommand>(); }

}  // namespace reconcile::tool
