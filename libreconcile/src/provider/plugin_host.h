// The host side of the plugin protocol below StartPlugin: starting a plugin
// and shaking hands with it (discovery probes versions this way too).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "provider/rpc_client.h"
#include "reconcile/plugin.h"
#include "reconcile/provider.h"

namespace reconcile::plugin {

// What a plugin said about itself in the handshake.
struct Handshake {
  ProviderInfo info;
  std::string protocol_version;
  nlohmann::json capabilities = nlohmann::json::object();
};

// Starts the plugin at `path` and performs the handshake. Returns null with
// errors in *diagnostics when it cannot start, does not answer, or speaks
// another major protocol version.
std::unique_ptr<RpcClient> Connect(const std::string& path, const PluginOptions& options,
                                   Handshake* handshake, Diagnostics* diagnostics);

// `configured`, unless RECONCILE_PLUGIN_TIMEOUT (seconds) overrides it.
std::chrono::milliseconds EffectiveTimeout(std::chrono::milliseconds configured);

}  // namespace reconcile::plugin
