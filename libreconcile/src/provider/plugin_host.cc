#include "provider/plugin_host.h"

#include <cstdlib>
#include <filesystem>

#include "provider/wire.h"
#include "provider/wire_fields.h"

#ifndef RECONCILE_VERSION
#define RECONCILE_VERSION "0.0.0"
#endif

namespace reconcile::plugin {

namespace {

constexpr std::string_view kExecutablePrefix = "reconcile-provider-";

// "random" for .../reconcile-provider-random: the name until the handshake tells.
std::string ProvisionalName(const std::string& path) {
  std::string base = std::filesystem::path(path).filename().string();
  if (base.rfind(kExecutablePrefix, 0) == 0) return base.substr(kExecutablePrefix.size());
  return base;
}

std::string MajorOf(const std::string& version) { return version.substr(0, version.find('.')); }

bool ReadHandshake(const nlohmann::json& result, Handshake* out, std::string* error) {
  wire::FieldReader fields(result, "handshake result", error);
  fields.String("protocol_version", &out->protocol_version, true)
      .String("name", &out->info.name, true)
      .String("version", &out->info.version, true);
  if (!fields.ok()) return false;
  if (const nlohmann::json* capabilities = fields.Raw("capabilities")) {
    if (!capabilities->is_object()) return fields.Fail("capabilities", "must be an object").ok();
    out->capabilities = *capabilities;
  }
  return true;
}

}  // namespace

std::chrono::milliseconds EffectiveTimeout(std::chrono::milliseconds configured) {
  const char* text = std::getenv("RECONCILE_PLUGIN_TIMEOUT");
  if (text == nullptr || *text == '\0') return configured;
  char* end = nullptr;
  double seconds = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(seconds > 0)) return configured;
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

std::unique_ptr<RpcClient> Connect(const std::string& path, const PluginOptions& options,
                                   Handshake* handshake, Diagnostics* diagnostics) {
  std::string error;
  std::unique_ptr<ChildProcess> child =
      ChildProcess::Spawn(path, options.arguments, options.environment,
                          options.working_directory, &error);
  if (!child) {
    diagnostics->Error("Cannot start provider plugin " + path, error);
    return nullptr;
  }
  auto client = std::make_unique<RpcClient>(std::move(child), path, ProvisionalName(path));
  nlohmann::json params{{"protocol_version", wire::kProtocolVersion},
                        {"host", "reconcile"},
                        {"host_version", RECONCILE_VERSION}};
  RpcReply reply = client->Invoke("handshake", std::move(params), {},
                                  EffectiveTimeout(options.handshake_timeout));
  if (!reply.ok) {
    diagnostics->Append(reply.diagnostics);
  } else if (!ReadHandshake(reply.result, handshake, &error)) {
    diagnostics->Error("Provider plugin " + path + " answered the handshake wrongly", error);
  } else if (MajorOf(handshake->protocol_version) != MajorOf(std::string(wire::kProtocolVersion))) {
    diagnostics->Error("Provider plugin " + path + " speaks plugin protocol " +
                           handshake->protocol_version + ", but this reconcile speaks " +
                           std::string(wire::kProtocolVersion),
                       "The protocol's major version must match. Install a build of the \"" +
                           handshake->info.name + "\" provider for protocol " +
                           MajorOf(std::string(wire::kProtocolVersion)) +
                           ".x, or a reconcile that speaks " + handshake->protocol_version + ".");
  } else {
    client->set_provider_name(handshake->info.name);
    return client;
  }
  client->Shutdown(options.stop_grace);
  return nullptr;
}

}  // namespace reconcile::plugin
