#include "apply_flow.h"

#include <fmt/format.h>

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
  bool cancelled = false;
  ApplyOptions apply;
  apply.confirm = [&](const Plan& plan) {
    if (flow.json) {
      json.WritePlan(plan, flow.plan.destroy ? "destroy" : "plan");
      return true;
    }
    fmt::print("\n{}", RenderPlan(plan, {color, false}));
    if (!plan.HasChanges() || flow.auto_approve) {
      fmt::print("\n");
      return true;
    }
    if (AskYes(flow.question, flow.explanation)) {
      fmt::print("\n");
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
  if (!flow.plan.destroy) {
    std::map<std::string, OutputValue> outputs;
    engine->Outputs(&outputs);
    if (flow.json) json.WriteOutputs(outputs);
    else if (!outputs.empty()) fmt::print("\nOutputs:\n\n{}", OutputsText(outputs));
  }
  return kExitOk;
}

}  // namespace reconcile::tool
