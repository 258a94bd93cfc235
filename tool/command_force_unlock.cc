// reconcile force-unlock LOCK_ID: release a lock a dead process left behind.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class ForceUnlockCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("LOCK_ID", lock_id_, "The lock's ID, as the lock error printed it")->required();
    app.add_flag("--force", force_, "Do not ask for confirmation");
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
    std::printf("The state lock %s has been released.\n", lock_id_.c_str());
    return kExitOk;
  }

 private:
  std::string lock_id_;
  bool force_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeForceUnlockCommand() { return std::make_unique<ForceUnlockCommand>(); }

}  // namespace reconcile::tool
