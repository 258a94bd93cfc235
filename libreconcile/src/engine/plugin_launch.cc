#include "engine/provider_set.h"
#include "reconcile/plugin.h"

namespace reconcile::engine {

std::unique_ptr<Provider> StartPluginProvider(const std::string& name, const std::string& version,
                                              const EngineOptions& options,
                                              const std::string& stack_dir, Diagnostics& diags) {
  PluginSearch search{stack_dir, options.plugin_dirs};
  PluginOptions plugin_options;
  plugin_options.working_directory = stack_dir;
  return OpenPlugin(name, version, search, plugin_options, &diags);
}

}  // namespace reconcile::engine
