// reconcile console: evaluate expressions against the configuration and the
// recorded state, one per line (interactive on a terminal).
#include <unistd.h>

#include <iostream>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"
#include "value_text.h"

namespace reconcile::tool {

namespace {

std::string Trimmed(const std::string& line) {
  std::size_t begin = line.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return line.substr(begin, line.find_last_not_of(" \t\r") - begin + 1);
}

class ConsoleCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    AddStackFlags(app, flags_, /*locking=*/false);
    SetExamples(app, {
                         {"reconcile console", "Type expressions; `exit` or Ctrl-D ends"},
                         {"echo 'cidrsubnet(aws_vpc.main.cidr_block, 8, 1)' | reconcile console",
                          "One expression per line from stdin, one result per line"},
                         {"echo 'local.name' | reconcile --workspace prod console",
                          "A local as the prod workspace sees it"},
                     });
  }

  int Run(const GlobalOptions& global) override {
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, nullptr);
    if (!engine) return kExitError;
    // The first call reads the configuration and the state: report their
    // errors once, before any prompt.
    Value ignored;
    Diagnostics diags = engine->Evaluate("", &ignored);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;

    bool interactive = isatty(STDIN_FILENO) != 0;
    bool failed = false;
    std::string line;
    while (true) {
      if (interactive) {
        fmt::print("> ");
        std::fflush(stdout);
      }
      if (!std::getline(std::cin, line)) break;
      std::string expression = Trimmed(line);
      if (expression.empty()) continue;
      if (expression == "exit") break;
      Value value;
      Diagnostics result = engine->Evaluate(expression, &value);
      PrintDiagnostics(global, result);
      if (result.HasErrors()) {
        failed = true;
        continue;
      }
      fmt::print("{}\n", ValueText(value));
      std::fflush(stdout);
    }
    if (interactive) fmt::print("\n");
    return failed ? kExitError : kExitOk;
  }

 private:
  StackFlags flags_;
};

}  // namespace

std::unique_ptr<Command> MakeConsoleCommand() { return std::make_unique<ConsoleCommand>(); }

}  // namespace reconcile::tool
