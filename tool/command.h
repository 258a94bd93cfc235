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
class Option;
}  // namespace CLI

namespace reconcile::tool {

// Options every command takes (before or after the command's name).
struct GlobalOptions {
  std::string chdir = ".";
  std::string workspace;  // --workspace; empty: RECONCILE_WORKSPACE, then the selected one
  bool no_color = false;
};

// Exit codes, as Terraform users know them.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitChanges = 2;  // plan --detailed-exitcode
inline constexpr int kExitNotFormatted = 3;  // fmt --check

// A value's name in help says what it is, and completion offers values by it
// (completion.h): use these for the kinds completion knows.
inline constexpr const char* kAddressValue = "ADDRESS";      // an address in the state
inline constexpr const char* kWorkspaceValue = "WORKSPACE";  // a workspace of the backend
inline constexpr const char* kFileValue = "FILE";            // a path; DIR for a directory
inline constexpr const char* kDirValue = "DIR";
inline constexpr const char* kCommandValue = "COMMAND";  // a command's name (`help`)
// Any other value name with '|' in it ("bash|zsh|fish") completes to its words.

// A command line shown at the end of a command's help, and what it does.
struct Example {
  std::string command;
  std::string explanation;
};

// Gives `app`'s help (--help, `reconcile help`, the man page, docs/cli.md)
// two or three examples; it lists them last.
void SetExamples(CLI::App& app, std::vector<Example> examples);

class Command {
 public:
  virtual ~Command() = default;
  // Adds options and positional arguments to `app`, with a value name on each
  // option that takes a value, and examples (SetExamples).
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
std::unique_ptr<Command> MakeDeployCommand();
std::unique_ptr<Command> MakeHistoryCommand();
std::unique_ptr<Command> MakeRollbackCommand();
std::unique_ptr<Command> MakeRefreshCommand();
std::unique_ptr<Command> MakeShowCommand();
std::unique_ptr<Command> MakeOutputCommand();
std::unique_ptr<Command> MakeStateCommand();
std::unique_ptr<Command> MakeWorkspaceCommand();
std::unique_ptr<Command> MakeForceUnlockCommand();
std::unique_ptr<Command> MakeGraphCommand();
std::unique_ptr<Command> MakeImportCommand();
std::unique_ptr<Command> MakeTaintCommand();
std::unique_ptr<Command> MakeUntaintCommand();
std::unique_ptr<Command> MakeConsoleCommand();
std::unique_ptr<Command> MakeFmtCommand();
std::unique_ptr<Command> MakeVersionCommand();
std::unique_ptr<Command> MakeHelpCommand();
std::unique_ptr<Command> MakeCompletionCommand();

}  // namespace reconcile::tool
