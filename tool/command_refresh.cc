// reconcile refresh: read every managed resource and record what is there;
// settles operations an interrupted apply left pending.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "interrupt.h"
#include "progress.h"
#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class RefreshCommand : public Command {
 public:
  void Setup(CLI::App& app) override { AddStackFlags(app, flags_, /*locking=*/true); }

  int Run(const GlobalOptions& global) override {
    ProgressPrinter progress(UseColor(global));
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, &progress);
    if (!engine) return kExitError;
    CancelOnInterrupt cancel_on_interrupt(*engine);
    Diagnostics diags = engine->Refresh();
    PrintDiagnostics(global, diags);
    return diags.HasErrors() ? kExitError : kExitOk;
  }

 private:
  StackFlags flags_;
};

}  // namespace

std::unique_ptr<Command> MakeRefreshCommand() { return std::make_unique<RefreshCommand>(); }

}  // namespace reconcile::tool
