#include "fault_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace reconcile::aws::testing {

namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Trim(const std::string& text) {
  std::size_t start = text.find_first_not_of(" \t\r\n");
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return start == std::string::npos ? std::string() : text.substr(start, end - start + 1);
}

int ListenOnLoopback(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  listen(fd, 64);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  *port = ntohs(address.sin_port);
  return fd;
}

// Reads one request from `fd` into `out`; false when the peer closed first.
bool ReadRequest(int fd, std::string& buffer, ReceivedRequest& out) {
  char chunk[8192];
  std::size_t header_end;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  std::string head = buffer.substr(0, header_end);
  std::size_t line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  std::size_t first_space = request_line.find(' ');
  std::size_t last_space = request_line.rfind(' ');
  out.method = request_line.substr(0, first_space);
  out.target = request_line.substr(first_space + 1, last_space - first_space - 1);
  std::size_t content_length = 0;
  std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    std::size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(pos, end - pos);
    std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = Lower(Trim(line.substr(0, colon)));
      std::string value = Trim(line.substr(colon + 1));
      if (name == "content-length") content_length = std::stoul(value);
      out.headers.emplace_back(name, value);
    }
    pos = end + 2;
  }
  buffer.erase(0, header_end + 4);
  while (buffer.size() < content_length) {
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  out.body = buffer.substr(0, content_length);
  buffer.erase(0, content_length);
  return true;
}

void SendAll(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

std::string Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

}  // namespace

FaultAction FaultAction::Respond(int status, std::string body,
                                 std::vector<std::pair<std::string, std::string>> headers) {
  FaultAction action;
  action.status = status;
  action.body = std::move(body);
  action.headers = std::move(headers);
  return action;
}

FaultAction FaultAction::Reset() {
  FaultAction action;
  action.kind = Kind::kReset;
  return action;
}

FaultAction FaultAction::Slow(std::chrono::milliseconds delay, int status, std::string body) {
  FaultAction action = Respond(status, std::move(body));
  action.delay = delay;
  return action;
}

std::string ReceivedRequest::Header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

FaultServer::FaultServer(bool keep_alive) : keep_alive_(keep_alive) {
  listen_fd_ = ListenOnLoopback(&port_);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

FaultServer::~FaultServer() {
  stopping_ = true;
  shutdown(listen_fd_, SHUT_RDWR);
  close(listen_fd_);
  acceptor_.join();
  for (std::thread& worker : workers_) worker.join();
}

std::string FaultServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FaultServer::Push(FaultAction action) {
  std::lock_guard<std::mutex> lock(mutex_);
  script_.push_back(std::move(action));
}

void FaultServer::SetFallback(FaultAction action) {
  std::lock_guard<std::mutex> lock(mutex_);
  fallback_ = std::move(action);
}

std::vector<ReceivedRequest> FaultServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

FaultAction FaultServer::Next() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (script_.empty()) return fallback_;
  FaultAction action = std::move(script_.front());
  script_.pop_front();
  return action;
}

void FaultServer::AcceptLoop() {
  while (!stopping_) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (poll(&waiting, 1, 100) <= 0) continue;
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    int connection = ++connections_;
    std::lock_guard<std::mutex> lock(mutex_);
    workers_.emplace_back([this, fd, connection] { Serve(fd, connection); });
  }
}

void FaultServer::Serve(int fd, int connection) {
  std::string buffer;
  while (!stopping_) {
    ReceivedRequest request;
    if (!ReadRequest(fd, buffer, request)) break;
    request.connection = connection;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      received_.push_back(request);
    }
    FaultAction action = Next();
    // The delay ends early when the server stops, so a test of a stalled
    // connection does not wait it out in teardown.
    auto until = std::chrono::steady_clock::now() + action.delay;
    while (!stopping_ && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (stopping_) break;
    if (action.kind == FaultAction::Kind::kReset) {
      linger hard{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      break;
    }
    if (action.kind == FaultAction::Kind::kCloseSilently) break;
    std::string response = "HTTP/1.1 " + std::to_string(action.status) + " " + Reason(action.status) +
                           "\r\nContent-Length: " + std::to_string(action.body.size()) + "\r\n";
    for (const auto& [name, value] : action.headers) response += name + ": " + value + "\r\n";
    response += keep_alive_ ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    if (request.method != "HEAD") response += action.body;
    SendAll(fd, response);
    if (!keep_alive_) break;
  }
  close(fd);
}

int RefusingPort() {
  int port = 0;
  int fd = ListenOnLoopback(&port);
  close(fd);
  return port;
}

}  // namespace reconcile::aws::testing
