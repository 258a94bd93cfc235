#include "provider/rpc_client.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>

#include "core/log.h"
#include "provider/wire.h"

namespace reconcile::plugin {

using nlohmann::json;

class RpcClient::Call {
 public:
  std::uint64_t id = 0;
  std::string method;
  std::string address;
  // Guarded by the client's mutex.
  bool done = false;
  RpcReply reply;
  std::condition_variable finished;
};

namespace {

constexpr std::size_t kStderrTailLines = 12;
constexpr auto kExitWaitAfterEof = std::chrono::seconds(2);

void SetNonBlocking(int fd) {
  if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// "1s", "1.5s", "30m", "250ms".
std::string FormatDuration(std::chrono::milliseconds d) {
  long long ms = d.count();
  if (ms >= 60000 && ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms >= 1000 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  if (ms >= 1000) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3gs", static_cast<double>(ms) / 1000.0);
    return text;
  }
  return std::to_string(ms) + "ms";
}

std::string Subject(const std::string& method, const std::string& address) {
  return address.empty() ? method : method + " for " + address;
}

// A line the plugin wrote with reconcile's own log format keeps its level;
// anything else is logged at info.
log::Level StderrLineLevel(std::string_view line, std::string_view* message) {
  static constexpr std::array<std::pair<std::string_view, log::Level>, 5> kLevels{{
      {" ERROR ", log::Level::kError},
      {" WARN ", log::Level::kWarn},
      {" INFO ", log::Level::kInfo},
      {" DEBUG ", log::Level::kDebug},
      {" TRACE ", log::Level::kTrace},
  }};
  std::size_t space = line.find(' ');
  if (space != std::string_view::npos && space > 0) {
    for (const auto& [word, level] : kLevels) {
      if (line.substr(space, word.size()) == word) {
        *message = line.substr(space + word.size());
        return level;
      }
    }
  }
  *message = line;
  return log::Level::kInfo;
}

}  // namespace

RpcClient::RpcClient(std::unique_ptr<ChildProcess> child, std::string path,
                     std::string provider_name)
    : child_(std::move(child)), path_(std::move(path)), name_(std::move(provider_name)) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
    wake_read_ = fds[0];
    wake_write_ = fds[1];
  }
  SetNonBlocking(child_->stdin_fd());
  SetNonBlocking(child_->stdout_fd());
  SetNonBlocking(child_->stderr_fd());
  io_thread_ = std::thread([this] { IoLoop(); });
}

RpcClient::~RpcClient() {
  if (!child_->HasExited()) {
    child_->Signal(SIGKILL);
    child_->WaitForExit(std::chrono::seconds(5));
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  Wake();
  if (io_thread_.joinable()) io_thread_.join();
  for (int fd : {wake_read_, wake_write_})
    if (fd >= 0) ::close(fd);
}

void RpcClient::set_provider_name(std::string name) {
  std::lock_guard<std::mutex> lock(mutex_);
  name_ = std::move(name);
}

std::string RpcClient::provider_name() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return name_;
}

std::shared_ptr<RpcClient::Call> RpcClient::Send(std::string_view method, json params,
                                                 std::string address) {
  auto call = std::make_shared<Call>();
  call->method = std::string(method);
  call->address = std::move(address);
  json message{
      {"jsonrpc", "2.0"}, {"id", 0}, {"method", call->method}, {"params", std::move(params)}};
  std::lock_guard<std::mutex> lock(mutex_);
  if (broken_ || stopping_) {
    std::string reason = broken_ ? broken_summary_ : "was stopped";
    RpcReply reply;
    reply.diagnostics.Add(CallDiagnostic(
        *call, "cannot run " + Subject(call->method, call->address) + ": it " + reason,
        broken_ ? broken_detail_ : "No call can be made after the provider is stopped."));
    Complete(call, std::move(reply));
    return call;
  }
  call->id = next_id_++;
  message["id"] = call->id;
  outbox_ += message.dump(-1, ' ', false, json::error_handler_t::replace);
  outbox_ += '\n';
  pending_[call->id] = call;
  Wake();
  return call;
}

RpcReply RpcClient::Await(const std::shared_ptr<Call>& call, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!call->finished.wait_for(lock, timeout, [&] { return call->done; })) {
    pending_.erase(call->id);
    RpcReply reply;
    reply.diagnostics.Add(CallDiagnostic(
        *call,
        "did not answer " + Subject(call->method, call->address) + " within " +
            FormatDuration(timeout),
        "The plugin " + path_ + " may be hung, or the operation is slower than the timeout; " +
            "the call was abandoned. If it is merely slow, raise the timeout with " +
            "RECONCILE_PLUGIN_TIMEOUT (seconds)."));
    return reply;
  }
  return std::move(call->reply);
}

void RpcClient::Shutdown(std::chrono::milliseconds grace) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    close_stdin_ = true;
  }
  Wake();
  if (child_->WaitForExit(grace)) return;
  child_->Signal(SIGTERM);
  if (child_->WaitForExit(grace)) return;
  child_->Signal(SIGKILL);
  child_->WaitForExit(std::chrono::seconds(5));
}

void RpcClient::Wake() {
  if (wake_write_ < 0) return;
  char byte = 1;
  ssize_t ignored = ::write(wake_write_, &byte, 1);  // a full pipe already wakes the loop
  (void)ignored;
}

void RpcClient::IoLoop() {
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);  // a dead plugin gives EPIPE, not a signal
  while (true) {
    bool want_write = false;
    bool quit = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      quit = quit_;
      if (close_stdin_ && outbox_.empty()) child_->CloseStdin();
      want_write = !outbox_.empty() && child_->stdin_fd() >= 0;
    }
    if (quit) {
      ReadStderr();  // what an ended plugin last said still reaches the log
      return;
    }
    std::array<pollfd, 4> fds{};
    fds[0] = {wake_read_, POLLIN, 0};
    fds[1] = {child_->stdout_fd(), POLLIN, 0};
    fds[2] = {child_->stderr_fd(), POLLIN, 0};
    fds[3] = {want_write ? child_->stdin_fd() : -1, POLLOUT, 0};
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents != 0) {
      char drain[256];
      while (::read(wake_read_, drain, sizeof drain) > 0) {
      }
    }
    if (fds[3].revents != 0) WritePending();
    if (fds[1].revents != 0) ReadStdout();
    if (fds[2].revents != 0) ReadStderr();
  }
}

void RpcClient::WritePending() {
  std::string chunk;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    chunk.swap(outbox_);
  }
  std::size_t written = 0;
  bool failed = false;
  while (written < chunk.size()) {
    ssize_t n = ::write(child_->stdin_fd(), chunk.data() + written, chunk.size() - written);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      failed = n < 0 && errno != EAGAIN;
      break;
    }
  }
  if (failed) {
    child_->CloseStdin();
    // A plugin that exited is reported when its stdout ends; one that lives
    // on without reading is broken.
    if (!child_->WaitForExit(kExitWaitAfterEof))
      Break("stopped reading requests",
            "Writing to the plugin's stdin failed; a plugin must read requests until stdin closes.",
            true);
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  outbox_.insert(0, chunk, written);
}

void RpcClient::ReadStdout() {
  char buffer[65536];
  while (child_->stdout_fd() >= 0) {
    ssize_t n = ::read(child_->stdout_fd(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {
      OnStdoutClosed();
      return;
    }
    stdout_lines_.Append(buffer, static_cast<std::size_t>(n));
    std::string line;
    while (stdout_lines_.Next(&line)) HandleLine(line);
    if (stdout_lines_.overflowed()) {
      Break("wrote a malformed message",
            "A line on its stdout exceeded the size limit without a newline: \"" +
                wire::Excerpt(stdout_lines_.TakeRest()) + "\"",
            true);
    }
  }
}

void RpcClient::ReadStderr() {
  char buffer[16384];
  while (child_->stderr_fd() >= 0) {
    ssize_t n = ::read(child_->stderr_fd(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n > 0) {
      stderr_lines_.Append(buffer, static_cast<std::size_t>(n));
      std::string line;
      while (stderr_lines_.Next(&line)) LogStderrLine(line);
      if (stderr_lines_.overflowed()) LogStderrLine(stderr_lines_.TakeRest());
      continue;
    }
    std::string rest = stderr_lines_.TakeRest();
    if (!rest.empty()) LogStderrLine(rest);
    child_->CloseStderr();
    return;
  }
}

void RpcClient::LogStderrLine(const std::string& line) {
  std::string component = provider_name();
  std::string_view message;
  log::Level level = StderrLineLevel(line, &message);
  log::Write(level, component, message);
  std::lock_guard<std::mutex> lock(mutex_);
  stderr_tail_.push_back(wire::Excerpt(line, 300));
  if (stderr_tail_.size() > kStderrTailLines) stderr_tail_.pop_front();
}

void RpcClient::HandleLine(const std::string& line) {
  if (line.find_first_not_of(" \t\r") == std::string::npos) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (broken_) return;
  }
  json message;
  std::string problem;
  if (wire::ParseMessage(line, &message, &problem) && !message.is_object())
    problem = "not a JSON object";
  if (problem.empty() && message.contains("method")) {
    log::Write(log::Level::kWarn, provider_name(),
               "ignoring a request from the plugin: " + wire::Excerpt(line));
    return;
  }
  if (problem.empty()) {
    HandleResponse(message, line);
    return;
  }
  Break(
      "wrote a malformed message",
      "A line on its stdout is not a JSON-RPC 2.0 message (" + problem + "): \"" +
          wire::Excerpt(line) +
          "\". A plugin writes only protocol messages to stdout, one per line; logs go to stderr.",
      true);
}

void RpcClient::HandleResponse(const json& message, const std::string& line) {
  auto id = message.find("id");
  bool has_result = message.contains("result");
  const json* error = message.contains("error") ? &message["error"] : nullptr;
  if (id != message.end() && id->is_null() && error != nullptr) {
    log::Write(log::Level::kError, provider_name(),
               "the plugin could not read a request: " + wire::Excerpt(line, 300));
    return;
  }
  if (id == message.end() || !id->is_number_unsigned()) {
    Break("wrote a malformed message",
          "An answer on its stdout has no request id: \"" + wire::Excerpt(line) + "\"", true);
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = pending_.find(id->get<std::uint64_t>());
  if (found == pending_.end()) {
    log::Write(log::Level::kWarn, name_,
               "ignoring an answer to request " + id->dump() + ", which is no longer awaited");
    return;
  }
  std::shared_ptr<Call> call = found->second;
  pending_.erase(found);
  RpcReply reply;
  if (has_result) {
    reply.ok = true;
    reply.result = message["result"];
  } else if (error != nullptr && error->is_object()) {
    std::string text = error->value("message", std::string("(no message)"));
    int code = error->value("code", 0);
    reply.diagnostics.Add(
        CallDiagnostic(*call, "failed " + Subject(call->method, call->address) + ": " + text,
                       "JSON-RPC error code " + std::to_string(code) + "."));
    std::string ignored;
    if (error->contains("data") && (*error)["data"].is_object() &&
        (*error)["data"].contains("diagnostics"))
      wire::DecodeDiagnostics((*error)["data"]["diagnostics"], &reply.diagnostics, &ignored);
  } else {
    reply.diagnostics.Add(CallDiagnostic(
        *call,
        "answered " + Subject(call->method, call->address) + " with neither result nor error",
        "The answer was: \"" + wire::Excerpt(line) + "\""));
  }
  Complete(call, std::move(reply));
}

void RpcClient::OnStdoutClosed() {
  child_->CloseStdout();
  bool exited = child_->WaitForExit(kExitWaitAfterEof);
  ReadStderr();
  std::string summary;
  std::string detail;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      summary = "was stopped";
      detail = "Reconcile stopped the plugin before it answered.";
    }
  }
  if (summary.empty()) {
    summary = exited ? "exited (" + child_->ExitDescription() + ")" : "closed its stdout";
    detail = "The plugin " + path_ + " ended unexpectedly; whether the operation took effect " +
             "is unknown." + StderrTail();
  }
  Break(summary, detail, !exited);
}

void RpcClient::Break(const std::string& summary, const std::string& detail, bool kill) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (broken_) return;
    broken_ = true;
    broken_summary_ = summary;
    broken_detail_ = detail;
    outbox_.clear();
    for (auto& [id, call] : pending_) {
      RpcReply reply;
      reply.diagnostics.Add(CallDiagnostic(
          *call, summary + " while " + Subject(call->method, call->address) + " was in flight",
          detail));
      Complete(call, std::move(reply));
    }
    pending_.clear();
  }
  if (kill) child_->Signal(SIGKILL);
}

void RpcClient::Complete(const std::shared_ptr<Call>& call, RpcReply reply) {
  call->reply = std::move(reply);
  call->done = true;
  call->finished.notify_all();
}

Diagnostic RpcClient::CallDiagnostic(const Call& call, const std::string& what,
                                     const std::string& detail) const {
  Diagnostic d;
  d.summary = "provider \"" + name_ + "\" " + what;
  d.detail = detail;
  d.address = call.address;
  return d;
}

std::string RpcClient::StderrTail() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stderr_tail_.empty()) return {};
  std::string out = "\nIts last lines on stderr:";
  for (const std::string& line : stderr_tail_) out += "\n  " + line;
  return out;
}

}  // namespace reconcile::plugin
