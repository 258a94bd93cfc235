// reconcile history: the workspace's applies, newest first (docs/deploy.md).
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "command_line.h"
#include "json_events.h"
#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

using nlohmann::json;

// "image_tag=v3 token=(sensitive value)".
std::string ReleaseText(const std::map<std::string, Value>& release) {
  std::string out;
  for (const auto& [name, value] : release) out += (out.empty() ? "" : " ") + name + "=" + ReleaseValueText(value);
  return out.empty() ? "-" : out;
}

std::string TaskDefinitionsText(const std::map<std::string, std::string>& task_definitions) {
  std::string out;
  for (const auto& [address, name] : task_definitions) out += (out.empty() ? "" : " ") + name;
  return out.empty() ? "-" : out;
}

class HistoryCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_flag("--json", json_, "Print the history as one JSON document");
    app.add_option("--limit", limit_, "Show at most N applies (default 20)")->type_name("N")->check(WholeNumberFrom(1, 1000));
    SetExamples(app, {
                         {"reconcile history", "Applies of the selected workspace, newest first, with release values"},
                         {"reconcile history --workspace prod --json",
                          "The same for prod, as JSON (serial, time, who, operation, summary, release, "
                          "task_definitions)"},
                     });
  }

  int Run(const GlobalOptions& global) override {
    std::unique_ptr<Engine> engine = OpenEngine(global, StackFlags{}, nullptr);
    if (!engine) return kExitError;
    std::vector<HistoryEntry> entries;
    Diagnostics diags = engine->History(static_cast<std::size_t>(limit_), &entries);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    if (json_) {
      fmt::print("{}\n", json::parse(HistoryToJson(engine->workspace(), entries)).dump(2));
      return kExitOk;
    }
    if (entries.empty()) {
      fmt::print("No applies recorded for workspace \"{}\" yet.\n", engine->workspace());
      return kExitOk;
    }
    fmt::print("{:>6}  {:<20}  {:<16}  {:<9}  {:<11}  {}  [{}]\n", "SERIAL", "TIME", "WHO", "OPERATION", "+ ~ -",
               "RELEASE", "TASK DEFINITIONS");
    for (const HistoryEntry& e : entries)
      fmt::print("{:>6}  {:<20}  {:<16}  {:<9}  {:<11}  {}  [{}]\n", e.serial, e.apply.time, e.apply.who,
                 e.apply.operation, fmt::format("+{} ~{} -{}", e.apply.add, e.apply.change, e.apply.destroy),
                 ReleaseText(e.release), TaskDefinitionsText(e.task_definitions));
    return kExitOk;
  }

 private:
  bool json_ = false;
  int limit_ = 20;
};

}  // namespace

std::unique_ptr<Command> MakeHistoryCommand() { return std::make_unique<HistoryCommand>(); }

}  // namespace reconcile::tool
