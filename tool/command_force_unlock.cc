// reconcile force-unlock LOCK_ID: release a lock a dead process left behind.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class ForceUnlockCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("LOCK_ID", lock_id_, "The lock's ID, as the lock error printed it")
        ->required()
        ->type_name("ID");
    app.add_flag("--force", force_, "Do not ask for confirmation");
    SetExamples(
        app,
        {
            {"reconcile force-unlock 6f1c2a9e-0b7d-4c55-9e21-7a8b6c5d4e3f",
             "Release the lock a killed run left, after checking nothing still works"},
            {"reconcile --workspace prod force-unlock --force 6f1c2a9e-0b7d-4c55-9e21-7a8b6c5d4e3f",
             "The same in the prod workspace, without asking"},
        });
  }

  int Run(const GlobalOptions& global) override {
    StackFlags flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
    if (!engine) return kExitError;
    if (!force_ &&
        !AskYes("Do you really want to force-unlock?",
                "Another process may still be working; unlocking would let two write the state.")) {
      PrintError(global, "Force-unlock cancelled", "The lock is still held.");
      return kExitError;
    }
    Diagnostics diags = engine->ForceUnlock(lock_id_);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    fmt::print("The state lock {} has been released.\n", lock_id_);
    return kExitOk;
  }

 private:
  std::string lock_id_;
  bool force_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeForceUnlockCommand() { return std::make_unique<ForceUnlockCommand>(); }

}  // namespace reconcile::tool
