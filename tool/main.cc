// reconcile: declarative infrastructure from TOML stacks.
#include <cstdio>
#include <exception>
#include <map>
#include <memory>

#include <CLI/CLI.hpp>

#include "command.h"
#include "interrupt.h"
#include "reconcile/engine.h"

namespace {

int Main(int argc, char** argv) {
  using namespace reconcile::tool;
  InstallInterruptHandling();
  CLI::App app{"reconcile: make cloud infrastructure match a TOML stack.\n"
               "Every command works on the stack in the current directory (or -C DIR)."};
  app.name("reconcile");
  app.set_version_flag("--version", std::string("reconcile ") + reconcile::Version());
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions global;
  app.add_option("-C,--chdir", global.chdir, "Run in the stack directory DIR");
  app.add_flag("--no-color", global.no_color, "Do not colour the output (NO_COLOR works too)");

  std::map<CLI::App*, std::unique_ptr<Command>> commands;
  for (const CommandInfo& info : Commands()) {
    CLI::App* sub = app.add_subcommand(info.name, info.summary);
    std::unique_ptr<Command> command = info.make();
    command->Setup(*sub);
    commands.emplace(sub, std::move(command));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (auto& [sub, command] : commands) {
    if (!sub->parsed()) continue;
    int code = command->Run(global);
    // An interrupted run exits as Terraform's does, after saving and unlocking.
    return InterruptExitCode() != 0 ? InterruptExitCode() : code;
  }
  return kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "reconcile: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "reconcile: internal error\n");
  }
  return reconcile::tool::kExitError;
}
