// Running commands from the tests of this folder: the aws CLI where a failure
// is the expected answer (a deleted bucket), and any command with its output.
#pragma once

#include <string>

namespace reconcile::testing {

// Runs a shell command; returns its exit status (0 on success) and puts its
// stdout and stderr, merged, in *output when given.
int RunShell(const std::string& command, std::string* output = nullptr);

// `aws ARGS --output json` against the exported moto endpoint; the exit status.
int AwsStatus(const std::string& args, std::string* output = nullptr);

}  // namespace reconcile::testing
