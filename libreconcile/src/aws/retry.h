// When an AWS call is retried and how long to wait: throttling, 5xx and
// connection errors, capped exponential backoff with full jitter, bounded
// attempts, Retry-After honoured. A call that is not idempotent (and has no
// client token) is retried only when the request provably was not processed.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace reconcile::aws {

// Whether repeating a call is safe.
enum class Idempotency {
  kInferred,       // read-like names (Describe*, Get*, List*, ...) and GET/HEAD/PUT/DELETE are idempotent
  kIdempotent,     // repeating has the same effect as doing it once
  kClientToken,    // the request carries a client token (ClientToken, ClientRequestToken, ...)
  kNotIdempotent,  // repeating may do it twice
};

// What went wrong with one attempt.
enum class FailureKind {
  kThrottled,     // throttling code or HTTP 429: not processed, always retried
  kNotSent,       // connection refused / DNS: not processed, always retried
  kServerError,   // HTTP 5xx or a transient code: may have been processed
  kTimeout,       // no answer in time: may have been processed
  kConnectionLost,// connection reset mid-exchange: may have been processed
  kPermanent,     // anything else: never retried
};

struct RetryOptions {
  int max_attempts = 8;                       // total attempts, first included
  std::chrono::milliseconds base_delay{100};  // backoff before the second attempt is up to this
  std::chrono::milliseconds max_delay{20000}; // backoff cap
  std::chrono::milliseconds max_retry_after{60000};  // cap on a server's Retry-After
  // Once an attempt got no answer at all (timeout, stall, refused), the call
  // gives up when it has spent this long, and later attempts are cut to the
  // time left: a dead endpoint fails a call in under a minute, not after
  // max_attempts full timeouts.
  std::chrono::milliseconds no_answer_budget{45000};
};

// Classifies an HTTP answer from its status and AWS error code.
FailureKind ClassifyResponse(int http_status, std::string_view code);

// True when a call with `idempotent` semantics may be retried after `kind`.
bool MayRetry(FailureKind kind, bool idempotent);

// Resolves kInferred from the operation name and HTTP method.
bool IsIdempotent(Idempotency idempotency, std::string_view operation, std::string_view method);

// The wait before attempt `attempt + 1` (attempt counts from 1): a uniformly
// random duration in [0, min(max_delay, base_delay * 2^(attempt-1))], raised
// to the server's Retry-After (capped) when it sent one.
std::chrono::milliseconds BackoffDelay(int attempt, const RetryOptions& options,
                                       std::optional<std::chrono::milliseconds> retry_after);

// Parses a Retry-After header: delta seconds or an HTTP date; nullopt when unusable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value);

}  // namespace reconcile::aws
