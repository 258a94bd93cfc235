// reconcile help [COMMAND...]: a command's help, or the whole reference as a
// man page or Markdown (how reconcile.1 and docs/cli.md are made).
#include <algorithm>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "command_line.h"
#include "help.h"

namespace reconcile::tool {

namespace {

class HelpCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app_ = &app;
    app.add_option("COMMAND", words_, "The command (and subcommand) to explain, e.g. state rm")
        ->type_name(kCommandValue);
    auto* man =
        app.add_flag("--man", man_, "Print the whole reference as a man page (reconcile.1)");
    app.add_flag("--markdown", markdown_, "Print the whole reference as Markdown (docs/cli.md)")
        ->excludes(man);
    SetExamples(
        app, {
                 {"reconcile help plan", "The options of `plan`, as `reconcile plan --help`"},
                 {"reconcile help state rm", "The help of a subcommand"},
                 {"reconcile help --man > reconcile.1", "The man page `cmake --install` installs"},
             });
  }

  int Run(const GlobalOptions& global) override {
    const CLI::App& root = *app_->get_parent();
    if (man_) {
      fmt::print("{}", ManPage(root));
      return kExitOk;
    }
    if (markdown_) {
      fmt::print("{}", MarkdownReference(root));
      return kExitOk;
    }
    std::string unknown;
    const CLI::App* command = FindCommand(root, words_, &unknown);
    if (command == nullptr) {
      std::vector<std::string> parents(words_.begin(),
                                       std::find(words_.begin(), words_.end(), unknown));
      const CLI::App* parent = FindCommand(root, parents, nullptr);
      std::vector<std::string> names;
      for (const CLI::App* sub : SubcommandsOf(*parent)) names.push_back(sub->get_name());
      return UsageError(global, *app_,
                        fmt::format("There is no command `{} {}`{}", CommandPath(*parent), unknown,
                                    DidYouMean(unknown, names)));
    }
    fmt::print("{}", HelpText(*command));
    return kExitOk;
  }

 private:
  CLI::App* app_ = nullptr;
  std::vector<std::string> words_;
  bool man_ = false;
  bool markdown_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeHelpCommand() { return std::make_unique<HelpCommand>(); }

}  // namespace reconcile::tool
