#include "aws/client.h"

#include <thread>

#include <nlohmann/json.hpp>

#include "aws/call_stats.h"
#include "aws/error_parser.h"
#include "aws/request_log.h"

namespace reconcile::aws {

namespace {

constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded; charset=utf-8";

// "scheme://authority" and the path prefix of an endpoint URL.
std::pair<std::string, std::string> SplitOrigin(const std::string& url) {
  std::size_t scheme_end = url.find("://");
  std::size_t path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (path_start == std::string::npos) return {url, ""};
  std::string prefix = url.substr(path_start);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  return {url.substr(0, path_start), prefix};
}

std::string Authority(const std::string& origin) {
  std::size_t scheme_end = origin.find("://");
  return scheme_end == std::string::npos ? origin : origin.substr(scheme_end + 3);
}

std::string EncodeQuery(const QueryList& query) {
  std::string out;
  for (const auto& [key, value] : query) {
    out += (out.empty() ? "" : "&") + UriEncode(key, false) + "=" + UriEncode(value, false);
  }
  return out;
}

bool IsSuccess(int status) { return status >= 200 && status < 300; }

bool IsExpiredCredentials(const AwsError& error) {
  return error.code == "ExpiredToken" || error.code == "ExpiredTokenException" ||
         error.code == "RequestExpired" || error.code == "TokenRefreshRequired";
}

FailureKind ClassifyTransport(TransportError error) {
  switch (error) {
    case TransportError::kNotSent:
      return FailureKind::kNotSent;
    case TransportError::kTimeout:
      return FailureKind::kTimeout;
    case TransportError::kConnectionLost:
      return FailureKind::kConnectionLost;
    case TransportError::kNone:
    case TransportError::kOther:
      break;
  }
  return FailureKind::kPermanent;
}

// The error of a call that could not be signed: the credential source's own
// error (e.g. sts AssumeRole), saying which call needed it.
AwsError CredentialFailure(const ServiceInfo& service, const std::string& operation, AwsError error) {
  CallStats::Record(service.name, operation, 0, /*failed=*/true);
  error.message = "no credentials to sign " + std::string(service.name) + " " + operation + ": " +
                  error.message;
  return error;
}

AwsError TransportFailure(const HttpResult& result) {
  AwsError error;
  error.code = result.error == TransportError::kTimeout ? "Timeout" : "ConnectionError";
  error.message = result.error_message;
  error.retryable = ClassifyTransport(result.error) != FailureKind::kPermanent;
  return error;
}

}  // namespace

// One logical call, ready to be signed and sent (again on each attempt).
struct detail::Exchange {
  std::string operation;
  std::string method;
  Endpoint endpoint;
  std::string origin;     // scheme://host[:port]
  std::string wire_path;  // percent-encoded
  QueryList query;
  HeaderList headers;
  std::string body;
  bool s3 = false;
  bool unsigned_payload = false;
};

std::string RestResponse::Header(std::string_view name) const {
  const std::string* value = FindHeader(headers, name);
  return value == nullptr ? std::string() : *value;
}

std::string XmlResponse::Header(std::string_view name) const {
  const std::string* value = FindHeader(headers, name);
  return value == nullptr ? std::string() : *value;
}

AwsClient::AwsClient(ClientConfig config)
    : config_(std::move(config)), http_(std::make_shared<HttpClient>(config_.http)) {}

AwsResult<std::shared_ptr<AwsClient>> AwsClient::Create(ClientConfig config) {
  if (config.region.empty()) config.region = ResolveRegion(config.profile);
  if (config.region.empty()) {
    return AwsError{.code = "NoRegion",
                    .message = "no AWS region is configured: set region in the configuration, "
                               "AWS_REGION, or the profile's region in ~/.aws/config"};
  }
  if (!config.credentials) {
    config.credentials = std::make_shared<CredentialChain>(CredentialOptions{
        .profile = config.profile, .region = config.region, .endpoints = config.endpoints});
  }
  return std::shared_ptr<AwsClient>(new AwsClient(std::move(config)));
}

AwsResult<Credentials> AwsClient::credentials() const { return config_.credentials->Fetch(); }

AwsResult<Endpoint> AwsClient::EndpointFor(std::string_view service, const std::string& region) const {
  return ResolveEndpoint(service, region.empty() ? config_.region : region, config_.endpoints);
}

namespace {

// Signs `exchange` with `credentials` at the current time and builds the HTTP request.
HttpRequest SignedRequest(const detail::Exchange& exchange, const Credentials& credentials) {
  SigningRequest signing{.method = exchange.method, .path = exchange.wire_path,
                         .query = exchange.query, .headers = exchange.headers};
  signing.headers.emplace_back("Host", Authority(exchange.origin));
  signing.payload_hash = exchange.unsigned_payload ? std::string(kUnsignedPayload)
                                                   : Sha256Hex(exchange.body);
  SigningParams params{.region = exchange.endpoint.signing_region,
                       .service = exchange.endpoint.signing_name,
                       .amz_date = AmzDate(std::chrono::system_clock::now()),
                       .s3_uri_rules = exchange.s3};
  Sign(signing, params, credentials);
  std::string query = EncodeQuery(exchange.query);
  return HttpRequest{.method = exchange.method,
                     .url = exchange.origin + exchange.wire_path + (query.empty() ? "" : "?" + query),
                     .headers = std::move(signing.headers), .body = exchange.body};
}

// A call not sent because an earlier call to the same endpoint got no answer:
// failing at once, a dead endpoint fails a whole plan within the time of one
// call, not one call's timeouts per resource.
AwsError UnresponsiveFailure(const ServiceInfo& service, const detail::Exchange& exchange,
                             const std::string& reason) {
  CallStats::Record(service.name, exchange.operation, 0, /*failed=*/true);
  AwsError error;
  error.service = std::string(service.name);
  error.operation = exchange.operation;
  error.code = "EndpointUnresponsive";
  error.message = "not sent: the endpoint " + exchange.origin +
                  " did not answer an earlier call (" + reason +
                  "); check that it is up and reachable (AWS_ENDPOINT_URL, network, proxy)";
  return error;
}

// What one failed attempt means for the retry policy.
struct FailedAttempt {
  AwsError error;
  FailureKind kind = FailureKind::kPermanent;
  std::optional<std::chrono::milliseconds> retry_after;
};

FailedAttempt Evaluate(const ServiceInfo& service, const HttpResult& result) {
  if (!result.ok()) return {TransportFailure(result), ClassifyTransport(result.error), std::nullopt};
  const HttpResponse& response = result.response;
  FailedAttempt failed;
  failed.error = ParseErrorResponse(service.protocol, response.status, response.headers, response.body);
  failed.kind = ClassifyResponse(response.status, failed.error.code);
  if (const std::string* header = FindHeader(response.headers, "retry-after")) {
    failed.retry_after = ParseRetryAfter(*header);
  }
  return failed;
}

}  // namespace

AwsResult<RestResponse> AwsClient::Perform(const ServiceInfo& service, detail::Exchange& exchange,
                                           const CallOptions& options) const {
  LoggedCall logged{.service = service.name, .operation = exchange.operation,
                    .max_attempts = std::max(1, config_.retry.max_attempts),
                    .log_bodies = !exchange.s3 || exchange.operation.find("Object") == std::string::npos};
  if (std::string reason = http_->Unresponsive(exchange.origin); !reason.empty())
    return UnresponsiveFailure(service, exchange, reason);
  bool idempotent = IsIdempotent(options.idempotency, exchange.operation, exchange.method);
  bool refreshed_credentials = false;
  auto started = std::chrono::steady_clock::now();
  bool unanswered = false;  // an attempt got no answer at all
  for (int attempt = 1;; ++attempt) {
    logged.attempt = attempt;
    AwsResult<Credentials> credentials = config_.credentials->Fetch();
    if (!credentials.ok()) return CredentialFailure(service, exchange.operation, credentials.error());
    HttpRequest request = SignedRequest(exchange, credentials.value());
    auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    if (unanswered)
      request.timeout = std::min(http_->options().request_timeout,
                                 std::max(config_.retry.no_answer_budget - spent,
                                          std::chrono::milliseconds(1000)));
    LogRequest(logged, request);
    HttpResult result = http_->Send(request);
    LogResponse(logged, result);
    if (result.ok() && IsSuccess(result.response.status)) {
      CallStats::Record(service.name, exchange.operation, attempt, /*failed=*/false);
      return RestResponse{result.response.status, std::move(result.response.headers),
                          std::move(result.response.body)};
    }
    FailedAttempt failed = Evaluate(service, result);
    if (IsExpiredCredentials(failed.error) && !refreshed_credentials) {
      // Temporary credentials expired early: the request was refused, so fetch fresh ones and resend.
      if (auto* chain = dynamic_cast<CredentialChain*>(config_.credentials.get())) chain->Invalidate();
      refreshed_credentials = true;
      failed.kind = FailureKind::kNotSent;
    }
    unanswered = unanswered || !result.ok();
    bool out_of_time = unanswered && std::chrono::steady_clock::now() - started >=
                                         config_.retry.no_answer_budget;
    if (attempt >= logged.max_attempts || !MayRetry(failed.kind, idempotent) || out_of_time) {
      failed.error.service = std::string(service.name);
      failed.error.operation = exchange.operation;
      failed.error.attempts = attempt;
      CallStats::Record(service.name, exchange.operation, attempt, /*failed=*/true);
      if (failed.kind == FailureKind::kNotSent || failed.kind == FailureKind::kTimeout)
        http_->MarkUnresponsive(exchange.origin, failed.error.message);
      return failed.error;
    }
    auto delay = BackoffDelay(attempt, config_.retry, failed.retry_after);
    LogRetry(logged, failed.error.code, delay.count());
    std::this_thread::sleep_for(delay);
  }
}

AwsResult<XmlDocument> AwsClient::Query(std::string_view service, std::string_view action,
                                        const QueryParams& params, const CallOptions& options) const {
  const ServiceInfo* info = FindService(service);
  AwsResult<Endpoint> endpoint = EndpointFor(service, options.region);
  if (!endpoint.ok()) return endpoint.error();
  auto [origin, prefix] = SplitOrigin(endpoint->url);
  detail::Exchange exchange{.operation = std::string(action), .method = "POST",
                    .endpoint = endpoint.value(), .origin = origin, .wire_path = prefix + "/",
                    .headers = {{"Content-Type", std::string(kFormContentType)}},
                    .body = params.FormBody(action, info->api_version)};
  AwsResult<RestResponse> response = Perform(*info, exchange, options);
  if (!response.ok()) return response.error();
  std::optional<XmlDocument> doc = XmlDocument::Parse(response->body);
  if (!doc) {
    return AwsError{.service = std::string(info->name), .operation = exchange.operation,
                    .code = "InvalidResponse",
                    .message = "the response is not XML: " + response->body.substr(0, 200),
                    .http_status = response->status};
  }
  return std::move(*doc);
}

AwsResult<nlohmann::json> AwsClient::Json(std::string_view service, std::string_view operation,
                                          const nlohmann::json& body,
                                          const CallOptions& options) const {
  const ServiceInfo* info = FindService(service);
  AwsResult<Endpoint> endpoint = EndpointFor(service, options.region);
  if (!endpoint.ok()) return endpoint.error();
  std::string target = operation.find('.') != std::string_view::npos
                           ? std::string(operation)
                           : std::string(info->target_prefix) + "." + std::string(operation);
  std::string name(operation.substr(operation.find('.') == std::string_view::npos ? 0 : operation.find('.') + 1));
  auto [origin, prefix] = SplitOrigin(endpoint->url);
  detail::Exchange exchange{.operation = name, .method = "POST", .endpoint = endpoint.value(),
                    .origin = origin, .wire_path = prefix + "/",
                    .headers = {{"Content-Type", "application/x-amz-json-" + std::string(info->json_version)},
                                {"X-Amz-Target", target}},
                    .body = body.is_null() ? std::string("{}") : body.dump()};
  AwsResult<RestResponse> response = Perform(*info, exchange, options);
  if (!response.ok()) return response.error();
  if (response->body.empty()) return nlohmann::json::object();
  nlohmann::json decoded = nlohmann::json::parse(response->body, nullptr, false);
  if (decoded.is_discarded()) {
    return AwsError{.service = std::string(info->name), .operation = name, .code = "InvalidResponse",
                    .message = "the response is not JSON: " + response->body.substr(0, 200),
                    .http_status = response->status};
  }
  return decoded;
}

AwsResult<RestResponse> AwsClient::Send(std::string_view service, const RestRequest& request,
                                        const CallOptions& options) const {
  const ServiceInfo* info = FindService(service);
  AwsResult<Endpoint> endpoint = EndpointFor(service, options.region);
  if (!endpoint.ok()) return endpoint.error();
  detail::Exchange exchange{.operation = request.operation.empty() ? request.method + " " + request.path
                                                           : request.operation,
                    .method = request.method, .endpoint = endpoint.value(),
                    .query = request.query, .headers = request.headers, .body = request.body,
                    .s3 = info->name == "s3", .unsigned_payload = request.unsigned_payload};
  std::string encoded_path = UriEncode(request.path.empty() ? "/" : request.path, /*keep_slash=*/true);
  if (exchange.s3) {
    S3Location location = S3Address(endpoint.value(), request.bucket, encoded_path,
                                     config_.s3_force_path_style);
    auto [origin, prefix] = SplitOrigin(location.base);
    exchange.origin = origin;
    exchange.wire_path = prefix + location.path;
  } else {
    auto [origin, prefix] = SplitOrigin(endpoint->url);
    exchange.origin = origin;
    exchange.wire_path = prefix + encoded_path;
  }
  if (!request.body.empty() || !request.content_type.empty()) {
    std::string type = request.content_type.empty() ? "application/octet-stream" : request.content_type;
    if (FindHeader(exchange.headers, "content-type") == nullptr) {
      exchange.headers.emplace_back("Content-Type", type);
    }
  }
  CallOptions effective = options;
  if (options.idempotency == Idempotency::kInferred && request.method != "GET" &&
      request.method != "HEAD" &&
      (FindHeader(request.headers, "if-match") != nullptr ||
       FindHeader(request.headers, "if-none-match") != nullptr)) {
    // A conditional write that may have landed would fail its condition when repeated.
    effective.idempotency = Idempotency::kNotIdempotent;
  }
  return Perform(*info, exchange, effective);
}

AwsResult<XmlResponse> AwsClient::RestXml(std::string_view service, const RestRequest& request,
                                          const CallOptions& options) const {
  RestRequest typed = request;
  if (!typed.body.empty() && typed.content_type.empty()) typed.content_type = "application/xml";
  AwsResult<RestResponse> response = Send(service, typed, options);
  if (!response.ok()) return response.error();
  XmlResponse out{.status = response->status, .headers = std::move(response->headers)};
  if (response->body.find_first_not_of(" \t\r\n") == std::string::npos) return out;
  std::optional<XmlDocument> doc = XmlDocument::Parse(response->body);
  if (!doc) {
    return AwsError{.service = std::string(service), .operation = typed.operation,
                    .code = "InvalidResponse",
                    .message = "the response is not XML: " + response->body.substr(0, 200),
                    .http_status = response->status};
  }
  out.xml = std::move(*doc);
  return out;
}

AwsResult<nlohmann::json> AwsClient::RestJson(std::string_view service, const RestRequest& request,
                                              const CallOptions& options) const {
  RestRequest typed = request;
  if (!typed.body.empty() && typed.content_type.empty()) typed.content_type = "application/json";
  AwsResult<RestResponse> response = Send(service, typed, options);
  if (!response.ok()) return response.error();
  if (response->body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return nlohmann::json::object();
  }
  nlohmann::json decoded = nlohmann::json::parse(response->body, nullptr, false);
  if (decoded.is_discarded()) {
    return AwsError{.service = std::string(service), .operation = typed.operation,
                    .code = "InvalidResponse",
                    .message = "the response is not JSON: " + response->body.substr(0, 200),
                    .http_status = response->status};
  }
  return decoded;
}

AwsResult<std::string> AwsClient::PresignS3(std::string_view method, const std::string& bucket,
                                            const std::string& key, std::chrono::seconds expires) const {
  AwsResult<Endpoint> endpoint = EndpointFor("s3");
  if (!endpoint.ok()) return endpoint.error();
  AwsResult<Credentials> credentials = config_.credentials->Fetch();
  if (!credentials.ok()) return credentials.error();
  std::string key_path = UriEncode(key.starts_with("/") ? key : "/" + key, /*keep_slash=*/true);
  S3Location location = S3Address(endpoint.value(), bucket, key_path, config_.s3_force_path_style);
  auto [origin, prefix] = SplitOrigin(location.base);
  SigningRequest request{.method = std::string(method), .path = prefix + location.path,
                         .headers = {{"host", Authority(origin)}}};
  SigningParams params{.region = endpoint->signing_region, .service = endpoint->signing_name,
                       .amz_date = AmzDate(std::chrono::system_clock::now()), .s3_uri_rules = true};
  return Presign(origin, request, params, credentials.value(), expires);
}

}  // namespace reconcile::aws
