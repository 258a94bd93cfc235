// Providers as plugins: an executable `reconcile-provider-NAME` that serves a
// Provider over stdin/stdout (JSON-RPC 2.0, one message per line; see
// docs/plugin-protocol.md), how the host finds one, and how it starts one and
// uses it as an ordinary Provider.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "reconcile/diagnostics.h"
#include "reconcile/provider.h"

namespace reconcile {

// The plugin protocol version this library speaks. A host refuses a plugin
// whose major version differs; a minor version only adds optional fields and
// methods.
inline constexpr const char* kPluginProtocolVersion = "1.1";

// A plugin's main: serves `provider` on stdin/stdout until stdin closes, then
// waits for requests in flight and returns the process exit code. Requests are
// served concurrently; stdout is reserved for the protocol (anything else the
// process prints to stdout goes to stderr, which the host logs).
//   int main() { return reconcile::ServeProvider(MakeRandomProvider()); }
int ServeProvider(std::unique_ptr<Provider> provider);

// How the host runs a plugin. Timeouts bound how long one call may take; the
// environment variable RECONCILE_PLUGIN_TIMEOUT (seconds, fractions allowed)
// overrides all of them (tests use it).
struct PluginOptions {
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds call_timeout{std::chrono::minutes(10)};   // every other method
  std::chrono::milliseconds apply_timeout{std::chrono::minutes(30)};  // apply
  // After Stop closes the plugin's stdin: how long it may take to exit before
  // it is sent SIGTERM, then (after as long again) SIGKILL.
  std::chrono::milliseconds stop_grace{std::chrono::seconds(10)};
  std::vector<std::string> arguments;    // extra argv for the executable
  std::vector<std::string> environment;  // extra "NAME=value" entries
  // The plugin's working directory (empty: the host's). The engine starts
  // plugins in the stack directory, so relative paths in a stack mean the same
  // whatever directory the tool or an embedder runs in.
  std::string working_directory;
};

// Starts the plugin executable at `path`, performs the handshake (the protocol
// major version must match) and fetches its schema (cached for the life of
// the process). The result is a Provider whose methods are thread-safe and
// pipelined over one process. A crash, a hang past the timeout or garbage on
// the plugin's stdout become diagnostics naming the provider and the resource
// address in flight; no method throws or blocks past its timeout. Returns null
// with errors in *diagnostics when the plugin cannot be started.
std::unique_ptr<Provider> StartPlugin(const std::string& path, const PluginOptions& options,
                                      Diagnostics* diagnostics);

// Where to look for plugins, in order: `<stack_dir>/.reconcile/plugins/`,
// each directory of RECONCILE_PLUGIN_PATH (colon separated), `extra_dirs`,
// the install's `<prefix>/libexec/reconcile` (from the running executable's
// location), and the build tree's `libexec/reconcile` when the running
// executable lives in the build tree.
struct PluginSearch {
  std::string stack_dir;
  std::vector<std::string> extra_dirs;
};

// One executable discovery looked at.
struct PluginCandidate {
  std::string path;
  std::string origin;   // "stack plugins directory", "RECONCILE_PLUGIN_PATH", ...
  std::string version;  // from its handshake, when it was asked
  std::string refusal;  // why it was not chosen; empty for the chosen one
};

// What discovery found: the chosen plugin (path empty when none), every
// candidate it considered and every directory it searched.
struct PluginLookup {
  std::string name;
  std::string constraint;
  std::string path;
  std::string version;
  std::vector<PluginCandidate> candidates;
  std::vector<std::string> searched;  // "origin: directory"

  bool found() const { return !path.empty(); }
  // A readable account: what was found where and why each refusal.
  std::string Explain() const;
};

// Looks for `reconcile-provider-<name>`. With a version constraint
// ("~> 1.0", ">= 0.1, < 2") each candidate is started for its handshake and
// the first that satisfies the constraint wins; without one the first
// executable wins. A malformed constraint or no match adds an error to
// *diagnostics (when given) that carries Explain().
PluginLookup FindPlugin(const std::string& name, const std::string& version_constraint,
                        const PluginSearch& search, const PluginOptions& options = {},
                        Diagnostics* diagnostics = nullptr);

// FindPlugin then StartPlugin; on failure null with the explanation in
// *diagnostics.
std::unique_ptr<Provider> OpenPlugin(const std::string& name, const std::string& version_constraint,
                                     const PluginSearch& search, const PluginOptions& options,
                                     Diagnostics* diagnostics);

}  // namespace reconcile
