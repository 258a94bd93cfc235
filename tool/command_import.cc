// reconcile import ADDRESS ID: bring an existing object under management.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class ImportCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("ADDRESS", address_, "Where the object goes, e.g. aws_vpc.main")->required();
    app.add_option("ID", id_, "The object's id, e.g. vpc-0123")->required()->type_name("ID");
    AddStackFlags(app, flags_, /*locking=*/true);
    SetExamples(app, {
                         {"reconcile import aws_vpc.main vpc-0a1b2c3d",
                          "Manage an existing VPC as the stack's [resource.aws_vpc.main]"},
                         {"reconcile import 'aws_subnet.public[\"a\"]' subnet-0a1b2c3d",
                          "Import one instance of a for_each resource"},
                     });
  }

  int Run(const GlobalOptions& global) override {
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, nullptr);
    if (!engine) return kExitError;
    Diagnostics diags = engine->Import(address_, id_);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    fmt::print("{}\n", Styled(UseColor(global), Style::kSuccess,
                              fmt::format("Import successful: {} is now managed.", address_)));
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
