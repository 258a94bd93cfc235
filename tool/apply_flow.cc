#include "apply_flow.h"

#include <cstdio>

#include "interrupt.h"
#include "json_events.h"
#include "progress.h"
#include "ui.h"
#include "value_text.h"

namespace reconcile::tool {

int RunApplyFlow(const GlobalOptions& global, ApplyFlow& flow) {
  bool color = UseColor(global);
  if (flow.json && !flow.auto_approve) {
    PrintError(global, "--json needs --auto-approve",
               "There is no way to answer the confirmation question in JSON mode.");
    return kExitError;
  }
  JsonEventWriter json;
  ProgressPrinter progress(color, !flow.json);
  Observer* observer = flow.json ? static_cast<Observer*>(&json) : &progress;
  std::unique_ptr<Engine> engine = OpenEngine(global, flow.flags, observer);
  if (!engine) return kExitError;
  CancelOnInterrupt cancel_on_interrupt(*engine);
  bool cancelled = false;
  ApplyOptions apply;
  apply.confirm = [&](const Plan& plan) {
    if (flow.json) {
      json.WritePlan(plan, flow.plan.destroy ? "destroy" : "apply");
      return true;
    }
    std::printf("\n%s", RenderPlan(plan, {color, false}).c_str());
    if (!plan.HasChanges() || flow.auto_approve) {
      std::printf("\n");
      return true;
    }
    if (AskYes(flow.question, flow.explanation)) {
      std::printf("\n");
      return true;
    }
    cancelled = true;
    return false;
  };
  Plan plan;
  ApplySummary summary;
  Diagnostics diags = engine->PlanAndApply(flow.plan, apply, &plan, &summary);
  if (flow.json) json.WriteDiagnostics(diags);
  else PrintDiagnostics(global, diags);
  if (cancelled) {
    PrintError(global, flow.plan.destroy ? "Destroy cancelled" : "Apply cancelled",
               "Nothing was changed.");
    return kExitError;
  }
  if (diags.HasErrors()) return kExitError;
  if (!flow.plan.destroy && !flow.json) {
    std::map<std::string, OutputValue> outputs;
    engine->Outputs(&outputs);
    if (!outputs.empty()) std::printf("\nOutputs:\n\n%s", OutputsText(outputs).c_str());
  }
  return kExitOk;
}

}  // namespace reconcile::tool
