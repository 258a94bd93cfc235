#include "stack_flags.h"

#include <cstdlib>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "command_line.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

// Accepts what ParseDuration does.
CLI::Validator Duration() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::chrono::milliseconds ignored;
        if (ParseDuration(text, &ignored)) return {};
        return fmt::format("expected a duration such as 0s, 30s, 5m or 1h, not \"{}\"", text);
      },
      "");
}

}  // namespace

CLI::Option* AddLockTimeoutOption(CLI::App& app, std::string& lock_timeout) {
  return app
      .add_option("--lock-timeout", lock_timeout,
                  "How long to wait for a held state lock, e.g. 30s (default 0s)")
      ->type_name("DURATION")
      ->check(Duration());
}

void AddStackFlags(CLI::App& app, StackFlags& flags, bool locking) {
  app.add_option("--var", flags.vars, "Set a variable: --var 'name=value' (repeatable)")
      ->type_name("NAME=VALUE");
  app.add_option("--var-file", flags.var_files,
                 "Read variable values from a TOML file (repeatable)")
      ->type_name(kFileValue);
  if (!locking) return;
  AddBoolOption(app, "--lock", flags.lock, "Lock the state while working (default true)");
  AddLockTimeoutOption(app, flags.lock_timeout);
  app.add_option("--parallelism", flags.parallelism, "Operations in flight at once (default 10)")
      ->type_name("N")
      ->check(WholeNumberFrom(1, 256));
}

bool ParseDuration(const std::string& text, std::chrono::milliseconds* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  double n = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || n < 0) return false;
  std::string unit(end);
  double ms = 0;
  if (unit.empty() || unit == "s")
    ms = n * 1000;
  else if (unit == "ms")
    ms = n;
  else if (unit == "m")
    ms = n * 60000;
  else if (unit == "h")
    ms = n * 3600000;
  else
    return false;
  *out = std::chrono::milliseconds(static_cast<long long>(ms));
  return true;
}

std::unique_ptr<Engine> OpenEngine(const GlobalOptions& global, const StackFlags& flags,
                                   Observer* observer) {
  EngineOptions options;
  options.stack_dir = global.chdir;
  options.workspace = global.workspace;
  options.var_files = flags.var_files;
  for (const std::string& v : flags.vars) {
    std::size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      PrintError(global, fmt::format("Invalid --var \"{}\"", v),
                 "Expected name=value, e.g. --var 'region=us-west-2'.");
      return nullptr;
    }
    options.variables.push_back({v.substr(0, eq), v.substr(eq + 1)});
  }
  options.lock = flags.lock;
  options.parallelism = flags.parallelism;
  if (!ParseDuration(flags.lock_timeout, &options.lock_timeout)) {
    PrintError(global, fmt::format("Invalid --lock-timeout \"{}\"", flags.lock_timeout),
               "Expected a duration such as 0s, 30s, 5m.");
    return nullptr;
  }
  options.observer = observer;
  Diagnostics diags;
  std::unique_ptr<Engine> engine = Engine::Open(options, &diags);
  PrintDiagnostics(global, diags);
  return engine;
}

}  // namespace reconcile::tool
