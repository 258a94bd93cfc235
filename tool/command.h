// A subcommand of `reconcile`: it declares its options on a CLI11 subcommand
// and runs with the options parsed. Each lives in command_<name>.cc and is
// listed once in commands.cc.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace reconcile::tool {

// Options that come before the subcommand.
struct GlobalOptions {
  std::string chdir = ".";
  bool no_color = false;
};

// Exit codes, as Terraform users know them.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitChanges = 2;  // plan --detailed-exitcode

class Command {
 public:
  virtual ~Command() = default;
  // Adds options and positional arguments to `app`.
  virtual void Setup(CLI::App& app) = 0;
  // Runs once parsing succeeded; returns the process exit code.
  virtual int Run(const GlobalOptions& global) = 0;
};

struct CommandInfo {
  const char* name;
  const char* summary;
  std::unique_ptr<Command> (*make)();
};

// Every subcommand, in the order `reconcile --help` lists them.
const std::vector<CommandInfo>& Commands();

std::unique_ptr<Command> MakeInitCommand();
std::unique_ptr<Command> MakeValidateCommand();
std::unique_ptr<Command> MakePlanCommand();
std::unique_ptr<Command> MakeApplyCommand();
std::unique_ptr<Command> MakeDestroyCommand();
std::unique_ptr<Command> MakeRefreshCommand();
std::unique_ptr<Command> MakeShowCommand();
std::unique_ptr<Command> MakeOutputCommand();
std::unique_ptr<Command> MakeStateCommand();
std::unique_ptr<Command> MakeWorkspaceCommand();
std::unique_ptr<Command> MakeForceUnlockCommand();
std::unique_ptr<Command> MakeGraphCommand();
std::unique_ptr<Command> MakeImportCommand();
std::unique_ptr<Command> MakeVersionCommand();

}  // namespace reconcile::tool
