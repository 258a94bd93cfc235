// reconcile destroy: destroy everything the workspace manages.
#include <CLI/CLI.hpp>

#include "apply_flow.h"
#include "command_line.h"

namespace reconcile::tool {

namespace {

class DestroyCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_flag("--auto-approve", flow_.auto_approve, "Do not ask for confirmation");
    app.add_flag("--json", flow_.json, "Write one JSON object per line (needs --auto-approve)");
    app.add_option("--target", flow_.plan.targets,
                   "Destroy only this resource and what depends on it")
        ->type_name(kAddressValue);
    AddBoolOption(app, "--refresh", flow_.plan.refresh,
                  "Read the real resources first (default true)");
    AddStackFlags(app, flow_.flags, /*locking=*/true);
    flow_.plan.destroy = true;
    flow_.question = "Do you really want to destroy all resources?";
    flow_.explanation =
        "reconcile will destroy all your managed infrastructure, as shown above. There is no undo.";
    SetExamples(app, {
                         {"reconcile destroy", "Show what would be destroyed and ask for \"yes\""},
                         {"reconcile destroy --target aws_instance.scratch",
                          "Destroy one resource and what depends on it"},
                         {"reconcile --workspace dev destroy --auto-approve",
                          "Tear down the dev workspace without asking"},
                     });
  }

  int Run(const GlobalOptions& global) override { return RunApplyFlow(global, flow_); }

 private:
  ApplyFlow flow_;
};

}  // namespace

std::unique_ptr<Command> MakeDestroyCommand() { return std::make_unique<DestroyCommand>(); }

}  // namespace reconcile::tool
