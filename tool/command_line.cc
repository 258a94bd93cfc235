#include "command_line.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include "completion.h"
#include "help.h"
#include "reconcile/engine.h"
#include "reconcile/suggest.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

// The command the words on the line reached: the deepest parsed subcommand.
const CLI::App& Reached(const CLI::App& app) {
  std::vector<CLI::App*> parsed = app.get_subcommands();
  return parsed.empty() ? app : Reached(*parsed.front());
}

std::vector<std::string> SubcommandNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* sub : SubcommandsOf(command)) names.push_back(sub->get_name());
  return names;
}

// What is wrong with a word the parser could not place.
std::string Unexpected(const CLI::App& command, const std::string& word) {
  if (word.size() > 1 && word[0] == '-') {
    std::string name = word.substr(0, word.find('='));
    return fmt::format("Unknown flag {} for `{}`{}", name, CommandPath(command),
                       DidYouMean(name, OptionNamesOf(command)));
  }
  if (command.get_parent() == nullptr)
    return fmt::format("{} has no command named \"{}\"{}", command.get_name(), word,
                       DidYouMean(word, SubcommandNames(command)));
  if (!SubcommandsOf(command).empty())
    return fmt::format("`{}` has no subcommand named \"{}\"{}", CommandPath(command), word,
                       DidYouMean(word, SubcommandNames(command)));
  return fmt::format("Unexpected argument \"{}\" for `{}`", word, CommandPath(command));
}

// The parser's complaint in our words where we know its shape.
std::string Explain(const CLI::ParseError& e, const CLI::App& command) {
  std::string message = e.what();
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
    std::string name = message.substr(0, message.find(':'));
    if (const CLI::Option* opt = FindOption(command, name))
      return fmt::format("{} needs a value: {} {}", name, name, opt->get_type_name());
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    std::string_view suffix = " is required";
    if (message.size() > suffix.size() && message.ends_with(suffix))
      return fmt::format("`{}` needs {}", CommandPath(command),
                         message.substr(0, message.size() - suffix.size()));
  }
  return message;
}

}  // namespace

CLI::Validator WholeNumberFrom(int low, int high) {
  return CLI::Validator(
      [low, high](std::string& text) -> std::string {
        int n = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (error != std::errc() || end != text.data() + text.size() || n < low || n > high)
          return fmt::format("expected a whole number from {} to {}, not \"{}\"", low, high, text);
        return {};
      },
      "");
}

CLI::Validator OneOf(std::vector<std::string> words) {
  return CLI::Validator(
      [words](std::string& text) -> std::string {
        if (std::find(words.begin(), words.end(), text) != words.end()) return {};
        std::string last = words.back();
        std::vector<std::string> others(words.begin(), words.end() - 1);
        return fmt::format("expected {}{}{}, not \"{}\"", fmt::join(others, ", "),
                           others.empty() ? "" : " or ", last, text);
      },
      "");
}

CLI::Option* AddBoolOption(CLI::App& app, const std::string& name, bool& value,
                           const std::string& description) {
  return app.add_option(name, value, description)
      ->type_name("true|false")
      ->check(OneOf({"true", "false"}));
}

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string match = ClosestName(word, candidates);
  return match.empty() ? "" : fmt::format("; did you mean \"{}\"?", match);
}

void SetupRootApp(CLI::App& app, GlobalOptions& global) {
  app.name("reconcile");
  app.description(fmt::format(
      "reconcile: {}.\nEvery command works on the stack in the current directory (or -C DIR), "
      "in the selected workspace (or the one --workspace names).",
      kToolSummary));
  app.set_help_flag("-h,--help", "Show this help");
  // Every check the parser would make with its own message and exit code is
  // made in ParseCommandLine instead: unknown words, a missing subcommand.
  app.require_subcommand(0, 1);
  app.allow_extras();
  app.fallthrough();
  app.add_option("-C,--chdir", global.chdir, "Run in the stack directory DIR")
      ->type_name(kDirValue);
  app.add_option("--workspace", global.workspace,
                 "Work in this workspace (or set RECONCILE_WORKSPACE); `workspace select` "
                 "chooses one for later runs")
      ->type_name(kWorkspaceValue);
  app.add_flag("--no-color", global.no_color, "Do not colour the output (NO_COLOR works too)");
  app.set_version_flag("--version", fmt::format("reconcile {}", Version()), "Print the version");
  SetExamples(app, {
                       {"reconcile init --bootstrap",
                        "Create the state bucket and lock table the stack's [backend] names, once"},
                       {"reconcile plan --out tf.plan && reconcile apply tf.plan",
                        "Review the changes, then carry out exactly those"},
                       {"reconcile --workspace prod apply",
                        "Apply in the prod workspace (environments/prod.toml sets its variables)"},
                   });
}

int UsageError(const GlobalOptions& global, const CLI::App& command, const std::string& message) {
  std::string more =
      command.get_parent() == nullptr
          ? fmt::format("Run `{} --help` for the list of commands.", command.get_name())
          : fmt::format("Run `{} --help` for its options.", CommandPath(command));
  PrintError(global, message, fmt::format("Usage: {}\n{}", UsageLine(command), more));
  return kExitError;
}

std::optional<int> ParseCommandLine(CLI::App& app, const GlobalOptions& global, int argc,
                                    char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == kCompleteCommand)
    return RunCompletion(app, std::vector<std::string>(argv + 2, argv + argc));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    fmt::print("{}", HelpText(Reached(app)));
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    fmt::print("{}\n", e.what());
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    return UsageError(global, Reached(app), Explain(e, Reached(app)));
  }
  const CLI::App& command = Reached(app);
  if (std::vector<std::string> extra = app.remaining(true); !extra.empty())
    return UsageError(global, command, Unexpected(command, extra.front()));
  if (!SubcommandsOf(command).empty()) {
    fmt::print(stderr, "{}", HelpText(command));
    return kExitError;
  }
  return std::nullopt;
}

}  // namespace reconcile::tool
