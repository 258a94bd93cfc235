// reconcile import ADDRESS ID: bring an existing object under management.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "interrupt.h"
#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class ImportCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("ADDRESS", address_, "Where the object goes, e.g. aws_vpc.main")->required();
    app.add_option("ID", id_, "The object's id, e.g. vpc-0123")->required();
    AddStackFlags(app, flags_, /*locking=*/true);
  }

  int Run(const GlobalOptions& global) override {
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, nullptr);
    if (!engine) return kExitError;
    CancelOnInterrupt cancel_on_interrupt(*engine);
    Diagnostics diags = engine->Import(address_, id_);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    std::printf("%s\n", Paint(UseColor(global), "green", "Import successful: " + address_ + " is now managed.").c_str());
    return kExitOk;
  }

 private:
  StackFlags flags_;
  std::string address_;
  std::string id_;
};

}  // namespace

std::unique_ptr<Command> MakeImportCommand() { return std::make_unique<ImportCommand>(); }

}  // namespace reconcile::tool
