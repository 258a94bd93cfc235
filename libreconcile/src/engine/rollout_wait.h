// Waiting for the rollouts an apply started (Engine::WaitForRollouts): polls
// each resource's provider in rounds until every rollout settles, the timeout
// passes or the caller asks to stop. Waiting never changes anything.
#pragma once

#include <string>
#include <vector>

#include "reconcile/engine.h"
#include "reconcile/provider.h"

namespace reconcile::engine {

struct RolloutTarget {
  std::string address;
  Provider* provider = nullptr;
  RolloutRequest request;
};

// Polls `targets`; a target whose provider reports no rollout is dropped. An
// error asking about one ends its wait as failed, with the error in its status.
Diagnostics WatchRollouts(const std::vector<RolloutTarget>& targets, const RolloutWaitOptions& options,
                          RolloutWaitResult* result);

}  // namespace reconcile::engine
