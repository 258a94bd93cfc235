// Help for the command tree, read from the CLI11 definitions each command's
// Setup makes (summary, options, value names) and the examples it attaches.
// `--help`, `reconcile help`, the man page and docs/cli.md all render this one
// source, so they cannot drift apart.
#pragma once

#include <string>
#include <vector>

#include "command.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace reconcile::tool {

// What reconcile does, in a few words (the man page's NAME line).
inline constexpr const char* kToolSummary = "make cloud infrastructure match a TOML stack";

// One row of an options or arguments table.
struct OptionHelp {
  std::string names;  // "-C, --chdir DIR", "--auto-approve", "ADDRESS..."
  std::string value;  // the value's name ("DIR"); empty for a flag
  std::string description;
};

struct EnvironmentVariable {
  const char* name;
  const char* meaning;
};

struct ExitCode {
  int code;
  const char* meaning;
};

// The environment variables reconcile reads, and its exit codes.
const std::vector<EnvironmentVariable>& EnvironmentVariables();
const std::vector<ExitCode>& ExitCodes();

const std::vector<Example>& ExamplesOf(const CLI::App& app);

// "reconcile state rm".
std::string CommandPath(const CLI::App& app);
// "reconcile state rm [options] ADDRESS...": how the command is typed.
std::string UsageLine(const CLI::App& app);
// The command's subcommands, in the order they were added.
std::vector<const CLI::App*> SubcommandsOf(const CLI::App& app);
// Its options (without --help; the root's are the global options) and its
// positional arguments.
std::vector<OptionHelp> OptionsOf(const CLI::App& app);
std::vector<OptionHelp> ArgumentsOf(const CLI::App& app);
// Every long and short option name `app` accepts, the global ones included.
std::vector<std::string> OptionNamesOf(const CLI::App& app);

// The option `name` ("--target", "-C") of `command` or of a command above it
// (the global options are the root's); null when there is none.
const CLI::Option* FindOption(const CLI::App& command, const std::string& name);
// Whether `option` is a flag: given alone, without a value.
bool TakesNoValue(const CLI::Option& option);

// The command `words` names below `root` ({"state", "rm"}); null when a word
// names nothing, with that word in *unknown.
const CLI::App* FindCommand(const CLI::App& root, const std::vector<std::string>& words,
                            std::string* unknown);

// A command's --help: usage, summary, subcommands or arguments, options,
// examples last. The root's lists every command and the global options.
std::string HelpText(const CLI::App& app);

// The whole reference as a man page (roff, section 1) and as Markdown (docs/cli.md).
std::string ManPage(const CLI::App& root);
std::string MarkdownReference(const CLI::App& root);

}  // namespace reconcile::tool
