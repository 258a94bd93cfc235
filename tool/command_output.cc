// reconcile output [NAME] [--json|--raw]
#include <cstdio>

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
    app.add_flag("--json", json_, "JSON (sensitive values included, as Terraform does)");
    app.add_flag("--raw", raw_, "The bare value of a string, number or bool output");
  }

  int Run(const GlobalOptions& global) override {
    StackFlags flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
    if (!engine) return kExitError;
    std::map<std::string, OutputValue> outputs;
    Diagnostics diags = engine->Outputs(&outputs);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    if (name_.empty()) {
      if (json_) {
        std::string out = "{";
        for (const auto& [name, o] : outputs) {
          if (out.size() > 1) out += ",";
          out += ToJson(Value::String(name)) + ":{\"sensitive\":" + (o.sensitive ? "true" : "false") +
                 ",\"value\":" + ToJson(o.value) + "}";
        }
        std::printf("%s}\n", out.c_str());
      } else if (outputs.empty()) {
        std::printf("No outputs. Declare [output.NAME] blocks and apply.\n");
      } else {
        std::printf("%s", OutputsText(outputs).c_str());
      }
      return kExitOk;
    }
    auto it = outputs.find(name_);
    if (it == outputs.end()) {
      PrintError(global, "Output \"" + name_ + "\" not found",
                 "The state has no such output; apply the stack first, or check the name.");
      return kExitError;
    }
    const Value& v = it->second.value;
    if (json_) {
      std::printf("%s\n", ToJson(v).c_str());
    } else if (raw_) {
      if (v.is_string()) std::printf("%s", v.AsString().c_str());
      else if (v.is_number() || v.is_bool()) std::printf("%s", ToJson(v).c_str());
      else {
        PrintError(global, "--raw needs a string, number or bool output", "Use --json for lists and maps.");
        return kExitError;
      }
    } else {
      Value shown = v;
      if (it->second.sensitive) shown.set_sensitive(true);
      std::printf("%s\n", ValueText(shown).c_str());
    }
    return kExitOk;
  }

 private:
  std::string name_;
  bool json_ = false;
  bool raw_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeOutputCommand() { return std::make_unique<OutputCommand>(); }

}  // namespace reconcile::tool
