// The options most commands share (variables, locking, parallelism) and the
// opening of the engine on the stack they name.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "command.h"
#include "reconcile/engine.h"

namespace reconcile::tool {

struct StackFlags {
  std::vector<std::string> vars;       // --var name=value
  std::vector<std::string> var_files;  // --var-file F
  bool lock = true;
  std::string lock_timeout = "0s";
  int parallelism = 10;
};

// Adds --lock-timeout DURATION, checked as ParseDuration reads it.
CLI::Option* AddLockTimeoutOption(CLI::App& app, std::string& lock_timeout);

// Adds --var, --var-file (and, with `locking`, --lock, --lock-timeout,
// --parallelism) to a subcommand.
void AddStackFlags(CLI::App& app, StackFlags& flags, bool locking);

// Opens the engine on the stack; prints diagnostics and returns null on failure.
std::unique_ptr<Engine> OpenEngine(const GlobalOptions& global, const StackFlags& flags,
                                   Observer* observer);

// "30s", "5m", "1h", "500ms", "0" -> milliseconds; false when malformed.
bool ParseDuration(const std::string& text, std::chrono::milliseconds* out);

}  // namespace reconcile::tool
