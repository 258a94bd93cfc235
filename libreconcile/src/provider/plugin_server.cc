// ServeProvider: the plugin's end of the protocol. The main thread reads
// requests from stdin; a worker pool runs them; answers are written to the
// protocol's stdout as they finish, in any order, one whole line at a time.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <variant>

#include <nlohmann/json.hpp>

#include "provider/line_buffer.h"
#include "provider/log_redaction.h"
#include "provider/wire.h"
#include "provider/worker_pool.h"
#include "reconcile/plugin.h"

namespace reconcile {

namespace {

using nlohmann::json;

// JSON-RPC 2.0 error codes, and ours in the server range.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kStopping = -32001;

constexpr std::size_t kDefaultMaxWorkers = 256;

// A failed method: a JSON-RPC error object.
struct RpcError {
  int code = 0;
  std::string message;
};

std::size_t MaxWorkers() {
  const char* text = std::getenv("RECONCILE_PLUGIN_WORKERS");
  long n = text ? std::strtol(text, nullptr, 10) : 0;
  return n > 0 ? static_cast<std::size_t>(n) : kDefaultMaxWorkers;
}

class ProviderServer {
 public:
  ProviderServer(std::unique_ptr<Provider> provider, int out_fd)
      : provider_(std::move(provider)),
        out_fd_(out_fd),
        max_workers_(MaxWorkers()),
        pool_(max_workers_) {
    handlers_ = {
        {"schema", [this](const json&) { return wire::EncodeSchema(provider_->Schema()); }},
        {"configure", [this](const json& p) { return Configure(p); }},
        {"validate", [this](const json& p) { return Validate(p); }},
        {"plan", [this](const json& p) { return Serve<PlanRequest>(p, &Provider::PlanResource); }},
        {"apply",
         [this](const json& p) { return Serve<ApplyRequest>(p, &Provider::ApplyResource); }},
        {"read", [this](const json& p) { return Serve<ReadRequest>(p, &Provider::ReadResource); }},
        {"read_batch", [this](const json& p) { return ReadBatch(p); }},
        {"import",
         [this](const json& p) { return Serve<ImportRequest>(p, &Provider::ImportResource); }},
        {"adopt",
         [this](const json& p) { return Serve<AdoptRequest>(p, &Provider::AdoptResource); }},
        {"read_data",
         [this](const json& p) { return Serve<DataRequest>(p, &Provider::ReadDataSource); }},
        {"upgrade_state",
         [this](const json& p) { return Serve<UpgradeStateRequest>(p, &Provider::UpgradeState); }},
        {"rollout_status",
         [this](const json& p) { return Serve<RolloutRequest>(p, &Provider::RolloutStatus); }},
    };
  }

  // Serves until `in_fd` closes and every request has been answered.
  int Run(int in_fd) {
    plugin::LineBuffer lines;
    char buffer[65536];
    while (true) {
      ssize_t n = ::read(in_fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      lines.Append(buffer, static_cast<std::size_t>(n));
      std::string line;
      while (lines.Next(&line)) HandleLine(line);
      if (lines.overflowed()) RespondError(nullptr, kParseError, "request line too long");
      if (lines.overflowed()) lines.TakeRest();
    }
    std::string rest = lines.TakeRest();
    if (!rest.empty()) HandleLine(rest);
    pool_.Drain();
    return write_failed_ ? 1 : 0;
  }

 private:
  using Result = std::variant<json, RpcError>;
  using Handler = std::function<Result(const json&)>;

  void HandleLine(const std::string& line) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;
    json message;
    std::string problem;
    if (!wire::ParseMessage(line, &message, &problem)) {
      RespondError(nullptr, kParseError, "not JSON: " + problem);
      return;
    }
    json id = message.is_object() && message.contains("id") ? message["id"] : json();
    if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
      RespondError(id, kInvalidRequest, "a request is an object with a string \"method\"");
      return;
    }
    std::string method = message["method"];
    json params = message.contains("params") ? message["params"] : json::object();
    // Served here, in order, before any later request starts.
    if (method == "handshake") {
      Respond(id, Handshake());
      return;
    }
    if (method == "stop") {
      Respond(id, Stop());
      return;
    }
    if (method == "redact") {
      Redact(params);
      return;
    }
    HideSensitive(params);
    // A request that must wait for a worker is queued; a stop drops it.
    bool queued = pool_.Saturated();
    pool_.Submit([this, id = std::move(id), method = std::move(method), params = std::move(params),
                  queued, generation = stops_.load()] {
      if (queued && generation != stops_.load())
        Respond(id, RpcError{kStopping, "the provider is stopping"});
      else
        Respond(id, Dispatch(method, params));
    });
  }

  Result Dispatch(const std::string& method, const json& params) {
    auto handler = handlers_.find(method);
    if (handler == handlers_.end()) return RpcError{kMethodNotFound, "unknown method " + method};
    try {
      return handler->second(params);
    } catch (const std::exception& e) {
      return RpcError{kInternalError, std::string("the provider failed: ") + e.what()};
    }
  }

  json Handshake() {
    ProviderInfo info = provider_->Info();
    return json{{"protocol_version", wire::kProtocolVersion},
                {"name", info.name},
                {"version", info.version},
                {"capabilities",
                 {{"read_batch", true},
                  {"rollout_status", true},
                  {"concurrent_requests", max_workers_},
                  {"redact", true}}}};
  }

  Result Configure(const json& params) {
    ConfigureRequest request;
    std::string error;
    if (!wire::Decode(params, &request, &error)) return RpcError{kInvalidParams, error};
    return json{{"diagnostics", wire::EncodeDiagnostics(provider_->Configure(request))}};
  }

  Result Validate(const json& params) {
    if (!params.is_object() || !params.contains("type") || !params["type"].is_string())
      return RpcError{kInvalidParams, "validate params: field \"type\" must be a string"};
    Value config;
    std::string error;
    if (params.contains("config") && !wire::DecodeValue(params["config"], &config, &error))
      return RpcError{kInvalidParams, "validate params: field \"config\": " + error};
    Diagnostics diagnostics = provider_->ValidateResource(params["type"], config);
    return json{{"diagnostics", wire::EncodeDiagnostics(diagnostics)}};
  }

  // Decodes a request, calls the provider, encodes its response.
  template <typename Request, typename Response>
  Result Serve(const json& params, Response (Provider::*method)(const Request&)) {
    Request request;
    std::string error;
    if (!wire::Decode(params, &request, &error)) return RpcError{kInvalidParams, error};
    return wire::Encode((provider_.get()->*method)(request));
  }

  Result ReadBatch(const json& params) {
    if (!params.is_object() || !params.contains("requests") || !params["requests"].is_array())
      return RpcError{kInvalidParams, "read_batch params: field \"requests\" must be an array"};
    std::vector<ReadRequest> requests(params["requests"].size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
      std::string error;
      if (!wire::Decode(params["requests"][i], &requests[i], &error))
        return RpcError{kInvalidParams, "requests[" + std::to_string(i) + "]: " + error};
    }
    json responses = json::array();
    for (const ReadResponse& r : provider_->ReadResources(requests))
      responses.push_back(wire::Encode(r));
    return json{{"responses", std::move(responses)}};
  }

  // Requests queued for want of a worker are dropped; the provider is told
  // to finish what it is doing soon. Requests sent after it are served: the
  // host sends only those of operations already in flight.
  Result Stop() {
    ++stops_;
    provider_->Stop();
    return json::object();
  }

  // The host's list of values to keep out of this process's log.
  static void Redact(const json& params) {
    if (!params.is_object() || !params.contains("values") || !params["values"].is_array()) return;
    for (const json& value : params["values"])
      if (value.is_string()) plugin::HideInLog(value.get<std::string>());
  }

  // Values a request marks sensitive never reach this process's log either.
  static void HideSensitive(const json& params) {
    std::vector<std::string> sensitive;
    plugin::CollectSensitiveStrings(params, &sensitive);
    for (const std::string& value : sensitive) plugin::HideInLog(value);
  }

  void Respond(const json& id, Result result) {
    if (id.is_null()) return;  // a notification: no answer
    if (auto* error = std::get_if<RpcError>(&result)) {
      RespondError(id, error->code, error->message);
      return;
    }
    Write(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(std::get<json>(result))}});
  }

  void RespondError(const json& id, int code, const std::string& message) {
    Write(json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
  }

  // One whole line per message; writers never interleave.
  void Write(const json& message) {
    std::string line = message.dump(-1, ' ', false, json::error_handler_t::replace);
    line += '\n';
    std::lock_guard<std::mutex> lock(write_mutex_);
    std::size_t written = 0;
    while (written < line.size() && !write_failed_) {
      ssize_t n = ::write(out_fd_, line.data() + written, line.size() - written);
      if (n > 0)
        written += static_cast<std::size_t>(n);
      else if (!(n < 0 && errno == EINTR))
        write_failed_ = true;  // the host is gone
    }
  }

  std::unique_ptr<Provider> provider_;
  int out_fd_;
  std::size_t max_workers_;
  std::map<std::string, Handler, std::less<>> handlers_;
  std::atomic<int> stops_{0};  // `stop` requests so far
  std::mutex write_mutex_;
  std::atomic<bool> write_failed_{false};
  plugin::WorkerPool pool_;  // last: destroyed (drained) first
};

// Keeps the protocol's own copies of stdin and stdout and points fds 0 and 1
// elsewhere, so stray reads and prints cannot corrupt the protocol.
void TakeProtocolStreams(int* in_fd, int* out_fd) {
  *in_fd = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
  *out_fd = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd >= 0) {
    ::dup2(null_fd, STDIN_FILENO);
    ::close(null_fd);
  }
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
}

}  // namespace

int ServeProvider(std::unique_ptr<Provider> provider) {
  ::signal(SIGPIPE, SIG_IGN);
  int in_fd = -1;
  int out_fd = -1;
  TakeProtocolStreams(&in_fd, &out_fd);
  if (in_fd < 0 || out_fd < 0) return 1;
  int code = 0;
  {
    ProviderServer server(std::move(provider), out_fd);
    code = server.Run(in_fd);
  }
  ::close(in_fd);
  ::close(out_fd);
  return code;
}

}  // namespace reconcile
