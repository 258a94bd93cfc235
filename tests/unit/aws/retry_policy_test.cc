// Given failures of each kind, when the retry policy decides, then throttling
// and unsent requests are always retried, 5xx/timeouts only when idempotent,
// and backoff stays within its jittered, capped bounds.
#include <gtest/gtest.h>

#include "aws/retry.h"

namespace reconcile::aws {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicyTest, ClassifiesResponses) {
  EXPECT_EQ(ClassifyResponse(400, "Throttling"), FailureKind::kThrottled);
  EXPECT_EQ(ClassifyResponse(400, "ProvisionedThroughputExceededException"), FailureKind::kThrottled);
  EXPECT_EQ(ClassifyResponse(503, "SlowDown"), FailureKind::kThrottled);
  EXPECT_EQ(ClassifyResponse(429, "Anything"), FailureKind::kThrottled);
  EXPECT_EQ(ClassifyResponse(500, "InternalError"), FailureKind::kServerError);
  EXPECT_EQ(ClassifyResponse(400, "RequestTimeout"), FailureKind::kServerError);
  EXPECT_EQ(ClassifyResponse(400, "ValidationException"), FailureKind::kPermanent);
  EXPECT_EQ(ClassifyResponse(403, "SignatureDoesNotMatch"), FailureKind::kPermanent);
}

TEST(RetryPolicyTest, NonIdempotentCallsRetryOnlyWhenNotProcessed) {
  EXPECT_TRUE(MayRetry(FailureKind::kThrottled, false));
  EXPECT_TRUE(MayRetry(FailureKind::kNotSent, false));
  EXPECT_FALSE(MayRetry(FailureKind::kServerError, false));
  EXPECT_FALSE(MayRetry(FailureKind::kTimeout, false));
  EXPECT_FALSE(MayRetry(FailureKind::kConnectionLost, false));
  EXPECT_TRUE(MayRetry(FailureKind::kServerError, true));
  EXPECT_TRUE(MayRetry(FailureKind::kTimeout, true));
  EXPECT_FALSE(MayRetry(FailureKind::kPermanent, true));
}

TEST(RetryPolicyTest, InfersIdempotencyFromNamesAndMethods) {
  EXPECT_TRUE(IsIdempotent(Idempotency::kInferred, "DescribeInstances", "POST"));
  EXPECT_TRUE(IsIdempotent(Idempotency::kInferred, "GetParameters", "POST"));
  EXPECT_TRUE(IsIdempotent(Idempotency::kInferred, "PutObject", "PUT"));
  EXPECT_FALSE(IsIdempotent(Idempotency::kInferred, "RunInstances", "POST"));
  EXPECT_FALSE(IsIdempotent(Idempotency::kInferred, "CreateFileSystem", "POST"));
  EXPECT_TRUE(IsIdempotent(Idempotency::kClientToken, "RunInstances", "POST"));
  EXPECT_FALSE(IsIdempotent(Idempotency::kNotIdempotent, "GetObject", "GET"));
}

TEST(RetryPolicyTest, BackoffIsFullJitterCappedAndRaisedToRetryAfter) {
  RetryOptions options{.max_attempts = 8, .base_delay = milliseconds(100),
                       .max_delay = milliseconds(1000), .max_retry_after = milliseconds(5000)};
  for (int i = 0; i < 200; ++i) {
    EXPECT_LE(BackoffDelay(1, options, std::nullopt), milliseconds(100));
    EXPECT_LE(BackoffDelay(3, options, std::nullopt), milliseconds(400));
    EXPECT_LE(BackoffDelay(20, options, std::nullopt), milliseconds(1000));
    EXPECT_GE(BackoffDelay(1, options, milliseconds(2000)), milliseconds(2000));
    EXPECT_EQ(BackoffDelay(1, options, milliseconds(60000)), milliseconds(5000));
  }
}

TEST(RetryPolicyTest, ParsesRetryAfter) {
  EXPECT_EQ(ParseRetryAfter("3"), std::optional<milliseconds>(milliseconds(3000)));
  EXPECT_EQ(ParseRetryAfter(" 0 "), std::optional<milliseconds>(milliseconds(0)));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), std::optional<milliseconds>(milliseconds(0)));
  EXPECT_FALSE(ParseRetryAfter("soon").has_value());
  EXPECT_FALSE(ParseRetryAfter("-1").has_value());
}

TEST(RetryPolicyTest, RetryAfterBeyondADayIsADay) {
  // Given waits whose milliseconds overflow 64 bits (the date was found by
  // the aws_response fuzzer)
  const std::optional<milliseconds> day = milliseconds(24 * 60 * 60 * 1000);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 4030 07:28:00 GMT"), day);
  EXPECT_EQ(ParseRetryAfter("9223372036854775807"), day);
  EXPECT_EQ(ParseRetryAfter("99999999999999999999999"), day);
  EXPECT_FALSE(ParseRetryAfter("-99999999999999999999999").has_value());
  // and the client still waits at most max_retry_after
  EXPECT_LE(BackoffDelay(1, RetryOptions{}, ParseRetryAfter("Wed, 21 Oct 4030 07:28:00 GMT")),
            milliseconds(60000));
}

}  // namespace
}  // namespace reconcile::aws
