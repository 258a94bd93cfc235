#include "help.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

namespace reconcile::tool {

namespace {

std::map<const CLI::App*, std::vector<Example>>& ExampleTable() {
  static std::map<const CLI::App*, std::vector<Example>> table;
  return table;
}

bool Visible(const CLI::Option* opt) { return !opt->get_group().empty(); }

bool IsFlag(const CLI::Option* opt) { return TakesNoValue(*opt); }

bool Repeatable(const CLI::Option* opt) { return opt->get_expected_max() > 1; }

std::string ValueName(const CLI::Option* opt) {
  if (IsFlag(opt)) return {};
  std::string name = opt->get_type_name();
  return name.empty() ? "VALUE" : name;
}

// "NAME", "[NAME]", "NAME...", "[NAME...]" as the usage line shows it.
std::string PositionalUsage(const CLI::Option* opt) {
  std::string name = opt->get_name(true) + (Repeatable(opt) ? "..." : "");
  return opt->get_required() ? name : fmt::format("[{}]", name);
}

// Rows as "  names   description", the descriptions aligned.
std::string Table(const std::vector<OptionHelp>& rows) {
  constexpr std::size_t kMaxColumn = 26;
  std::size_t width = 0;
  for (const OptionHelp& row : rows)
    if (row.names.size() <= kMaxColumn) width = std::max(width, row.names.size());
  std::string out;
  for (const OptionHelp& row : rows) {
    if (row.names.size() > width)
      out += fmt::format("  {}\n  {:{}}  {}\n", row.names, "", width, row.description);
    else
      out += fmt::format("  {:{}}  {}\n", row.names, width, row.description);
  }
  return out;
}

std::vector<OptionHelp> SubcommandRows(const CLI::App& app) {
  std::vector<OptionHelp> rows;
  for (const CLI::App* sub : SubcommandsOf(app))
    rows.push_back({sub->get_name(), "", sub->get_description()});
  return rows;
}

const CLI::App& Root(const CLI::App& app) {
  const CLI::App* root = &app;
  while (root->get_parent() != nullptr) root = root->get_parent();
  return *root;
}

}  // namespace

void SetExamples(CLI::App& app, std::vector<Example> examples) {
  ExampleTable()[&app] = std::move(examples);
}

const std::vector<Example>& ExamplesOf(const CLI::App& app) {
  static const std::vector<Example> none;
  auto it = ExampleTable().find(&app);
  return it == ExampleTable().end() ? none : it->second;
}

const std::vector<EnvironmentVariable>& EnvironmentVariables() {
  static const std::vector<EnvironmentVariable> variables = {
      {"RECONCILE_WORKSPACE",
       "The workspace to work in when --workspace is not given (instead of the one "
       "`workspace select` chose)"},
      {"RECONCILE_VAR_<name>",
       "A value for the variable <name>; --var and --var-file values win over it"},
      {"NO_COLOR", "When set and not empty, no output is coloured (as --no-color)"},
      {"RECONCILE_ENCRYPTION",
       "State encryption settings (JSON or TOML of the [encryption] block's shape); wins over the "
       "stack's [encryption] block (docs/encryption.md)"},
      {"RECONCILE_LOG",
       "Log level on stderr: error, warn, info, debug (every AWS request, secrets redacted), "
       "trace"},
      {"RECONCILE_LOG_FILE",
       "Append the log to this file instead of stderr (level info unless set)"},
      {"RECONCILE_PLUGIN_PATH",
       "Directories (colon separated) searched for reconcile-provider-NAME plugins"},
      {"RECONCILE_PLUGIN_TIMEOUT",
       "Seconds any one plugin call may take (overrides every timeout)"},
      {"RECONCILE_AWS_STATS", "1: print the count of AWS API calls per operation at exit"},
      {"AWS_PROFILE, AWS_REGION, AWS_ACCESS_KEY_ID, ...",
       "The AWS credential chain and region, as the AWS CLI reads them"},
      {"AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>",
       "Send AWS API calls (of one service) to another endpoint"},
  };
  return variables;
}

const std::vector<ExitCode>& ExitCodes() {
  static const std::vector<ExitCode> codes = {
      {kExitOk, "Success (with plan --detailed-exitcode: success and nothing to change)"},
      {kExitError,
       "Error: a usage error, an invalid stack, a failed operation or a refused question"},
      {kExitChanges, "plan --detailed-exitcode only: success, and applying would change something"},
      {kExitNotFormatted, "fmt --check only: a stack file is not in the canonical layout"},
  };
  return codes;
}

std::string CommandPath(const CLI::App& app) {
  if (app.get_parent() == nullptr) return app.get_name();
  return fmt::format("{} {}", CommandPath(*app.get_parent()), app.get_name());
}

std::string UsageLine(const CLI::App& app) {
  if (app.get_parent() == nullptr)
    return fmt::format("{} [global options] COMMAND [options]", app.get_name());
  std::string line = CommandPath(app);
  if (!SubcommandsOf(app).empty()) return line + " COMMAND [options]";
  if (!OptionsOf(app).empty()) line += " [options]";
  for (const CLI::Option* opt : app.get_options())
    if (opt->get_positional() && Visible(opt)) line += " " + PositionalUsage(opt);
  return line;
}

std::vector<const CLI::App*> SubcommandsOf(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

std::vector<OptionHelp> OptionsOf(const CLI::App& app) {
  std::vector<OptionHelp> rows;
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_positional() || !Visible(opt) || opt == app.get_help_ptr()) continue;
    std::vector<std::string> names;
    for (const std::string& s : opt->get_snames()) names.push_back("-" + s);
    for (const std::string& l : opt->get_lnames()) names.push_back("--" + l);
    std::string value = ValueName(opt);
    std::string shown = fmt::format("{}", fmt::join(names, ", "));
    if (!value.empty()) shown += " " + value;
    std::string description = opt->get_description();
    if (Repeatable(opt) && description.find("repeatable") == std::string::npos)
      description += " (repeatable)";
    rows.push_back({shown, value, description});
  }
  return rows;
}

std::vector<OptionHelp> ArgumentsOf(const CLI::App& app) {
  std::vector<OptionHelp> rows;
  for (const CLI::Option* opt : app.get_options())
    if (opt->get_positional() && Visible(opt))
      rows.push_back({opt->get_name(true) + (Repeatable(opt) ? "..." : ""), opt->get_type_name(),
                      opt->get_description()});
  return rows;
}

std::vector<std::string> OptionNamesOf(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* at = &app; at != nullptr; at = at->get_parent()) {
    for (const CLI::Option* opt : at->get_options()) {
      if (opt->get_positional() || !Visible(opt)) continue;
      for (const std::string& l : opt->get_lnames()) names.push_back("--" + l);
      for (const std::string& s : opt->get_snames()) names.push_back("-" + s);
    }
  }
  return names;
}

const CLI::Option* FindOption(const CLI::App& command, const std::string& name) {
  for (const CLI::App* at = &command; at != nullptr; at = at->get_parent())
    for (const CLI::Option* opt : at->get_options())
      if (!opt->get_positional() && opt->check_name(name)) return opt;
  return nullptr;
}

bool TakesNoValue(const CLI::Option& option) { return option.get_items_expected_max() == 0; }

const CLI::App* FindCommand(const CLI::App& root, const std::vector<std::string>& words,
                            std::string* unknown) {
  const CLI::App* at = &root;
  for (const std::string& word : words) {
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : SubcommandsOf(*at))
      if (sub->get_name() == word) next = sub;
    if (next == nullptr) {
      if (unknown != nullptr) *unknown = word;
      return nullptr;
    }
    at = next;
  }
  return at;
}

std::string HelpText(const CLI::App& app) {
  bool root = app.get_parent() == nullptr;
  std::string out = fmt::format("Usage: {}\n\n{}\n", UsageLine(app), app.get_description());
  if (!SubcommandsOf(app).empty())
    out += fmt::format("\n{}:\n{}", root ? "Commands" : "Subcommands", Table(SubcommandRows(app)));
  if (std::vector<OptionHelp> arguments = ArgumentsOf(app); !arguments.empty())
    out += fmt::format("\nArguments:\n{}", Table(arguments));
  if (std::vector<OptionHelp> options = OptionsOf(app); !options.empty())
    out += fmt::format("\n{}:\n{}", root ? "Global options (with any command)" : "Options",
                       Table(options));
  if (root) {
    out +=
        fmt::format("\nRun `{0} help COMMAND` (or `{0} COMMAND --help`) for a command's options.\n",
                    app.get_name());
  } else if (SubcommandsOf(app).empty()) {
    std::vector<std::string> global;
    for (const CLI::Option* opt : Root(app).get_options()) {
      if (!Visible(opt) || opt == Root(app).get_help_ptr() || opt == Root(app).get_version_ptr())
        continue;
      std::string name = opt->get_snames().empty() ? "--" + opt->get_lnames().front()
                                                   : "-" + opt->get_snames().front();
      global.push_back(IsFlag(opt) ? name : fmt::format("{} {}", name, ValueName(opt)));
    }
    out += fmt::format("\nThe global options ({}) work here too.\n", fmt::join(global, ", "));
  } else {
    out +=
        fmt::format("\nRun `{} help {} COMMAND` for a subcommand's options.\n",
                    Root(app).get_name(), CommandPath(app).substr(Root(app).get_name().size() + 1));
  }
  if (const std::vector<Example>& examples = ExamplesOf(app); !examples.empty()) {
    out += "\nExamples:\n";
    for (const Example& e : examples)
      out += fmt::format("  {}\n      {}\n", e.command, e.explanation);
  }
  return out;
}

}  // namespace reconcile::tool
