// reconcile taint|untaint ADDRESS: mark an instance for replacement by the
// next plan, or take the mark back.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class TaintCommand : public Command {
 public:
  explicit TaintCommand(bool taint) : taint_(taint) {}

  void Setup(CLI::App& app) override {
    app.add_option(
           "ADDRESS", address_,
           taint_ ? "The instance to replace at the next apply" : "The tainted instance to keep")
        ->required()
        ->type_name(kAddressValue);
    AddLockTimeoutOption(app, flags_.lock_timeout);
    if (taint_) {
      SetExamples(app, {
                           {"reconcile taint aws_instance.web",
                            "The next plan replaces the instance (\"is tainted, so must be "
                            "replaced\")"},
                           {"reconcile taint 'aws_subnet.public[\"a\"]'",
                            "One instance of a for_each resource (quote the brackets)"},
                       });
    } else {
      SetExamples(app, {
                           {"reconcile untaint aws_instance.web",
                            "Keep the instance after all: the next plan no longer replaces it"},
                           {"reconcile untaint 'aws_instance.web[0]'",
                            "One instance of a counted resource"},
                       });
    }
  }

  int Run(const GlobalOptions& global) override {
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, nullptr);
    if (!engine) return kExitError;
    Diagnostics diags = engine->SetTainted(address_, taint_);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    if (taint_)
      fmt::print("Resource instance {} has been marked as tainted.\n", address_);
    else
      fmt::print("Resource instance {} has been successfully untainted.\n", address_);
    return kExitOk;
  }

 private:
  bool taint_;
  StackFlags flags_;
  std::string address_;
};

}  // namespace

std::unique_ptr<Command> MakeTaintCommand() { return std::make_unique<TaintCommand>(true); }
std::unique_ptr<Command> MakeUntaintCommand() { return std::make_unique<TaintCommand>(false); }

}  // namespace reconcile::tool
