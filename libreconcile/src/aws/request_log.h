// Debug/trace logging of AWS exchanges, redacted (internal to the aws area).
#pragma once

#include <string_view>

#include "aws/http.h"

namespace reconcile::aws {

// Identifies one logical call in the log lines of its attempts.
struct LoggedCall {
  std::string_view service;
  std::string_view operation;
  int attempt = 1;
  int max_attempts = 1;
  bool log_bodies = true;  // false for S3 object payloads (state documents may hold secrets)
};

// "aws: -> POST https://... (ssm.PutParameter, attempt 1/8)" with redacted
// headers at debug, and the redacted body at trace.
void LogRequest(const LoggedCall& call, const HttpRequest& request);
// "aws: <- 200 ssm.PutParameter 12 ms (attempt 1/8, request id ...)" or the
// transport error; the redacted body at trace (error bodies always).
void LogResponse(const LoggedCall& call, const HttpResult& result);
// "aws: retrying ssm.PutParameter in 180 ms after ThrottlingException (attempt 1/8)".
void LogRetry(const LoggedCall& call, std::string_view reason, long long delay_ms);

}  // namespace reconcile::aws
