// The host's end of one plugin process: JSON-RPC 2.0 requests pipelined over
// the child's stdin, answers matched by id from its stdout, its stderr sent to
// the log (every message too, at trace). One I/O thread owns the pipes; any
// number of threads may call. Every failure (crash, hang past a timeout,
// garbage) becomes diagnostics naming the provider and the call in flight.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include "provider/child_process.h"
#include "provider/line_buffer.h"
#include "reconcile/diagnostics.h"

namespace reconcile::plugin {

// The outcome of one call: the method's result, or diagnostics saying why
// there is none.
struct RpcReply {
  bool ok = false;
  nlohmann::json result;
  Diagnostics diagnostics;
};

class RpcClient {
 public:
  // Takes over a started plugin. `provider_name` names it in messages until
  // the handshake tells its real name (set_provider_name).
  RpcClient(std::unique_ptr<ChildProcess> child, std::string path, std::string provider_name);
  // Kills the plugin if Shutdown did not end it, and joins the I/O thread.
  ~RpcClient();
  RpcClient(const RpcClient&) = delete;
  RpcClient& operator=(const RpcClient&) = delete;

  void set_provider_name(std::string name);
  std::string provider_name() const;

  class Call;
  // Sends a request; `address` is the resource it is about (may be empty).
  std::shared_ptr<Call> Send(std::string_view method, nlohmann::json params, std::string address);
  // Waits for the answer to `call` for at most `timeout`.
  RpcReply Await(const std::shared_ptr<Call>& call, std::chrono::milliseconds timeout);
  RpcReply Invoke(std::string_view method, nlohmann::json params, std::string address,
                  std::chrono::milliseconds timeout) {
    return Await(Send(method, std::move(params), std::move(address)), timeout);
  }

  // Sends a notification (a request without id: no answer).
  void Notify(std::string_view method, nlohmann::json params);
  // Gives up on the plugin at once: every call in flight fails with
  // `summary`/`detail` (their outcome is unknown) and the process is killed.
  void Abandon(const std::string& summary, const std::string& detail);

  // Closes the plugin's stdin and waits up to `grace` for it to exit, then
  // sends SIGTERM and, after `grace` again, SIGKILL. Calls in flight finish if
  // their answers arrive before the plugin ends; later calls fail at once.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  void IoLoop();
  void Wake();
  void WritePending();
  void ReadStdout();
  void ReadStderr();
  void LogStderrLine(const std::string& line);
  void HandleLine(const std::string& line);
  void HandleResponse(const nlohmann::json& message, const std::string& line);
  void OnStdoutClosed();
  void Break(const std::string& summary_suffix, const std::string& detail, bool kill);
  std::shared_ptr<Call> SendLocked(std::string_view method, nlohmann::json params,
                                   std::string address);
  // Queues one message line (mutex_ held).
  void EnqueueLocked(const nlohmann::json& message);
  void Complete(const std::shared_ptr<Call>& call, RpcReply reply);
  // Requires mutex_ held.
  Diagnostic CallDiagnostic(const Call& call, const std::string& what,
                            const std::string& detail) const;
  std::string StderrTail() const;

  std::unique_ptr<ChildProcess> child_;
  std::string path_;
  int wake_read_ = -1;
  int wake_write_ = -1;
  std::thread io_thread_;
  LineBuffer stdout_lines_;
  LineBuffer stderr_lines_{std::size_t{1} << 20};

  mutable std::mutex mutex_;  // guards everything below
  std::string name_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::shared_ptr<Call>> pending_;
  std::string outbox_;
  bool close_stdin_ = false;
  bool stopping_ = false;
  bool quit_ = false;
  bool broken_ = false;
  std::string broken_summary_;  // "exited (exit status 1)", "wrote a malformed message"
  std::string broken_detail_;
  std::deque<std::string> stderr_tail_;
};

}  // namespace reconcile::plugin
