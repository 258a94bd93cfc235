#include "engine/provider_set.h"

namespace reconcile::engine {

std::unique_ptr<Provider> StartPluginProvider(const std::string& name, const std::string& version,
                                              const EngineOptions& options,
                                              const std::string& stack_dir, Diagnostics& diags) {
  (void)version;
  (void)options;
  (void)stack_dir;
  diags.Error("Provider \"" + name + "\" is not available",
              "Plugin support is not built yet; register the provider in-process.");
  return nullptr;
}

}  // namespace reconcile::engine
