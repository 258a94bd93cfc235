#include "waiter.h"

#include <algorithm>
#include <thread>

namespace reconcile::aws_provider {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds Bound(const ResourceContext& ctx, std::chrono::milliseconds timeout) {
  return timeout.count() > 0 ? timeout : ctx.runtime().timeouts.wait;
}

std::string Seconds(std::chrono::milliseconds d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + "s";
}

// Pause schedule: doubling from the first interval, capped.
class Backoff {
 public:
  explicit Backoff(const ResourceContext& ctx)
      : next_(ctx.runtime().timeouts.first_poll_interval),
        max_(ctx.runtime().timeouts.max_poll_interval) {}
  std::chrono::milliseconds Next() {
    std::chrono::milliseconds now = next_;
    next_ = std::min(next_ * 2, max_);
    return now;
  }

 private:
  std::chrono::milliseconds next_;
  std::chrono::milliseconds max_;
};

}  // namespace

bool PauseUnlessStopping(const ResourceContext& ctx, std::chrono::milliseconds pause) {
  auto until = Clock::now() + pause;
  while (Clock::now() < until) {
    if (ctx.stopping()) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
    std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(100)));
  }
  return !ctx.stopping();
}

bool WaitFor(ResourceContext& ctx, const std::string& what, const std::function<Poll()>& poll,
             std::chrono::milliseconds timeout) {
  std::chrono::milliseconds bound = Bound(ctx, timeout);
  auto deadline = Clock::now() + bound;
  Backoff backoff(ctx);
  while (true) {
    Poll result = poll();
    if (result == Poll::kDone) return true;
    if (result == Poll::kFailed) return false;
    if (Clock::now() >= deadline) break;
    if (!PauseUnlessStopping(ctx, backoff.Next())) {
      ctx.Error("Stopped while waiting for " + what);
      return false;
    }
  }
  ctx.Error("Timed out after " + Seconds(bound) + " waiting for " + what,
            "AWS did not reach the expected state in time; run the operation again to resume.");
  return false;
}

bool RetryWhile(ResourceContext& ctx, const std::vector<std::string>& retry_codes,
                const std::function<aws::AwsResult<aws::Done>()>& call,
                std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + Bound(ctx, timeout);
  Backoff backoff(ctx);
  while (true) {
    aws::AwsResult<aws::Done> result = call();
    if (result.ok()) return true;
    const aws::AwsError& error = result.error();
    bool retry = std::find(retry_codes.begin(), retry_codes.end(), error.code) != retry_codes.end();
    if (!retry || Clock::now() >= deadline || !PauseUnlessStopping(ctx, backoff.Next())) {
      ctx.Fail(error);
      return false;
    }
  }
}

bool DeleteUntilGone(ResourceContext& ctx, const Deletion& deletion) {
  bool deleted = RetryWhile(
      ctx, deletion.retry_while,
      [&]() -> aws::AwsResult<aws::Done> {
        aws::AwsResult<aws::Done> result = deletion.call();
        if (!result.ok() && result.error().IsNotFound()) return aws::Done{};
        return result;
      },
      deletion.retry_timeout);
  if (!deleted || !deletion.exists) return deleted;
  return WaitUntilGone(ctx, deletion.what, deletion.exists);
}

bool WaitUntilGone(ResourceContext& ctx, const std::string& what,
                   const std::function<std::optional<bool>()>& exists) {
  return WaitFor(ctx, what + " to be deleted", [&] {
    std::optional<bool> now = exists();
    if (!now) return Poll::kFailed;
    return *now ? Poll::kPending : Poll::kDone;
  });
}

Value ReadAfterCreate(ResourceContext& ctx, const std::function<Value()>& read) {
  auto deadline = Clock::now() + ctx.runtime().timeouts.read_after_create;
  Backoff backoff(ctx);
  while (true) {
    Value state = read();
    if (ctx.failed() || !state.is_null()) return state;
    if (Clock::now() >= deadline || !PauseUnlessStopping(ctx, backoff.Next())) break;
  }
  ctx.Error("The new object was not found after its create",
            "AWS accepted the create but the object never became readable within " +
                Seconds(ctx.runtime().timeouts.read_after_create) + ".");
  return Value();
}

}  // namespace reconcile::aws_provider
