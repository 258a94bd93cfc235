// Waiting for AWS: polling with backoff until a condition holds (a volume
// "available", a delete gone through), retrying calls that fail while a
// dependency settles (DependencyViolation, IncorrectState, eventual
// consistency right after a create), and deleting an object until it is gone.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
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

// How to delete one object and see that it is gone.
struct Deletion {
  // Names the object in messages: "volume vol-1".
  std::string what;
  // The delete call. An answer that the object does not exist is success.
  std::function<aws::AwsResult<aws::Done>()> call;
  // Codes retried while the object is still in use ("DependencyViolation").
  std::vector<std::string> retry_while = {};
  // How long those are retried (0: the provider's wait timeout).
  std::chrono::milliseconds retry_timeout{0};
  // Whether the object still exists: true, false once gone, nullopt after
  // recording a failed look. Unset: the delete is done when the call succeeds.
  std::function<std::optional<bool>()> exists = {};
};

// Deletes as `deletion` says, then waits until `exists` answers false. True
// when the object is gone; otherwise the error is recorded.
bool DeleteUntilGone(ResourceContext& ctx, const Deletion& deletion);

// The wait of a delete: polls `exists` until it answers false ("<what> to be
// deleted" in the timeout error).
bool WaitUntilGone(ResourceContext& ctx, const std::string& what,
                   const std::function<std::optional<bool>()>& exists);

// Turns any successful call result into Done (for RetryWhile).
template <typename T>
aws::AwsResult<aws::Done> AsDone(const aws::AwsResult<T>& result) {
  if (result.ok()) return aws::Done{};
  return result.error();
}

}  // namespace reconcile::aws_provider
