// reconcile completion bash|zsh|fish: the shell completion script.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "command.h"
#include "command_line.h"
#include "completion.h"

namespace reconcile::tool {

namespace {

class CompletionCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("SHELL", shell_, "The shell to complete in")
        ->required()
        ->check(OneOf(CompletionShells()))
        ->type_name(fmt::format("{}", fmt::join(CompletionShells(), "|")));
    SetExamples(app, {
                         {"source <(reconcile completion bash)",
                          "Complete commands, flags, workspaces and addresses in this bash (add it "
                          "to ~/.bashrc to keep it)"},
                         {"source <(reconcile completion zsh)", "The same in zsh, after compinit"},
                         {"reconcile completion fish > ~/.config/fish/completions/reconcile.fish",
                          "Install it for fish"},
                     });
  }

  int Run(const GlobalOptions&) override {
    fmt::print("{}", CompletionScript(shell_));
    return kExitOk;
  }

 private:
  std::string shell_;
};

}  // namespace

std::unique_ptr<Command> MakeCompletionCommand() { return std::make_unique<CompletionCommand>(); }

}  // namespace reconcile::tool
