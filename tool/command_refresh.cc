// reconcile refresh: read every managed resource and record what is there;
// settles operations an interrupted apply left pending.
#include <CLI/CLI.hpp>

#include "json_events.h"
#include "progress.h"
#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class RefreshCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_flag("--json", json_, "Write one JSON object per line (docs/json-format.md)");
    AddStackFlags(app, flags_, /*locking=*/true);
    SetExamples(app, {
                         {"reconcile refresh", "Record what really exists now"},
                         {"reconcile refresh --json", "The same, reported as JSON lines"},
                     });
  }

  int Run(const GlobalOptions& global) override {
    JsonEventWriter json;
    ProgressPrinter progress(UseColor(global));
    Observer* observer = json_ ? static_cast<Observer*>(&json) : &progress;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, observer);
    if (!engine) return kExitError;
    Diagnostics diags = engine->Refresh();
    if (json_)
      json.WriteDiagnostics(diags);
    else
      PrintDiagnostics(global, diags);
    return diags.HasErrors() ? kExitError : kExitOk;
  }

 private:
  StackFlags flags_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeRefreshCommand() { return std::make_unique<RefreshCommand>(); }

}  // namespace reconcile::tool
