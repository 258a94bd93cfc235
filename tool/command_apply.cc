// reconcile apply [PLANFILE]: make the infrastructure match the stack.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "apply_flow.h"
#include "command_line.h"
#include "interrupt.h"
#include "json_events.h"
#include "progress.h"
#include "ui.h"
#include "value_text.h"

namespace reconcile::tool {

namespace {

class ApplyCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("PLANFILE", plan_file_, "A plan saved by `reconcile plan --out`")
        ->type_name(kFileValue);
    app.add_flag("--auto-approve", flow_.auto_approve, "Do not ask for confirmation");
    app.add_flag("--json", flow_.json, "Write one JSON object per line (needs --auto-approve)");
    app.add_option("--target", flow_.plan.targets, "Apply only this resource and its dependencies")
        ->type_name(kAddressValue);
    AddReplaceOption(app, flow_.plan.replace);
    AddExcludeOption(app, flow_.plan.excludes);
    AddBoolOption(app, "--refresh", flow_.plan.refresh,
                  "Read the real resources first (default true)");
    app.add_flag("--refresh-only", flow_.plan.refresh_only,
                 "Only record what changed outside reconcile");
    AddStackFlags(app, flow_.flags, /*locking=*/true);
    flow_.question = "Do you want to perform these actions?";
    flow_.explanation = "reconcile will perform the actions described above.";
    SetExamples(app,
                {
                    {"reconcile apply", "Show the plan, ask for \"yes\", then carry it out"},
                    {"reconcile apply tf.plan",
                     "Carry out a plan saved by `reconcile plan --out tf.plan`, without asking"},
                    {"reconcile apply --auto-approve --var image_tag=v42",
                     "In CI: apply with a variable set, without asking"},
                });
  }

  int Run(const GlobalOptions& global) override {
    if (plan_file_.empty()) return RunApplyFlow(global, flow_);
    return ApplySaved(global);
  }

 private:
  int ApplySaved(const GlobalOptions& global) {
    bool color = UseColor(global);
    JsonEventWriter json;
    ProgressPrinter progress(color, false);
    Observer* observer = flow_.json ? static_cast<Observer*>(&json) : &progress;
    StackFlags flags = flow_.flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, observer);
    if (!engine) return kExitError;
    Plan plan;
    Diagnostics diags = engine->LoadPlan(plan_file_, &plan);
    if (diags.HasErrors()) {
      PrintDiagnostics(global, diags);
      return kExitError;
    }
    CancelOnInterrupt cancel_on_interrupt(*engine);
    ApplySummary summary;
    diags = engine->Apply(plan, ApplyOptions{}, &summary);
    if (flow_.json)
      json.WriteDiagnostics(diags);
    else
      PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    std::map<std::string, OutputValue> outputs;
    engine->Outputs(&outputs);
    if (flow_.json)
      json.WriteOutputs(outputs);
    else if (!outputs.empty())
      fmt::print("\nOutputs:\n\n{}", OutputsText(outputs));
    return kExitOk;
  }

  ApplyFlow flow_;
  std::string plan_file_;
};

}  // namespace

std::unique_ptr<Command> MakeApplyCommand() { return std::make_unique<ApplyCommand>(); }

}  // namespace reconcile::tool
