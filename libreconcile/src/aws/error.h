// One typed error for every AWS failure (API error, transport failure, missing
// credentials) and the result type every AWS call returns.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "reconcile/diagnostics.h"

namespace reconcile::aws {

// A failed AWS call. `code` is the AWS error code ("ThrottlingException",
// "NoSuchBucket", "InvalidVpcID.NotFound"), or one of ours for failures that
// never reached AWS: "ConnectionError", "Timeout", "NoCredentials",
// "InvalidResponse", "UnknownService", "NoRegion".
struct AwsError {
  std::string service;     // endpoint prefix: "ec2", "s3", "dynamodb", ...
  std::string operation;   // "RunInstances", "PutObject", ...
  std::string code;
  std::string message;
  std::string request_id;  // x-amzn-RequestId / RequestId / x-amz-request-id
  int http_status = 0;     // 0 when no HTTP response was received
  bool retryable = false;  // the retry policy would retry it (throttling, 5xx, connection)
  int attempts = 0;        // how many times the call was sent before giving up

  // True when `code` equals `expected` exactly.
  bool Is(std::string_view expected) const { return code == expected; }
  // True for the many shapes of "does not exist": HTTP 404, NoSuch*, *NotFound,
  // *NotFoundException, *.NotFound, ParameterNotFound, NoSuchEntity.
  bool IsNotFound() const;
  // True for throttling codes (Throttling, RequestLimitExceeded, SlowDown, ...).
  bool IsThrottling() const;
  // True when the request was never answered: connection refused, reset, timeout.
  bool IsTransport() const { return http_status == 0; }

  // "ec2 RunInstances: InvalidAMIID.NotFound: The image id 'ami-1' does not
  // exist (HTTP 400, request id 5c3e...)".
  std::string ToString() const;
  // An error diagnostic naming the resource address, the service call and the
  // AWS code; the detail carries the message, HTTP status and request id.
  Diagnostic ToDiagnostic(std::string_view address = {}) const;
};

// True when `code` is one of AWS's throttling error codes.
bool IsThrottlingCode(std::string_view code);

// Either the decoded response of an AWS call or the error it failed with.
template <typename T>
class [[nodiscard]] AwsResult {
 public:
  AwsResult(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
  AwsResult(AwsError error) : state_(std::move(error)) {}   // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // The response; only valid when ok().
  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const T* operator->() const { return &std::get<0>(state_); }
  T* operator->() { return &std::get<0>(state_); }
  const T& operator*() const& { return std::get<0>(state_); }
  T& operator*() & { return std::get<0>(state_); }

  // The error; only valid when !ok().
  const AwsError& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, AwsError> state_;
};

// The result of a call whose success carries nothing.
struct Done {};

}  // namespace reconcile::aws
