// reconcile show [PLANFILE] [--json]: the state, or a saved plan.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"
#include "value_text.h"

namespace reconcile::tool {

namespace {

class ShowCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("PLANFILE", plan_file_, "A plan saved by `reconcile plan --out`");
    app.add_flag("--json", json_, "Machine-readable output (docs/json-format.md)");
  }

  int Run(const GlobalOptions& global) override {
    if (!plan_file_.empty()) return ShowPlan(global);
    StackFlags flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
    if (!engine) return kExitError;
    State state;
    Diagnostics diags = engine->ReadState(&state);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    if (json_) {
      std::printf("%s\n", StateJson(state).c_str());
      return kExitOk;
    }
    if (state.resources.empty() && state.outputs.empty()) {
      std::printf("The state is empty: workspace \"%s\" manages nothing.\n", engine->workspace().c_str());
      return kExitOk;
    }
    for (const auto& [address, r] : state.resources) {
      std::printf("# %s:%s\n%s\n\n", address.c_str(), r.tainted ? " (tainted)" : "",
                  ValueText(r.attributes).c_str());
    }
    if (!state.outputs.empty()) {
      std::map<std::string, OutputValue> outputs;
      for (const auto& [name, o] : state.outputs) outputs[name] = {o.value, o.sensitive};
      std::printf("Outputs:\n\n%s", OutputsText(outputs).c_str());
    }
    return kExitOk;
  }

 private:
  int ShowPlan(const GlobalOptions& global) {
    Plan plan;
    Diagnostics diags = ReadPlanFile(plan_file_, &plan);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    if (json_) std::printf("%s\n", PlanToJson(plan).c_str());
    else std::printf("%s", RenderPlan(plan, {UseColor(global), false}).c_str());
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
};

}  // namespace

std::unique_ptr<Command> MakeShowCommand() { return std::make_unique<ShowCommand>(); }

}  // namespace reconcile::tool
