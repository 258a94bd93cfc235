// reconcile: declarative infrastructure from TOML stacks.
#include <exception>
#include <map>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "command.h"
#include "command_line.h"

namespace {

int Main(int argc, char** argv) {
  using namespace reconcile::tool;
  CLI::App app;
  GlobalOptions global;
  SetupRootApp(app, global);

  std::map<CLI::App*, std::unique_ptr<Command>> commands;
  for (const CommandInfo& info : Commands()) {
    CLI::App* sub = app.add_subcommand(info.name, info.summary);
    std::unique_ptr<Command> command = info.make();
    command->Setup(*sub);
    commands.emplace(sub, std::move(command));
  }
  if (std::optional<int> done = ParseCommandLine(app, global, argc, argv)) return *done;
  for (auto& [sub, command] : commands)
    if (sub->parsed()) return command->Run(global);
  return kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "reconcile: internal error: {}\n", e.what());
  } catch (...) {
    fmt::print(stderr, "reconcile: internal error\n");
  }
  return reconcile::tool::kExitError;
}
