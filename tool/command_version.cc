// reconcile version [--json]: the version, the plugin protocol, and the
// provider plugins discovery finds from here.
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "command.h"
#include "reconcile/engine.h"
#include "reconcile/plugin.h"

namespace reconcile::tool {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPluginPrefix = "reconcile-provider-";

// A provider plugin as a stack in this directory would get it.
struct FoundProvider {
  std::string name;
  std::string version;  // from its handshake; empty when it failed
  std::string path;
  std::string origin;   // which search directory: "build tree", "RECONCILE_PLUGIN_PATH", ...
  std::string problem;  // why it cannot be used; empty when it can
};

// Every reconcile-provider-NAME in the directories discovery searches, each
// name resolved and asked for its version as the engine would.
std::vector<FoundProvider> FindProviders(const std::string& stack_dir) {
  PluginSearch search{stack_dir, {}};
  std::set<std::string> names;
  for (const std::string& searched : FindPlugin("", "", search).searched) {
    std::size_t colon = searched.find(": ");
    std::error_code ec;
    fs::directory_iterator files(searched.substr(colon == std::string::npos ? 0 : colon + 2), ec);
    for (; !ec && files != fs::directory_iterator(); files.increment(ec)) {
      std::string file = files->path().filename().string();
      if (file.starts_with(kPluginPrefix) && file.size() > kPluginPrefix.size())
        names.insert(file.substr(kPluginPrefix.size()));
    }
  }
  std::vector<FoundProvider> found;
  for (const std::string& name : names) {
    PluginLookup lookup = FindPlugin(name, ">= 0", search);
    if (lookup.candidates.empty()) continue;
    const PluginCandidate& chosen = lookup.candidates.back();
    found.push_back({name, lookup.version, chosen.path, chosen.origin, chosen.refusal});
  }
  return found;
}

class VersionCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_flag("--json", json_,
                 "JSON: {\"version\", \"plugin_protocol\", \"providers\": [{\"name\", \"version\", "
                 "\"path\", \"origin\"}]}");
    SetExamples(app,
                {
                    {"reconcile version", "The version, and the provider plugins found from here"},
                    {"reconcile version --json | jq -r .version", "The version, for a script"},
                });
  }

  int Run(const GlobalOptions& global) override {
    std::vector<FoundProvider> providers = FindProviders(global.chdir);
    if (json_) {
      nlohmann::json list = nlohmann::json::array();
      for (const FoundProvider& p : providers) {
        nlohmann::json entry = {
            {"name", p.name}, {"version", p.version}, {"path", p.path}, {"origin", p.origin}};
        if (!p.problem.empty()) entry["problem"] = p.problem;
        list.push_back(entry);
      }
      nlohmann::json out = {
          {"version", Version()}, {"plugin_protocol", kPluginProtocolVersion}, {"providers", list}};
      fmt::print("{}\n", out.dump(2));
      return kExitOk;
    }
    fmt::print("reconcile {} (plugin protocol {})\n", Version(), kPluginProtocolVersion);
    for (const FoundProvider& p : providers) {
      if (p.problem.empty())
        fmt::print("+ provider {} {} ({})\n", p.name, p.version, p.path);
      else
        fmt::print("! provider {} at {} cannot be used: {}\n", p.name, p.path, p.problem);
    }
    return kExitOk;
  }

 private:
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeVersionCommand() { return std::make_unique<VersionCommand>(); }

}  // namespace reconcile::tool
