// Runs the same provider test cases in-process and through the plugin: the
// parameter of every test in tests/unit/providers.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "reconcile/plugin.h"

namespace reconcile::testing {

enum class ProviderMode { kInProcess, kPlugin };

inline void PrintTo(ProviderMode mode, std::ostream* os) {
  *os << (mode == ProviderMode::kInProcess ? "in-process" : "plugin");
}

inline std::string ModeName(const ::testing::TestParamInfo<ProviderMode>& info) {
  return info.param == ProviderMode::kInProcess ? "InProcess" : "Plugin";
}

// The provider in `mode`: from `factory`, or the built plugin executable.
inline std::unique_ptr<Provider> ProviderIn(ProviderMode mode, const ProviderFactory& factory,
                                            const std::string& name) {
  if (mode == ProviderMode::kInProcess) return factory();
  Diagnostics diagnostics;
  std::string path = std::string(RECONCILE_PLUGIN_DIR) + "/reconcile-provider-" + name;
  std::unique_ptr<Provider> provider = StartPlugin(path, {}, &diagnostics);
  EXPECT_NE(provider, nullptr) << diagnostics.ToString();
  return provider;
}

inline ApplyRequest ApplyOf(ApplyAction action, const std::string& type, const std::string& name,
                            Value prior, Value planned) {
  ApplyRequest request;
  request.type = type;
  request.address = type + "." + name;
  request.action = action;
  request.prior_state = std::move(prior);
  request.planned_state = std::move(planned);
  request.config = request.planned_state;
  return request;
}

}  // namespace reconcile::testing
