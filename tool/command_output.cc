// reconcile output [NAME] [--json|--raw]
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "json_events.h"
#include "stack_flags.h"
#include "ui.h"
#include "value_text.h"

namespace reconcile::tool {

namespace {

class OutputCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("NAME", name_, "Show only this output");
    auto* json =
        app.add_flag("--json", json_, "JSON (sensitive values included, as Terraform does)");
    app.add_flag("--raw", raw_, "The bare value of a string, number or bool output")
        ->excludes(json);
    SetExamples(app, {
                         {"reconcile output", "Every output (sensitive ones hidden)"},
                         {"reconcile output --raw vpc_id", "One output's bare value, for a script"},
                         {"reconcile output --json", "Every output as one JSON object"},
                     });
  }

  int Run(const GlobalOptions& global) override {
    StackFlags flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
    if (!engine) return kExitError;
    std::map<std::string, OutputValue> outputs;
    Diagnostics diags = engine->Outputs(&outputs);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    if (name_.empty()) return PrintAll(outputs);
    auto it = outputs.find(name_);
    if (it == outputs.end()) {
      PrintError(global, fmt::format("Output \"{}\" not found", name_),
                 "The state has no such output; apply the stack first, or check the name.");
      return kExitError;
    }
    const Value& v = it->second.value;
    if (json_) {
      fmt::print("{}\n", ToJson(v));
    } else if (raw_) {
      if (v.is_string())
        fmt::print("{}", v.AsString());
      else if (v.is_number() || v.is_bool())
        fmt::print("{}", ToJson(v));
      else {
        PrintError(global, "--raw needs a string, number or bool output",
                   "Use --json for lists and maps.");
        return kExitError;
      }
    } else {
      Value shown = v;
      if (it->second.sensitive) shown.set_sensitive(true);
      fmt::print("{}\n", ValueText(shown));
    }
    return kExitOk;
  }

 private:
  int PrintAll(const std::map<std::string, OutputValue>& outputs) const {
    if (json_) {
      std::vector<std::string> members;
      for (const auto& [name, o] : outputs)
        members.push_back(fmt::format("{}:{{\"sensitive\":{},\"value\":{}}}",
                                      ToJson(Value::String(name)), o.sensitive, ToJson(o.value)));
      fmt::print("{{{}}}\n", fmt::join(members, ","));
    } else if (outputs.empty()) {
      fmt::print("No outputs. Declare [output.NAME] blocks and apply.\n");
    } else {
      fmt::print("{}", OutputsText(outputs));
    }
    return kExitOk;
  }

  std::string name_;
  bool json_ = false;
  bool raw_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeOutputCommand() { return std::make_unique<OutputCommand>(); }

}  // namespace reconcile::tool
