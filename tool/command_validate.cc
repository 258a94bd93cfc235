// reconcile validate: check the configuration; no state is read.
#include <cstdio>

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
      std::printf("%s\n", Paint(UseColor(global), "green", "Success! The configuration is valid.").c_str());
    return kExitOk;
  }

 private:
  StackFlags flags_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeValidateCommand() { return std::make_unique<ValidateCommand>(); }

}  // namespace reconcile::tool
