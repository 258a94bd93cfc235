#include "aws/retry.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>
#include <random>

#include "aws/error.h"

namespace reconcile::aws {

namespace {

// Codes that mean "try again later" without implying throttling.
bool IsTransientCode(std::string_view code) {
  static constexpr std::string_view kCodes[] = {
      "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
      "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException",
      "IDPCommunicationError",
  };
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

bool StartsWithAny(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view prefix : prefixes) {
    if (text.starts_with(prefix)) return true;
  }
  return false;
}

std::mt19937_64& ThreadRandom() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

}  // namespace

FailureKind ClassifyResponse(int http_status, std::string_view code) {
  if (http_status == 429 || IsThrottlingCode(code)) return FailureKind::kThrottled;
  if (http_status >= 500 || IsTransientCode(code)) return FailureKind::kServerError;
  return FailureKind::kPermanent;
}

bool MayRetry(FailureKind kind, bool idempotent) {
  switch (kind) {
    case FailureKind::kThrottled:
    case FailureKind::kNotSent:
      return true;
    case FailureKind::kServerError:
    case FailureKind::kTimeout:
    case FailureKind::kConnectionLost:
      return idempotent;
    case FailureKind::kPermanent:
      return false;
  }
  return false;
}

bool IsIdempotent(Idempotency idempotency, std::string_view operation, std::string_view method) {
  switch (idempotency) {
    case Idempotency::kIdempotent:
    case Idempotency::kClientToken:
      return true;
    case Idempotency::kNotIdempotent:
      return false;
    case Idempotency::kInferred:
      break;
  }
  if (method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE") return true;
  return StartsWithAny(operation, {"Describe", "Get", "List", "Head", "BatchGet", "Lookup",
                                   "Search", "Query", "Scan"});
}

std::chrono::milliseconds BackoffDelay(int attempt, const RetryOptions& options,
                                       std::optional<std::chrono::milliseconds> retry_after) {
  int exponent = std::clamp(attempt - 1, 0, 30);
  long long ceiling = options.base_delay.count() << std::min(exponent, 20);
  ceiling = std::min<long long>(ceiling, options.max_delay.count());
  std::uniform_int_distribution<long long> pick(0, std::max<long long>(ceiling, 0));
  std::chrono::milliseconds delay(pick(ThreadRandom()));
  if (retry_after) delay = std::max(delay, std::min(*retry_after, options.max_retry_after));
  return delay;
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value) {
  // Longer waits are a day, which the caller caps far lower anyway: in
  // seconds, with no clock arithmetic, a year 4030 or 2^63 seconds cannot
  // overflow the milliseconds.
  constexpr long long kLongestWait = 24 * 60 * 60;
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  long long seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (end == value.data() + value.size() &&
      (ec == std::errc() || ec == std::errc::result_out_of_range)) {
    if (value.front() == '-') return std::nullopt;
    if (ec != std::errc()) seconds = kLongestWait;
    return std::chrono::milliseconds(std::min(seconds, kLongestWait) * 1000);
  }
  // An HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT".
  std::tm when{};
  std::string text(value);
  if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &when) == nullptr) return std::nullopt;
  long long wait =
      static_cast<long long>(timegm(&when)) - static_cast<long long>(std::time(nullptr));
  return std::chrono::milliseconds(std::clamp(wait, 0LL, kLongestWait) * 1000);
}

}  // namespace reconcile::aws
