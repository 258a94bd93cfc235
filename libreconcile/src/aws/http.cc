#include "aws/http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

namespace reconcile::aws {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string Env(const char* lower, const char* upper) {
  for (const char* name : {lower, upper}) {
    const char* value = name == nullptr ? nullptr : std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return {};
}

// The scheme and host (without port or credentials) of a URL.
std::pair<std::string, std::string> SchemeAndHost(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string scheme = Lower(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (std::size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {
    return {scheme, Lower(rest.substr(1, rest.find(']') - 1))};
  }
  return {scheme, Lower(rest.substr(0, rest.find(':')))};
}

bool NoProxyMatches(std::string_view no_proxy, const std::string& host) {
  std::size_t start = 0;
  while (start <= no_proxy.size()) {
    std::size_t comma = no_proxy.find(',', start);
    if (comma == std::string_view::npos) comma = no_proxy.size();
    std::string entry = Lower(Trim(no_proxy.substr(start, comma - start)));
    start = comma + 1;
    if (entry.empty()) continue;
    if (entry == "*") return true;
    if (entry.front() == '.') entry.erase(0, 1);
    if (std::size_t colon = entry.find(':'); colon != std::string::npos) entry.resize(colon);
    if (host == entry) return true;
    if (host.size() > entry.size() && host.ends_with("." + entry)) return true;
  }
  return false;
}

size_t CollectBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t CollectHeader(char* data, size_t size, size_t count, void* out) {
  auto* headers = static_cast<HeaderList*>(out);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    headers->clear();  // a new response (after 100 Continue or a redirect)
  } else if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    headers->emplace_back(Lower(Trim(line.substr(0, colon))),
                          std::string(Trim(line.substr(colon + 1))));
  }
  return size * count;
}

TransportError ClassifyCurlError(CURLcode code, CURL* handle) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
      return TransportError::kNotSent;
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t pretransfer = 0;
      curl_easy_getinfo(handle, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
      return pretransfer == 0 ? TransportError::kNotSent : TransportError::kTimeout;
    }
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return TransportError::kConnectionLost;
    default:
      return TransportError::kOther;
  }
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Owns one curl_slist.
struct HeaderSlist {
  curl_slist* list = nullptr;
  ~HeaderSlist() { curl_slist_free_all(list); }
  void Add(const std::string& line) { list = curl_slist_append(list, line.c_str()); }
};

}  // namespace

const std::string* FindHeader(const HeaderList& headers, std::string_view name) {
  std::string lower = Lower(name);
  for (const auto& [key, value] : headers) {
    if (Lower(key) == lower) return &value;
  }
  return nullptr;
}

std::string ProxyForUrl(std::string_view url) {
  auto [scheme, host] = SchemeAndHost(url);
  if (scheme.empty()) return {};
  if (NoProxyMatches(Env("no_proxy", "NO_PROXY"), host)) return {};
  std::string proxy = scheme == "https" ? Env("https_proxy", "HTTPS_PROXY")
                                        : Env("http_proxy", "HTTP_PROXY");
  if (proxy.empty()) proxy = Env("all_proxy", "ALL_PROXY");
  return proxy;
}

// Idle easy handles; each keeps its connection cache, so reusing a handle
// reuses its open connections.
struct HttpClient::Pool {
  std::mutex mutex;
  std::vector<CURL*> idle;
  std::size_t capacity = 16;

  CURL* Acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }

  void Release(CURL* handle) {
    curl_easy_reset(handle);
    std::lock_guard<std::mutex> lock(mutex);
    if (idle.size() < capacity) {
      idle.push_back(handle);
      return;
    }
    curl_easy_cleanup(handle);
  }

  ~Pool() {
    for (CURL* handle : idle) curl_easy_cleanup(handle);
  }
};

// Endpoints calls gave up on, with when and why.
struct HttpClient::Health {
  std::mutex mutex;
  std::map<std::string, std::pair<std::chrono::steady_clock::time_point, std::string>> down;
};

std::chrono::milliseconds EffectiveStallTimeout(std::chrono::milliseconds configured) {
  const char* text = std::getenv("RECONCILE_HTTP_STALL_TIMEOUT");
  if (text == nullptr || *text == '\0') return configured;
  char* end = nullptr;
  double seconds = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(seconds > 0)) return configured;
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

HttpClient::HttpClient(HttpOptions options)
    : options_(std::move(options)), pool_(new Pool), health_(new Health) {
  InitCurlOnce();
  options_.stall_timeout = EffectiveStallTimeout(options_.stall_timeout);
  if (options_.ca_bundle.empty()) {
    if (const char* bundle = std::getenv("AWS_CA_BUNDLE"); bundle != nullptr) {
      options_.ca_bundle = bundle;
    }
  }
  pool_->capacity = options_.max_pooled_handles;
}

HttpClient::~HttpClient() = default;

void HttpClient::MarkUnresponsive(const std::string& origin, const std::string& reason) const {
  std::lock_guard<std::mutex> lock(health_->mutex);
  health_->down[origin] = {std::chrono::steady_clock::now(), reason};
}

std::string HttpClient::Unresponsive(const std::string& origin) const {
  std::lock_guard<std::mutex> lock(health_->mutex);
  auto it = health_->down.find(origin);
  if (it == health_->down.end()) return {};
  if (std::chrono::steady_clock::now() - it->second.first >= options_.unresponsive_for) {
    health_->down.erase(it);
    return {};
  }
  return it->second.second;
}

namespace {

// Method and body: HEAD without body, GET/DELETE without body, else the body as given.
void SetMethodAndBody(CURL* handle, const HttpRequest& request) {
  if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else if (request.body.empty() && request.method != "POST" && request.method != "PUT") {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    if (request.method != "GET") curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  } else {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    if (request.method != "POST") curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
}

// Abandons an exchange when no byte moved either way for `limit`: called by
// libcurl about once a second, also while nothing arrives. (libcurl's own
// low-speed check averages over a window and fires seconds late.)
struct StallWatch {
  std::chrono::milliseconds limit;
  std::chrono::steady_clock::time_point last_progress = std::chrono::steady_clock::now();
  curl_off_t received = 0;
  curl_off_t sent = 0;
  bool stalled = false;

  static int OnProgress(void* self, curl_off_t, curl_off_t received, curl_off_t, curl_off_t sent) {
    auto* watch = static_cast<StallWatch*>(self);
    auto now = std::chrono::steady_clock::now();
    if (received != watch->received || sent != watch->sent) {
      watch->received = received;
      watch->sent = sent;
      watch->last_progress = now;
      return 0;
    }
    if (now - watch->last_progress < watch->limit) return 0;
    watch->stalled = true;
    return 1;  // abort: CURLE_ABORTED_BY_CALLBACK
  }
};

// "30 s", "1.5 s".
std::string SecondsText(std::chrono::milliseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", static_cast<double>(d.count()) / 1000.0);
  return text;
}

// Timeouts, stall detection, TLS verification, CA bundle and proxy.
void SetTransport(CURL* handle, const HttpOptions& options, std::chrono::milliseconds timeout,
                  const std::string& proxy, StallWatch* watch) {
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(options.connect_timeout, timeout).count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &StallWatch::OnProgress);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, watch);
  curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(handle, CURLOPT_PROXY, proxy.c_str());
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  if (!options.ca_bundle.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options.ca_bundle.c_str());
}

// The request's headers, never letting curl add a Content-Type or Expect of its own.
void AddHeaders(HeaderSlist& headers, const HttpRequest& request) {
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    headers.Add(name + ": " + value);
    has_content_type = has_content_type || Lower(name) == "content-type";
  }
  if (!has_content_type) headers.Add("Content-Type:");
  headers.Add("Expect:");
}

}  // namespace

HttpResult HttpClient::Send(const HttpRequest& request) const {
  HttpResult result;
  CURL* handle = pool_->Acquire();
  if (handle == nullptr) {
    result.error = TransportError::kOther;
    result.error_message = "curl_easy_init failed";
    return result;
  }
  HeaderSlist headers;
  AddHeaders(headers, request);
  char error_buffer[CURL_ERROR_SIZE] = {0};
  std::string proxy = ProxyForUrl(request.url);
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.list);
  std::chrono::milliseconds timeout =
      request.timeout.count() > 0 ? request.timeout : options_.request_timeout;
  StallWatch watch{options_.stall_timeout};
  SetTransport(handle, options_, timeout, proxy, &watch);
  SetMethodAndBody(handle, request);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &result.response.body);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &result.response.headers);

  CURLcode code = curl_easy_perform(handle);
  curl_off_t total_us = 0;
  curl_easy_getinfo(handle, CURLINFO_TOTAL_TIME_T, &total_us);
  result.elapsed = std::chrono::milliseconds(total_us / 1000);
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    result.response.status = static_cast<int>(status);
  } else {
    result.error = ClassifyCurlError(watch.stalled ? CURLE_OPERATION_TIMEDOUT : code, handle);
    result.error_message = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    if (watch.stalled)
      result.error_message = "no data for " + SecondsText(options_.stall_timeout) +
                             ": the connection stalled and was abandoned";
    result.response = HttpResponse{};
  }
  pool_->Release(handle);
  return result;
}

}  // namespace reconcile::aws
