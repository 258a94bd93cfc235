// The command line's own contract: the global options, and parsing that ends
// in help, a version, a usage error or a command to run. A usage error names
// what was wrong (with "did you mean" when a known name is close), shows the
// usage line of the command it concerns and exits 1, never a parser's own
// code; `reconcile` or `reconcile workspace` alone print their command list
// and exit 1.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "command.h"

namespace CLI {
class Validator;
}

namespace reconcile::tool {

// Names, describes and adds the global options to the root command; before
// any subcommand is added, which inherit its parsing settings.
void SetupRootApp(CLI::App& app, GlobalOptions& global);

// Parses the command line into `app`. Returns the exit code when the run ends
// here (help or version printed, usage error reported, completion answered),
// or nullopt when the parsed command is to run.
std::optional<int> ParseCommandLine(CLI::App& app, const GlobalOptions& global, int argc,
                                    char** argv);

// Checks for option values whose failures read as usage errors: a whole
// number in a range, one of a few words.
CLI::Validator WholeNumberFrom(int low, int high);
CLI::Validator OneOf(std::vector<std::string> words);

// Adds an option taking true or false ("--refresh=false").
CLI::Option* AddBoolOption(CLI::App& app, const std::string& name, bool& value,
                           const std::string& description);

// Reports a usage error about `command` (stderr: the message, its usage line
// and where to read more) and returns kExitError.
int UsageError(const GlobalOptions& global, const CLI::App& command, const std::string& message);

// ` (did you mean "x"?)`-style ending for a message about the unknown `word`,
// "" when none of `candidates` is close.
std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace reconcile::tool
