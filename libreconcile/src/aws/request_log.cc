#include "aws/request_log.h"

#include "aws/redact.h"
#include "core/log.h"

namespace reconcile::aws {

namespace {

constexpr std::string_view kComponent = "aws";

std::string CallName(const LoggedCall& call) {
  return std::string(call.service) + "." + std::string(call.operation);
}

std::string AttemptText(const LoggedCall& call) {
  return "attempt " + std::to_string(call.attempt) + "/" + std::to_string(call.max_attempts);
}

std::string HeaderText(const HeaderList& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    out += "\n    " + name + ": " + RedactHeader(name, value);
  }
  return out;
}

std::string ContentType(const HeaderList& headers) {
  const std::string* type = FindHeader(headers, "content-type");
  return type == nullptr ? std::string() : *type;
}

}  // namespace

void LogRequest(const LoggedCall& call, const HttpRequest& request) {
  if (!log::Enabled(log::Level::kDebug)) return;
  std::string line = "-> " + request.method + " " + request.url + " (" + CallName(call) + ", " +
                     AttemptText(call) + ")" + HeaderText(request.headers);
  if (log::Enabled(log::Level::kTrace) && !request.body.empty()) {
    line += "\n    body: " + (call.log_bodies
                                  ? RedactBody(ContentType(request.headers), request.body)
                                  : "(" + std::to_string(request.body.size()) + " bytes, not logged)");
  }
  log::Write(log::Level::kDebug, kComponent, line);
}

void LogResponse(const LoggedCall& call, const HttpResult& result) {
  if (!log::Enabled(log::Level::kDebug)) return;
  std::string elapsed = std::to_string(result.elapsed.count()) + " ms";
  if (!result.ok()) {
    log::Write(log::Level::kDebug, kComponent,
               "<- no response " + CallName(call) + " " + elapsed + " (" + AttemptText(call) +
                   "): " + result.error_message);
    return;
  }
  const HttpResponse& response = result.response;
  std::string line = "<- " + std::to_string(response.status) + " " + CallName(call) + " " +
                     elapsed + " (" + AttemptText(call) + ")" + HeaderText(response.headers);
  bool is_error = response.status >= 300;
  if (!response.body.empty() && (is_error || log::Enabled(log::Level::kTrace))) {
    line += "\n    body: " + (call.log_bodies || is_error
                                  ? RedactBody(ContentType(response.headers), response.body)
                                  : "(" + std::to_string(response.body.size()) + " bytes, not logged)");
  }
  log::Write(log::Level::kDebug, kComponent, line);
}

void LogRetry(const LoggedCall& call, std::string_view reason, long long delay_ms) {
  if (!log::Enabled(log::Level::kDebug)) return;
  log::Write(log::Level::kDebug, kComponent,
             "retrying " + CallName(call) + " in " + std::to_string(delay_ms) + " ms after " +
                 std::string(reason) + " (" + AttemptText(call) + ")");
}

}  // namespace reconcile::aws
