// The providers a stack uses, started lazily (a provider no resource needs is
// never started) and configured from the stack's [provider.*] blocks. Each is
// in-process when EngineOptions supplies a factory, else a plugin.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "config/stack/stack.h"
#include "reconcile/engine.h"
#include "reconcile/provider.h"

namespace reconcile::engine {

class EvalContext;

class ProviderSet {
 public:
  ProviderSet(const EngineOptions& options, const config::Stack& stack, std::string workspace);
  ~ProviderSet();

  // The started provider for a provider key ("aws", "aws.west"), schema only:
  // not configured. Null with diagnostics when it cannot start.
  Provider* Started(const std::string& key, Diagnostics& diags);
  // The started and configured provider. Configuration is evaluated in
  // `context` (root scope) on first use.
  Provider* Configured(const std::string& key, EvalContext& context, Diagnostics& diags);

  // Schema of a resource type (data sources when `data`), or null with an
  // error naming the type and the provider.
  const ResourceSchema* SchemaFor(const std::string& key, const std::string& type, bool data,
                                  Diagnostics& diags);

  // Stops every started provider.
  void StopAll();

 private:
  struct Entry {
    std::once_flag started_once;
    std::unique_ptr<Provider> provider;
    Diagnostics start_diags;
    std::once_flag configured_once;
    Diagnostics configure_diags;
  };
  Entry& EntryFor(const std::string& key);
  std::unique_ptr<Provider> Start(const std::string& name, Diagnostics& diags);

  const EngineOptions& options_;
  const config::Stack& stack_;
  std::string workspace_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;
};

// The provider key a resource block uses: its `provider` meta-argument or the
// type's prefix.
std::string ProviderKeyFor(const config::ResourceBlock& block);

// Starts provider `name` as a plugin (discovery per reconcile/plugin.h).
std::unique_ptr<Provider> StartPluginProvider(const std::string& name, const std::string& version,
                                              const EngineOptions& options,
                                              const std::string& stack_dir, Diagnostics& diags);

}  // namespace reconcile::engine
