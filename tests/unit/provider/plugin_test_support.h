// Helpers for the plugin protocol tests: paths of the test plugins and small
// request builders.
#pragma once

#include <string>

#include "reconcile/plugin.h"

namespace reconcile::testing {

// reconcile-provider-testing (tests/unit/provider/testing_provider.cc).
inline std::string TestingPluginPath() { return RECONCILE_TESTING_PLUGIN; }
// raw_plugin (tests/unit/provider/raw_plugin.cc), mode chosen by argument.
inline std::string RawPluginPath() { return RECONCILE_RAW_PLUGIN; }
// The build tree's libexec/reconcile, where shipped plugins are built.
inline std::string BuiltPluginDir() { return RECONCILE_PLUGIN_DIR; }

inline PluginOptions RawMode(const std::string& mode) {
  PluginOptions options;
  options.arguments = {mode};
  return options;
}

inline ApplyRequest Create(const std::string& type, const std::string& name, Value planned) {
  ApplyRequest request;
  request.type = type;
  request.address = type + "." + name;
  request.action = ApplyAction::kCreate;
  request.planned_state = std::move(planned);
  return request;
}

inline ReadRequest Read(const std::string& type, const std::string& name, Value current) {
  return ReadRequest{type, type + "." + name, std::move(current)};
}

}  // namespace reconcile::testing
