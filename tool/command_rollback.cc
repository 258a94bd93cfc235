// reconcile rollback [--to SERIAL | --steps N]: deploy the release values of
// an earlier apply (docs/deploy.md).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "deploy_flow.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

// A release value as `deploy` takes it on the command line.
std::string AssignmentText(const Value& value) { return value.is_string() ? value.AsString() : ToJson(value); }

class RollbackCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    auto* to = app.add_option("--to", to_, "Roll back to the apply that left this state serial (see `history`)")
                   ->type_name("SERIAL");
    app.add_option("--steps", steps_, "Roll back N applies (default 1: the one before the current)")
        ->type_name("N")
        ->excludes(to);
    AddDeployFlags(app, flow_);
    flow_.operation = "rollback";
    SetExamples(app, {
                         {"reconcile rollback", "Deploy the release values of the apply before the current one"},
                         {"reconcile rollback --to 41 --workspace prod --auto-approve",
                          "Deploy what the apply that left serial 41 deployed, without asking"},
                     });
  }

  int Run(const GlobalOptions& global) override {
    std::vector<HistoryEntry> entries;
    {
      std::unique_ptr<Engine> engine = OpenEngine(global, flow_.flags, nullptr);
      if (!engine) return kExitError;
      Diagnostics diags = engine->History(kLimit, &entries);
      PrintDiagnostics(global, diags);
      if (diags.HasErrors()) return kExitError;
    }
    const HistoryEntry* target = Target(global, entries);
    if (target == nullptr) return kExitError;
    if (target->release.empty()) {
      PrintError(global, fmt::format("The apply of serial {} recorded no release values", target->serial),
                 "Only applies of a stack with release variables (`release = true`) can be rolled back to.");
      return kExitError;
    }
    for (const auto& [name, value] : target->release) flow_.assignments.push_back(name + "=" + AssignmentText(value));
    return RunDeployFlow(global, flow_);
  }

 private:
  static constexpr std::size_t kLimit = 50;

  const HistoryEntry* Target(const GlobalOptions& global, const std::vector<HistoryEntry>& entries) {
    if (to_ != 0) {
      for (const HistoryEntry& e : entries)
        if (e.serial == to_) return &e;
      PrintError(global, fmt::format("No apply left state serial {}", to_),
                 "`reconcile history` lists the serials that can be rolled back to.");
      return nullptr;
    }
    int steps = steps_ > 0 ? steps_ : 1;
    if (static_cast<std::size_t>(steps) < entries.size()) return &entries[static_cast<std::size_t>(steps)];
    PrintError(global, fmt::format("There is no apply {} step(s) back", steps),
               fmt::format("The history of this workspace holds {} apply(s); see `reconcile history`.",
                           entries.size()));
    return nullptr;
  }

  DeployFlow flow_;
  std::uint64_t to_ = 0;
  int steps_ = 0;
};

}  // namespace

std::unique_ptr<Command> MakeRollbackCommand() { return std::make_unique<RollbackCommand>(); }

}  // namespace reconcile::tool
