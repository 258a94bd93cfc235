#include "completion.h"

#include <algorithm>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "command.h"
#include "help.h"
#include "reconcile/engine.h"

namespace reconcile::tool {

namespace {

struct Candidate {
  std::string value;
  std::string description;
};

// Where the words typed so far lead: the command, the positional arguments
// it was given, an option whose value comes next, and the global options
// that say which stack and workspace to read.
struct Position {
  const CLI::App* command = nullptr;
  std::vector<std::string> positionals;
  const CLI::Option* awaiting = nullptr;
  std::string chdir = ".";
  std::string workspace;
};

const CLI::App* Subcommand(const CLI::App& command, const std::string& name) {
  for (const CLI::App* sub : SubcommandsOf(command))
    if (sub->get_name() == name) return sub;
  return nullptr;
}

void Record(Position& at, const CLI::Option& option, const std::string& value) {
  if (option.check_lname("chdir"))
    at.chdir = value;
  else if (option.check_lname("workspace"))
    at.workspace = value;
}

Position Walk(const CLI::App& root, const std::vector<std::string>& words) {
  Position at;
  at.command = &root;
  bool only_positionals = false;
  for (const std::string& word : words) {
    if (at.awaiting != nullptr) {
      if (word == "=") continue;  // bash splits --name=value at the '='
      Record(at, *at.awaiting, word);
      at.awaiting = nullptr;
    } else if (!only_positionals && word == "--") {
      only_positionals = true;
    } else if (!only_positionals && word.size() > 1 && word[0] == '-') {
      std::size_t eq = word.find('=');
      const CLI::Option* option = FindOption(*at.command, word.substr(0, eq));
      if (option == nullptr || TakesNoValue(*option)) continue;
      if (eq == std::string::npos)
        at.awaiting = option;
      else
        Record(at, *option, word.substr(eq + 1));
    } else if (const CLI::App* sub = Subcommand(*at.command, word)) {
      at.command = sub;
      at.positionals.clear();
    } else {
      at.positionals.push_back(word);
    }
  }
  return at;
}

std::unique_ptr<Engine> OpenStack(const Position& at) {
  EngineOptions options;
  options.stack_dir = at.chdir;
  options.workspace = at.workspace;
  Diagnostics ignored;
  return Engine::Open(options, &ignored);
}

std::vector<Candidate> Workspaces(const Position& at) {
  std::unique_ptr<Engine> engine = OpenStack(at);
  if (!engine) return {};
  std::vector<std::string> names;
  engine->ListWorkspaces(&names);
  std::set<std::string> unique(names.begin(), names.end());
  unique.insert("default");
  std::vector<Candidate> out;
  for (const std::string& name : unique) out.push_back({name, ""});
  return out;
}

// Every instance address in the workspace's state, and the address of each
// resource with several instances.
std::vector<Candidate> Addresses(const Position& at) {
  std::unique_ptr<Engine> engine = OpenStack(at);
  if (!engine) return {};
  State state;
  engine->ReadState(&state);
  std::set<std::string> addresses;
  for (const auto& [address, instance] : state.resources) {
    addresses.insert(address);
    if (address.ends_with(']')) addresses.insert(address.substr(0, address.rfind('[')));
  }
  std::vector<Candidate> out;
  for (const std::string& address : addresses) out.push_back({address, ""});
  return out;
}

std::vector<Candidate> CommandsBelow(const CLI::App& command) {
  std::vector<Candidate> out;
  for (const CLI::App* sub : SubcommandsOf(command))
    out.push_back({sub->get_name(), sub->get_description()});
  return out;
}

// The values a value name stands for (command.h).
std::vector<Candidate> Values(const CLI::App& root, const Position& at, const CLI::Option& option) {
  std::string kind = option.get_type_name();
  if (kind == kAddressValue) return Addresses(at);
  if (kind == kWorkspaceValue) return Workspaces(at);
  if (kind == kFileValue) return {{":files", ""}};
  if (kind == kDirValue) return {{":dirs", ""}};
  if (kind == kCommandValue) {
    const CLI::App* command = FindCommand(root, at.positionals, nullptr);
    return command != nullptr ? CommandsBelow(*command) : std::vector<Candidate>{};
  }
  std::vector<Candidate> out;
  if (kind.find('|') == std::string::npos) return out;
  std::size_t start = 0;
  while (start <= kind.size()) {
    std::size_t bar = std::min(kind.find('|', start), kind.size());
    out.push_back({kind.substr(start, bar - start), ""});
    start = bar + 1;
  }
  return out;
}

std::vector<Candidate> Flags(const CLI::App& command, bool with_short) {
  std::vector<Candidate> out;
  for (const CLI::App* at = &command; at != nullptr; at = at->get_parent()) {
    for (const CLI::Option* option : at->get_options()) {
      if (option->get_positional() || option->get_group().empty()) continue;
      for (const std::string& name : option->get_lnames())
        out.push_back({"--" + name, option->get_description()});
      if (with_short)
        for (const std::string& name : option->get_snames())
          out.push_back({"-" + name, option->get_description()});
    }
  }
  return out;
}

const CLI::Option* NextPositional(const CLI::App& command, std::size_t given) {
  std::vector<const CLI::Option*> positionals;
  for (const CLI::Option* option : command.get_options())
    if (option->get_positional() && !option->get_group().empty()) positionals.push_back(option);
  if (given < positionals.size()) return positionals[given];
  if (!positionals.empty() && positionals.back()->get_expected_max() > 1) return positionals.back();
  return nullptr;
}

std::vector<Candidate> Candidates(const CLI::App& root, const Position& at,
                                  const std::string& current, std::string* prefix) {
  if (at.awaiting != nullptr) return Values(root, at, *at.awaiting);
  if (current.size() > 0 && current[0] == '-') {
    std::size_t eq = current.find('=');
    if (eq == std::string::npos) return Flags(*at.command, current.rfind("--", 0) != 0);
    const CLI::Option* option = FindOption(*at.command, current.substr(0, eq));
    if (option == nullptr || TakesNoValue(*option)) return {};
    *prefix = current.substr(0, eq + 1);
    return Values(root, at, *option);
  }
  if (!SubcommandsOf(*at.command).empty()) return CommandsBelow(*at.command);
  if (const CLI::Option* positional = NextPositional(*at.command, at.positionals.size()))
    return Values(root, at, *positional);
  return {};
}

}  // namespace

int RunCompletion(const CLI::App& root, const std::vector<std::string>& words) {
  std::vector<std::string> typed = words;
  std::string current;
  if (!typed.empty()) {
    current = typed.back();
    typed.pop_back();
  }
  Position at = Walk(root, typed);
  std::string prefix;
  std::vector<Candidate> candidates = Candidates(root, at, current, &prefix);
  if (!candidates.empty() && candidates.front().value.starts_with(':')) {
    fmt::print("{}\n", candidates.front().value);
    return kExitOk;
  }
  for (const Candidate& c : candidates) {
    std::string value = prefix + c.value;
    if (!value.starts_with(current)) continue;
    if (c.description.empty())
      fmt::print("{}\n", value);
    else
      fmt::print("{}\t{}\n", value, c.description);
  }
  return kExitOk;
}

const std::vector<std::string>& CompletionShells() {
  static const std::vector<std::string> shells = {"bash", "zsh", "fish"};
  return shells;
}

std::string CompletionScript(std::string_view shell) {
  if (shell == "bash")
    return R"(# bash completion for reconcile. Load it from ~/.bashrc with
#   source <(reconcile completion bash)
_reconcile() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local -a words=("${COMP_WORDS[@]:1:COMP_CWORD}")
    # bash splits --name=value at the '=': complete the value after it.
    if [[ $cur == "=" ]]; then cur=""; words+=(""); fi
    local IFS=$'\n'
    local -a lines=($("${COMP_WORDS[0]}" __complete "${words[@]}" 2>/dev/null))
    COMPREPLY=()
    case ${lines[0]-} in
        :files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
        :dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;
    esac
    local line
    for line in "${lines[@]}"; do
        printf -v line '%q' "${line%%$'\t'*}"
        COMPREPLY+=("$line")
    done
}
complete -F _reconcile reconcile
)";
  if (shell == "zsh")
    return R"(#compdef reconcile
# zsh completion for reconcile. Load it from ~/.zshrc, after compinit, with
#   source <(reconcile completion zsh)
_reconcile() {
    local -a lines described
    local line name
    lines=("${(@f)$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    case ${lines[1]} in
        :files) _files; return ;;
        :dirs) _files -/; return ;;
    esac
    for line in "${lines[@]}"; do
        [[ -z $line ]] && continue
        name=${line%%$'\t'*}
        if [[ $line == *$'\t'* ]]; then
            described+=("${name//:/\\:}:${line#*$'\t'}")
        else
            described+=("${name//:/\\:}")
        fi
    done
    _describe -t values reconcile described
}
# Autoloaded from a directory of $fpath, the first call runs the function;
# sourced, it registers it.
if [[ ${funcstack[1]-} == _reconcile ]]; then
    _reconcile "$@"
elif (( $+functions[compdef] )); then
    compdef _reconcile reconcile
fi
)";
  if (shell == "fish")
    return R"(# fish completion for reconcile. Install it with
#   reconcile completion fish > ~/.config/fish/completions/reconcile.fish
function __reconcile_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    set -l program $words[1]
    set -e words[1]
    set -l lines ($program __complete $words "$current" 2>/dev/null)
    switch "$lines[1]"
        case :files
            __fish_complete_path "$current"
        case :dirs
            __fish_complete_directories "$current"
        case '*'
            printf '%s\n' $lines
    end
end
complete -c reconcile -f -a '(__reconcile_complete)'
)";
  return {};
}

}  // namespace reconcile::tool
