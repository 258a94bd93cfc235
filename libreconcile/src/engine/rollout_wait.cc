#include "engine/rollout_wait.h"

#include <algorithm>
#include <thread>

namespace reconcile {

bool RolloutWaitResult::Succeeded() const {
  if (timed_out || stopped) return false;
  return std::all_of(rollouts.begin(), rollouts.end(),
                     [](const RolloutProgress& r) { return r.status.phase == RolloutPhase::kCompleted; });
}

namespace engine {

namespace {

using Clock = std::chrono::steady_clock;

bool Settled(RolloutPhase phase) { return phase != RolloutPhase::kInProgress; }

// Sleeps `interval` in short steps, returning early (true) when asked to stop.
bool SleepUnlessStopped(std::chrono::milliseconds interval, const RolloutWaitOptions& options) {
  Clock::time_point until = Clock::now() + interval;
  while (Clock::now() < until) {
    if (options.stop_requested && options.stop_requested()) return true;
    std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(100), until - Clock::now()));
  }
  return options.stop_requested && options.stop_requested();
}

}  // namespace

Diagnostics WatchRollouts(const std::vector<RolloutTarget>& targets, const RolloutWaitOptions& options,
                          RolloutWaitResult* result) {
  Diagnostics diags;
  Clock::time_point start = Clock::now();
  std::vector<const RolloutTarget*> watched;
  for (const RolloutTarget& target : targets) watched.push_back(&target);
  std::vector<RolloutProgress>& progress = result->rollouts;
  progress.clear();
  bool first_round = true;
  while (true) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    std::vector<const RolloutTarget*> still;
    std::vector<RolloutProgress> round;
    for (const RolloutTarget* target : watched) {
      auto known = std::find_if(progress.begin(), progress.end(),
                                [&](const RolloutProgress& p) { return p.address == target->address; });
      if (known != progress.end() && Settled(known->status.phase)) continue;
      RolloutResponse status = target->provider->RolloutStatus(target->request);
      if (status.diagnostics.HasErrors()) {
        status.phase = RolloutPhase::kFailed;
        if (status.message.empty()) status.message = status.diagnostics.items().front().summary;
        diags.Append(status.diagnostics);
      }
      if (status.phase == RolloutPhase::kNone) continue;
      RolloutProgress p{target->address, std::move(status), elapsed};
      if (known != progress.end()) *known = std::move(p);
      else progress.push_back(std::move(p));
      still.push_back(target);
    }
    watched = std::move(still);
    if (options.on_progress && (!progress.empty() || !first_round)) options.on_progress(progress);
    first_round = false;
    bool waiting = std::any_of(progress.begin(), progress.end(),
                               [](const RolloutProgress& p) { return !Settled(p.status.phase); });
    if (!waiting) return diags;
    if (Clock::now() - start >= options.timeout) {
      result->timed_out = true;
      return diags;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout - (Clock::now() - start));
    if (SleepUnlessStopped(std::min(options.poll_interval, left), options)) {
      result->stopped = true;
      return diags;
    }
  }
}

}  // namespace engine
}  // namespace reconcile
