// reconcile plan: show what apply would change; --out saves it for apply.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "command_line.h"
#include "interrupt.h"
#include "json_events.h"
#include "progress.h"
#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class PlanCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("--out", out_, "Save the plan to FILE for `reconcile apply FILE`")
        ->type_name(kFileValue);
    app.add_flag("--detailed-exitcode", detailed_,
                 "Exit 0 when nothing would change, 2 when something would, 1 on error");
    app.add_flag("--json", json_, "Write one JSON object per line (docs/json-format.md)");
    app.add_option("--target", options_.targets,
                   "Plan only this resource (and what it depends on); repeatable")
        ->type_name(kAddressValue);
    AddReplaceOption(app, options_.replace);
    AddExcludeOption(app, options_.excludes);
    AddBoolOption(app, "--refresh", options_.refresh,
                  "Read the real resources first (default true)");
    app.add_flag("--refresh-only", options_.refresh_only,
                 "Only show what changed outside reconcile");
    app.add_flag("--destroy", options_.destroy, "Plan to destroy everything");
    AddStackFlags(app, flags_, /*locking=*/true);
    SetExamples(app, {
                         {"reconcile plan",
                          "What apply would change, drift and interrupted operations included"},
                         {"reconcile plan --out tf.plan",
                          "Save the plan; `reconcile apply tf.plan` carries out exactly it"},
                         {"reconcile plan --replace aws_instance.web --exclude module.dns",
                          "Plan a new web instance; leave module.dns and what uses it alone"},
                     });
  }

  int Run(const GlobalOptions& global) override {
    bool color = UseColor(global);
    JsonEventWriter json;
    ProgressPrinter progress(color, !json_);
    Observer* observer = json_ ? static_cast<Observer*>(&json) : &progress;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, observer);
    if (!engine) return kExitError;
    CancelOnInterrupt cancel_on_interrupt(*engine);
    Plan plan;
    Diagnostics diags = engine->MakePlan(options_, &plan);
    if (json_)
      json.WriteDiagnostics(diags);
    else
      PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    if (json_) {
      json.WritePlan(plan, options_.destroy ? "destroy" : "plan");
    } else {
      fmt::print("\n{}", RenderPlan(plan, {color, false}));
    }
    if (!out_.empty()) {
      Diagnostics saved = engine->SavePlan(out_, plan);
      if (saved.HasErrors()) {
        PrintDiagnostics(global, saved);
        return kExitError;
      }
      if (!json_)
        fmt::print(
            "\nSaved the plan to: {0}\n\nTo perform exactly these actions, run:\n"
            "  reconcile apply {0}\n",
            out_);
    }
    return detailed_ && plan.HasChanges() ? kExitChanges : kExitOk;
  }

 private:
  PlanOptions options_;
  StackFlags flags_;
  std::string out_;
  bool detailed_ = false;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakePlanCommand() { return std::make_unique<PlanCommand>(); }

}  // namespace reconcile::tool
