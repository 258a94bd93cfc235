// reconcile show [PLANFILE] [--json]: the state, or a saved plan.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "command_line.h"
#include "stack_flags.h"
#include "ui.h"
#include "value_text.h"

namespace reconcile::tool {

namespace {

class ShowCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("PLANFILE", plan_file_, "A plan saved by `reconcile plan --out`")
        ->type_name(kFileValue);
    app.add_flag("--json", json_, "Machine-readable output (docs/json-format.md)");
    app.add_option("--format", format_,
                   "text (default), json (as --json), or markdown: a saved plan as a "
                   "pull-request comment")
        ->check(OneOf({"text", "json", "markdown"}))
        ->type_name("text|json|markdown");
    SetExamples(
        app, {
                 {"reconcile show", "Every resource in the workspace's state, with its attributes"},
                 {"reconcile show tf.plan", "A saved plan, as `plan` showed it"},
                 {"reconcile show --format markdown tf.plan > plan.md",
                  "A saved plan as a pull-request comment (examples/ci/)"},
             });
  }

  int Run(const GlobalOptions& global) override {
    if (format_ == "json") json_ = true;
    if (format_ == "markdown" && plan_file_.empty()) {
      PrintError(global, "--format markdown shows a saved plan",
                 "Name the plan file: `reconcile plan --out tf.plan`, then "
                 "`reconcile show --format markdown tf.plan`.");
      return kExitError;
    }
    if (!plan_file_.empty()) return ShowPlan(global);
    StackFlags flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
    if (!engine) return kExitError;
    State state;
    Diagnostics diags = engine->ReadState(&state);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    if (json_) {
      fmt::print("{}\n", StateJson(state));
      return kExitOk;
    }
    if (state.resources.empty() && state.outputs.empty()) {
      fmt::print("The state is empty: workspace \"{}\" manages nothing.\n", engine->workspace());
      return kExitOk;
    }
    for (const auto& [address, r] : state.resources) {
      fmt::print("# {}:{}\n{}\n\n", address, r.tainted ? " (tainted)" : "",
                 ValueText(r.attributes));
    }
    if (!state.outputs.empty()) {
      std::map<std::string, OutputValue> outputs;
      for (const auto& [name, o] : state.outputs) outputs[name] = {o.value, o.sensitive};
      fmt::print("Outputs:\n\n{}", OutputsText(outputs));
    }
    return kExitOk;
  }

 private:
  int ShowPlan(const GlobalOptions& global) {
    StackFlags flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
    if (!engine) return kExitError;
    Plan plan;
    Diagnostics diags = engine->LoadPlan(plan_file_, &plan);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    if (format_ == "markdown")
      fmt::print("{}", RenderPlanMarkdown(plan, {}));
    else if (json_)
      fmt::print("{}\n", PlanToJson(plan));
    else
      fmt::print("{}", RenderPlan(plan, {UseColor(global), false}));
    return kExitOk;
  }

  // The state without sensitive values (those become null, listed as sensitive).
  static std::string StateJson(const State& state) {
    State shown = state;
    for (auto& [address, r] : shown.resources) r.attributes = Hide(r.attributes);
    for (auto& [name, o] : shown.outputs)
      if (o.sensitive) o.value = Value();
    return SerializeState(shown);
  }

  static Value Hide(const Value& v) {
    if (v.sensitive()) return Value::String("(sensitive value)");
    Value out = v;
    if (out.is_list())
      for (Value& item : out.MutableList()) item = Hide(item);
    if (out.is_map())
      for (auto& [k, item] : out.MutableMap()) item = Hide(item);
    return out;
  }

  std::string plan_file_;
  bool json_ = false;
  std::string format_ = "text";
};

}  // namespace

std::unique_ptr<Command> MakeShowCommand() { return std::make_unique<ShowCommand>(); }

}  // namespace reconcile::tool
