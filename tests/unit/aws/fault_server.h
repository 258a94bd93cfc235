// A loopback HTTP/1.1 server for the AWS client tests that answers from a
// script: canned responses, delays beyond the client's timeout, connections
// reset after the request, and records every request it received.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace reconcile::aws::testing {

// What the server does with the next request.
struct FaultAction {
  enum class Kind { kRespond, kReset, kCloseSilently };
  Kind kind = Kind::kRespond;
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // wait before acting (cut short when the server stops)

  static FaultAction Respond(int status, std::string body = {},
                             std::vector<std::pair<std::string, std::string>> headers = {});
  static FaultAction Reset();  // RST after reading the request
  static FaultAction Slow(std::chrono::milliseconds delay, int status = 200, std::string body = {});
};

// One request as the server saw it.
struct ReceivedRequest {
  std::string method;
  std::string target;  // as on the request line: "/path?q" or "http://host/path" via a proxy
  std::vector<std::pair<std::string, std::string>> headers;  // lowercased names
  std::string body;
  int connection = 0;  // which accepted connection carried it (1-based)

  std::string Header(const std::string& lower_name) const;
};

class FaultServer {
 public:
  // Listens on 127.0.0.1 on a free port; `keep_alive` keeps connections open
  // between requests (otherwise "Connection: close" after each response).
  explicit FaultServer(bool keep_alive = false);
  ~FaultServer();

  // "http://127.0.0.1:PORT"
  std::string url() const;
  int port() const { return port_; }

  // Queues actions; when the queue is empty the server answers `fallback`.
  void Push(FaultAction action);
  void SetFallback(FaultAction action);

  std::vector<ReceivedRequest> requests() const;
  int connections() const { return connections_.load(); }

 private:
  void AcceptLoop();
  void Serve(int fd, int connection);
  FaultAction Next();

  bool keep_alive_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::deque<FaultAction> script_;
  FaultAction fallback_;
  std::vector<ReceivedRequest> received_;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
};

// A loopback port with nothing listening (connections are refused).
int RefusingPort();

}  // namespace reconcile::aws::testing
