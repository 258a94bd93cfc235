// A Provider that forwards every call to a plugin process (StartPlugin).
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>

#include "core/log.h"
#include "provider/log_redaction.h"
#include "provider/plugin_host.h"
#include "provider/wire.h"
#include "reconcile/plugin.h"

namespace reconcile {

namespace {

using nlohmann::json;
using plugin::RpcClient;
using plugin::RpcReply;

class PluginProvider final : public Provider {
 public:
  PluginProvider(std::unique_ptr<RpcClient> client, plugin::Handshake handshake,
                 const PluginOptions& options)
      : client_(std::move(client)),
        info_(std::move(handshake.info)),
        batch_reads_(handshake.capabilities.value("read_batch", false)),
        redact_(handshake.capabilities.value("redact", false)),
        rollout_status_(handshake.capabilities.value("rollout_status", false)),
        call_timeout_(plugin::EffectiveTimeout(options.call_timeout)),
        apply_timeout_(plugin::EffectiveTimeout(options.apply_timeout)),
        stop_grace_(options.stop_grace) {}

  ~PluginProvider() override {
    Stop();
    client_->Shutdown(stop_grace_);  // after the stop: no call is accepted any more
  }

  // Fetches the schema once; false with diagnostics when it cannot.
  bool LoadSchema(Diagnostics* diagnostics) {
    RpcReply reply = client_->Invoke("schema", json::object(), {}, call_timeout_);
    std::string error;
    if (!reply.ok) {
      diagnostics->Append(reply.diagnostics);
      return false;
    }
    if (!wire::DecodeSchema(reply.result, &schema_, &error)) {
      diagnostics->Error("provider \"" + info_.name + "\" sent a malformed schema", error);
      return false;
    }
    return true;
  }

  ProviderInfo Info() const override { return info_; }
  const ProviderSchema& Schema() const override { return schema_; }

  Diagnostics Configure(const ConfigureRequest& request) override {
    return DiagnosticsOf("configure", wire::Encode(request), {});
  }

  Diagnostics ValidateResource(const std::string& type, const Value& config) override {
    json params{{"type", type}, {"config", wire::EncodeValue(config)}};
    return DiagnosticsOf("validate", std::move(params), {});
  }

  PlanResponse PlanResource(const PlanRequest& request) override {
    return Exchange<PlanResponse>("plan", wire::Encode(request), request.address, call_timeout_);
  }

  // A call without a well-formed answer (the plugin died, hung past the
  // timeout, or wrote garbage) may have done its work before it failed.
  ApplyResponse ApplyResource(const ApplyRequest& request) override {
    bool answered = false;
    json params = wire::Encode(request);
    ShareSecrets(params);
    ApplyResponse response =
        Decoded<ApplyResponse>(client_->Invoke("apply", std::move(params), request.address, apply_timeout_),
                               "apply", request.address, &answered);
    if (!answered) response.outcome_unknown = true;
    return response;
  }

  ReadResponse ReadResource(const ReadRequest& request) override {
    return Exchange<ReadResponse>("read", wire::Encode(request), request.address, call_timeout_);
  }

  std::vector<ReadResponse> ReadResources(const std::vector<ReadRequest>& requests) override {
    return batch_reads_ ? ReadBatch(requests) : ReadPipelined(requests);
  }

  ImportResponse ImportResource(const ImportRequest& request) override {
    return Exchange<ImportResponse>("import", wire::Encode(request), request.address,
                                    call_timeout_);
  }

  ReadResponse AdoptResource(const AdoptRequest& request) override {
    return Exchange<ReadResponse>("adopt", wire::Encode(request), request.address, call_timeout_);
  }

  DataResponse ReadDataSource(const DataRequest& request) override {
    return Exchange<DataResponse>("read_data", wire::Encode(request), request.address,
                                  call_timeout_);
  }

  UpgradeStateResponse UpgradeState(const UpgradeStateRequest& request) override {
    return Exchange<UpgradeStateResponse>("upgrade_state", wire::Encode(request), {},
                                          call_timeout_);
  }

  // Sent only to a plugin whose handshake offers it (protocol 1.1).
  RolloutResponse RolloutStatus(const RolloutRequest& request) override {
    if (!rollout_status_) return {};
    return Exchange<RolloutResponse>("rollout_status", wire::Encode(request), request.address,
                                     call_timeout_);
  }

  // Tells the plugin to finish what it is doing soon and drop what it has
  // queued. The process ends when the provider is destroyed (stdin closed,
  // then signals after the grace period).
  void Stop() override {
    std::call_once(stopped_, [this] { client_->Send("stop", json::object(), {}); });
  }

  // Kills the plugin: calls in flight fail at once, their outcome unknown.
  void Abandon() override {
    Stop();
    client_->Abandon("was abandoned",
                     "A second interrupt stopped reconcile waiting for the plugin, and the plugin "
                     "was killed; whether the operation took effect is unknown. The next plan or "
                     "refresh looks for the object.");
  }

 private:
  // Decodes a reply into a response; failures become its diagnostics. Every
  // diagnostic about a resource carries the resource's address. *answered
  // (when given) says whether a well-formed answer came.
  template <typename Response>
  Response Decoded(RpcReply reply, std::string_view method, const std::string& address,
                   bool* answered = nullptr) {
    Response out;
    std::string error;
    bool decoded = false;
    if (!reply.ok) {
      out.diagnostics = std::move(reply.diagnostics);
    } else if (!(decoded = wire::Decode(reply.result, &out, &error))) {
      out = Response{};
      Diagnostic d;
      d.summary = "provider \"" + info_.name + "\" sent a malformed answer to " +
                  std::string(method) + (address.empty() ? "" : " for " + address);
      d.detail = error;
      out.diagnostics.Add(std::move(d));
    }
    for (Diagnostic& d : out.diagnostics.items())
      if (d.address.empty()) d.address = address;
    if (answered != nullptr) *answered = decoded;
    return out;
  }

  template <typename Response>
  Response Exchange(std::string_view method, json params, const std::string& address,
                    std::chrono::milliseconds timeout) {
    ShareSecrets(params);
    return Decoded<Response>(client_->Invoke(method, std::move(params), address, timeout), method,
                             address);
  }

  // Before a request carrying sensitive values: hides them in this process's
  // log and, when the plugin takes them, tells it (a `redact` notification)
  // to hide them in its own: the marked strings, and the secrets this process
  // knows (sensitive variables) that they embed, e.g. a password inside a
  // jsonencode()d container definition.
  void ShareSecrets(const json& params) {
    std::vector<std::string> marked;
    plugin::CollectSensitiveStrings(params, &marked);
    if (marked.empty()) return;
    std::vector<std::string> known = plugin::HiddenValues();
    for (const std::string& value : marked) plugin::HideInLog(value);
    if (!redact_) return;
    json values = json::array();
    std::lock_guard<std::mutex> lock(shared_mutex_);
    auto share = [&](const std::string& value) {
      if (value.size() >= log::kMinSecretSize && shared_.insert(value).second) values.push_back(value);
    };
    for (const std::string& value : marked) {
      share(value);
      for (const std::string& secret : known)
        if (value.size() > secret.size() && value.find(secret) != std::string::npos) share(secret);
    }
    if (!values.empty()) client_->Notify("redact", json{{"values", std::move(values)}});
  }

  // For methods whose result is only {"diagnostics": [...]}.
  Diagnostics DiagnosticsOf(std::string_view method, json params, const std::string& address) {
    return Exchange<ReadResponse>(method, std::move(params), address, call_timeout_).diagnostics;
  }

  std::vector<ReadResponse> ReadBatch(const std::vector<ReadRequest>& requests) {
    json items = json::array();
    for (const ReadRequest& r : requests) items.push_back(wire::Encode(r));
    ShareSecrets(items);
    RpcReply reply =
        client_->Invoke("read_batch", json{{"requests", std::move(items)}}, {}, call_timeout_);
    std::vector<ReadResponse> out(requests.size());
    const json* responses = nullptr;
    if (reply.ok && reply.result.is_object() && reply.result.contains("responses"))
      responses = &reply.result["responses"];
    if (reply.ok &&
        (responses == nullptr || !responses->is_array() || responses->size() != requests.size())) {
      reply.ok = false;
      reply.diagnostics.Error(
          "provider \"" + info_.name + "\" sent a malformed answer to read_batch",
          "Expected \"responses\": an array with one entry per request (" +
              std::to_string(requests.size()) + ").");
    }
    for (std::size_t i = 0; i < requests.size(); ++i) {
      RpcReply item{reply.ok, reply.ok ? (*responses)[i] : json(), reply.diagnostics};
      out[i] = Decoded<ReadResponse>(std::move(item), "read", requests[i].address);
    }
    return out;
  }

  // Without read_batch: every read sent at once, answers collected in order.
  std::vector<ReadResponse> ReadPipelined(const std::vector<ReadRequest>& requests) {
    std::vector<std::shared_ptr<RpcClient::Call>> calls;
    for (const ReadRequest& r : requests) {
      json params = wire::Encode(r);
      ShareSecrets(params);
      calls.push_back(client_->Send("read", std::move(params), r.address));
    }
    std::vector<ReadResponse> out;
    auto deadline = std::chrono::steady_clock::now() + call_timeout_;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      out.push_back(Decoded<ReadResponse>(
          client_->Await(calls[i], std::max(left, std::chrono::milliseconds(0))), "read",
          requests[i].address));
    }
    return out;
  }

  std::unique_ptr<RpcClient> client_;
  ProviderInfo info_;
  bool batch_reads_;
  bool redact_;  // the plugin takes `redact` notifications
  bool rollout_status_;  // the plugin serves rollout_status (protocol 1.1)
  ProviderSchema schema_;
  std::chrono::milliseconds call_timeout_;
  std::chrono::milliseconds apply_timeout_;
  std::chrono::milliseconds stop_grace_;
  std::once_flag stopped_;
  std::mutex shared_mutex_;
  std::set<std::string> shared_;  // values the plugin was told to hide
};

}  // namespace

std::unique_ptr<Provider> StartPlugin(const std::string& path, const PluginOptions& options,
                                      Diagnostics* diagnostics) {
  plugin::Handshake handshake;
  std::unique_ptr<RpcClient> client = plugin::Connect(path, options, &handshake, diagnostics);
  if (!client) return nullptr;
  auto provider =
      std::make_unique<PluginProvider>(std::move(client), std::move(handshake), options);
  if (!provider->LoadSchema(diagnostics)) return nullptr;
  return provider;
}

}  // namespace reconcile
