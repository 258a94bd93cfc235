#include "engine/provider_set.h"
#include "reconcile/plugin.h"

namespace reconcile::engine {

std::unique_ptr<Provider> StartPluginProvider(const std::string& name, const std::string& version,
                                              const EngineOptions& options,
                                              const std::string& stack_dir, Diagnostics& diags) {
  PluginSearch search{stack_dir, options.plugin_dirs};
  return OpenPlugin(name, version, search, PluginOptions{}, &diags);
}

}  // namespace reconcile::engine
