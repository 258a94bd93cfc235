// A thread-safe HTTP client over libcurl: a pool of easy handles so
// connections are reused where the server allows, connect and total
// timeouts, abandonment of stalled connections, TLS verification
// (AWS_CA_BUNDLE override), proxies from the standard environment variables.
// One attempt per Send: retrying is the caller's business (see retry.h), and
// the client remembers endpoints that stopped answering so callers can fail
// fast instead of each waiting out the same timeouts.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "aws/sigv4.h"

namespace reconcile::aws {

// Finds a header by case-insensitive name; nullptr when absent.
const std::string* FindHeader(const HeaderList& headers, std::string_view name);

struct HttpRequest {
  std::string method;   // "GET", "POST", "PUT", "HEAD", "DELETE"
  std::string url;      // full URL, path and query already encoded
  HeaderList headers;   // sent as given (Content-Type must be among them when there is a body)
  std::string body;
  // This exchange's limit instead of HttpOptions::request_timeout (0: that one).
  std::chrono::milliseconds timeout{0};
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;  // names lowercased
  std::string body;
};

// Why no response arrived. kNotSent means the request provably never reached
// the server (so even a non-idempotent call may be retried).
enum class TransportError {
  kNone,
  kNotSent,         // DNS failure, connection refused, TLS handshake failed before sending
  kTimeout,         // connect, total or stall timeout (the server may have processed it)
  kConnectionLost,  // reset / closed mid-exchange (the server may have processed it)
  kOther,
};

// One exchange: a response, or the transport error and curl's message.
struct HttpResult {
  HttpResponse response;
  TransportError error = TransportError::kNone;
  std::string error_message;
  std::chrono::milliseconds elapsed{0};

  bool ok() const { return error == TransportError::kNone; }
};

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds request_timeout{120000};  // whole exchange
  // An exchange during which no byte moves for this long is abandoned (a
  // stalled server or network; noticed within about a second).
  // RECONCILE_HTTP_STALL_TIMEOUT (seconds) overrides it (tests).
  std::chrono::milliseconds stall_timeout{30000};
  // How long an endpoint a call gave up on (no answer at all) is reported
  // unresponsive to later calls (HttpClient::Unresponsive).
  std::chrono::milliseconds unresponsive_for{60000};
  std::string ca_bundle;   // empty = AWS_CA_BUNDLE, else the system store
  bool verify_tls = true;
  std::size_t max_pooled_handles = 16;
};

// The proxy for `url` from http_proxy/HTTP_PROXY, https_proxy/HTTPS_PROXY,
// all_proxy/ALL_PROXY, honouring no_proxy/NO_PROXY; "" for a direct connection.
std::string ProxyForUrl(std::string_view url);

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Performs one exchange; safe to call from many threads at once.
  HttpResult Send(const HttpRequest& request) const;

  const HttpOptions& options() const { return options_; }

  // Records that a call gave up on `origin` ("scheme://host:port") without
  // any answer; `reason` says how ("no data for 30 s").
  void MarkUnresponsive(const std::string& origin, const std::string& reason) const;
  // Why `origin` is considered unresponsive, when a call gave up on it within
  // the last options().unresponsive_for; empty otherwise.
  std::string Unresponsive(const std::string& origin) const;

 private:
  struct Pool;
  struct Health;
  HttpOptions options_;
  std::unique_ptr<Pool> pool_;
  std::unique_ptr<Health> health_;
};

// The stall timeout: RECONCILE_HTTP_STALL_TIMEOUT (seconds) when set, else `configured`.
std::chrono::milliseconds EffectiveStallTimeout(std::chrono::milliseconds configured);

}  // namespace reconcile::aws
