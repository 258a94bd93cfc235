// Plugin discovery: which directories are searched, in which order, and why
// each candidate was chosen or refused.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "provider/plugin_host.h"
#include "provider/plugin_lock.h"
#include "provider/version_constraint.h"
#include "reconcile/plugin.h"

namespace reconcile {

namespace {

namespace fs = std::filesystem;

constexpr const char* kStackOrigin = "stack plugins directory";

struct SearchDir {
  std::string origin;
  std::string dir;
};

std::string RunningExecutable() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.string();
}

// The build tree's libexec directory, when the running program was built in it.
void AddBuildTree(const std::string& exe, std::vector<SearchDir>* dirs) {
#ifdef RECONCILE_BUILD_ROOT
  std::string root = RECONCILE_BUILD_ROOT;
  if (!exe.empty() && exe.rfind(root + "/", 0) == 0)
    dirs->push_back({"build tree", root + "/libexec/reconcile"});
#else
  (void)exe;
  (void)dirs;
#endif
}

std::vector<SearchDir> SearchDirs(const PluginSearch& search) {
  std::vector<SearchDir> dirs;
  if (!search.stack_dir.empty())
    dirs.push_back({kStackOrigin,
                    (fs::path(search.stack_dir) / ".reconcile" / "plugins").string()});
  if (const char* path = std::getenv("RECONCILE_PLUGIN_PATH")) {
    std::string_view rest = path;
    while (!rest.empty()) {
      std::size_t colon = rest.find(':');
      std::string dir(rest.substr(0, colon));
      if (!dir.empty()) dirs.push_back({"RECONCILE_PLUGIN_PATH", dir});
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  for (const std::string& dir : search.extra_dirs) dirs.push_back({"plugin directory option", dir});
  std::string exe = RunningExecutable();
  if (!exe.empty())
    dirs.push_back(
        {"install libexec directory",
         (fs::path(exe).parent_path().parent_path() / "libexec" / "reconcile").string()});
  AddBuildTree(exe, &dirs);
  return dirs;
}

std::string Key(const std::string& dir) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(dir, ec);
  return ec ? dir : canonical.string();
}

// Why `path` cannot be used, or empty when it is an executable file.
std::string ExecutableProblem(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return "not a regular file";
  if (::access(path.c_str(), X_OK) != 0) return "not executable (chmod +x it)";
  return {};
}

// Asks the candidate for its version; empty refusal when it satisfies.
std::string ProbeVersion(PluginCandidate* candidate, const std::string& name,
                         const plugin::VersionConstraint& constraint,
                         const PluginOptions& options) {
  plugin::Handshake handshake;
  Diagnostics problems;
  std::unique_ptr<plugin::RpcClient> client =
      plugin::Connect(candidate->path, options, &handshake, &problems);
  if (!client) return "handshake failed: " + (problems.empty() ? "" : problems[0].summary);
  client->Shutdown(options.stop_grace);
  candidate->version = handshake.info.version;
  if (handshake.info.name != name)
    return "it is the \"" + handshake.info.name + "\" provider, not \"" + name + "\"";
  plugin::Version version;
  if (!plugin::Version::Parse(handshake.info.version, &version))
    return "its version \"" + handshake.info.version + "\" is not a version number";
  if (!constraint.Matches(version))
    return "version " + handshake.info.version + " does not satisfy \"" + constraint.text() + "\"";
  return {};
}

void ReportNotFound(const PluginLookup& lookup, const PluginSearch& search,
                    Diagnostics* diagnostics) {
  std::string executable = "reconcile-provider-" + lookup.name;
  std::string summary =
      lookup.candidates.empty()
          ? "Provider plugin \"" + lookup.name + "\" not found"
          : "No usable plugin for provider \"" + lookup.name + "\"" +
                (lookup.constraint.empty() ? "" : " satisfies \"" + lookup.constraint + "\"");
  std::string hint = "\nPut " + executable + " in " +
                     (search.stack_dir.empty()
                          ? std::string("a directory")
                          : search.stack_dir + "/.reconcile/plugins/ (then run `reconcile init` "
                                               "to trust it)") +
                     " or in a directory listed in RECONCILE_PLUGIN_PATH.";
  diagnostics->Error(summary, lookup.Explain() + hint);
}

}  // namespace

std::string PluginLookup::Explain() const {
  std::string out = "provider \"" + name + "\"" +
                    (constraint.empty() ? "" : " (version constraint \"" + constraint + "\")") +
                    ":";
  for (const std::string& dir : searched) out += "\n  searched " + dir;
  for (const PluginCandidate& c : candidates) {
    std::string shown = c.version.empty() ? "" : " version " + c.version;
    if (c.refusal.empty())
      out += "\n  chose " + c.path + shown + " (" + c.origin + ")";
    else
      out += "\n  refused " + c.path + " (" + c.origin + "): " + c.refusal;
  }
  if (candidates.empty()) out += "\n  no reconcile-provider-" + name + " in any of them";
  return out;
}

PluginLookup FindPlugin(const std::string& name, const std::string& version_constraint,
                        const PluginSearch& search, const PluginOptions& options,
                        Diagnostics* diagnostics) {
  PluginLookup lookup;
  lookup.name = name;
  lookup.constraint = version_constraint;
  plugin::VersionConstraint constraint;
  std::string error;
  if (!plugin::VersionConstraint::Parse(version_constraint, &constraint, &error)) {
    if (diagnostics)
      diagnostics->Error("Invalid version constraint for provider \"" + name + "\"", error);
    return lookup;
  }
  std::set<std::string> seen;
  for (const SearchDir& dir : SearchDirs(search)) {
    if (!seen.insert(Key(dir.dir)).second) continue;
    lookup.searched.push_back(dir.origin + ": " + dir.dir);
    fs::path path = fs::path(dir.dir) / ("reconcile-provider-" + name);
    std::error_code ec;
    if (!fs::exists(path, ec)) continue;
    PluginCandidate candidate{path.string(), dir.origin, {}, ExecutableProblem(path)};
    if (candidate.refusal.empty() && dir.origin == kStackOrigin) {
      candidate.refusal = plugin::StackPluginTrustProblem(search.stack_dir, candidate.path);
      if (!candidate.refusal.empty()) {
        // Never run it, and never pass over it to another copy unnoticed.
        lookup.candidates.push_back(candidate);
        if (diagnostics)
          diagnostics->Error("Provider plugin " + candidate.path + " is not trusted",
                             candidate.refusal + "\n" + lookup.Explain());
        return lookup;
      }
    }
    if (candidate.refusal.empty() && !constraint.empty())
      candidate.refusal = ProbeVersion(&candidate, name, constraint, options);
    lookup.candidates.push_back(candidate);
    if (candidate.refusal.empty()) {
      lookup.path = candidate.path;
      lookup.version = candidate.version;
      return lookup;
    }
  }
  if (diagnostics) ReportNotFound(lookup, search, diagnostics);
  return lookup;
}

std::unique_ptr<Provider> OpenPlugin(const std::string& name, const std::string& version_constraint,
                                     const PluginSearch& search, const PluginOptions& options,
                                     Diagnostics* diagnostics) {
  PluginLookup lookup = FindPlugin(name, version_constraint, search, options, diagnostics);
  if (!lookup.found()) return nullptr;
  Diagnostics problems;
  std::unique_ptr<Provider> provider = StartPlugin(lookup.path, options, &problems);
  if (provider && provider->Info().name != name) {
    problems.Error("Plugin " + lookup.path + " is the \"" + provider->Info().name +
                   "\" provider, not \"" + name + "\"");
    provider.reset();
  }
  for (Diagnostic& d : problems.items())
    d.detail += (d.detail.empty() ? "" : "\n") + lookup.Explain();
  diagnostics->Append(problems);
  return provider;
}

}  // namespace reconcile
