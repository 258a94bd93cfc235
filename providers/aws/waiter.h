// Waiting for AWS: polling with backoff until a condition holds (a volume
// "available", a delete gone through), and retrying calls that fail while a
// dependency settles (DependencyViolation, IncorrectState, eventual
// consistency right after a create).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "resource_context.h"

namespace reconcile::aws_provider {

// What one poll found.
enum class Poll { kDone, kPending, kFailed };

// Polls until `poll` answers kDone (true) or kFailed (false: it recorded why),
// or until `timeout` (0: the provider's default) passes, which is an error
// naming `what` ("volume vol-1 to become available"). Pauses double from the
// provider's first poll interval. Gives up early when the provider stops.
bool WaitFor(ResourceContext& ctx, const std::string& what, const std::function<Poll()>& poll,
             std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

// Calls `call` until it succeeds or fails with a code outside `retry_codes`,
// for at most `timeout` (0: the provider's default). Records the final error.
// Returns true on success.
bool RetryWhile(ResourceContext& ctx, const std::vector<std::string>& retry_codes,
                const std::function<aws::AwsResult<aws::Done>()>& call,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

// Reads an object right after its create: a read that finds nothing is
// retried for the provider's read_after_create time (AWS is eventually
// consistent). Returns null when it never appeared (an error is recorded).
Value ReadAfterCreate(ResourceContext& ctx, const std::function<Value()>& read);

// Sleeps for `pause`, waking early when the provider stops; false when stopping.
bool PauseUnlessStopping(const ResourceContext& ctx, std::chrono::milliseconds pause);

// Turns any successful call result into Done (for RetryWhile).
template <typename T>
aws::AwsResult<aws::Done> AsDone(const aws::AwsResult<T>& result) {
  if (result.ok()) return aws::Done{};
  return result.error();
}

}  // namespace reconcile::aws_provider
