// Waiting for rollouts (engine/rollout_wait.h): rounds of polls until each
// rollout settles, the timeout passes or the caller stops the wait.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <mutex>

#include "engine/rollout_wait.h"

namespace reconcile::engine {
namespace {

using std::chrono::milliseconds;

// Answers RolloutStatus from a script per address; the last answer repeats.
class ScriptedProvider : public Provider {
 public:
  ProviderInfo Info() const override { return {"scripted", "0"}; }
  const ProviderSchema& Schema() const override { return schema_; }
  Diagnostics Configure(const ConfigureRequest&) override { return {}; }
  ApplyResponse ApplyResource(const ApplyRequest&) override { return {}; }
  ReadResponse ReadResource(const ReadRequest&) override { return {}; }

  RolloutResponse RolloutStatus(const RolloutRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    calls[request.address]++;
    std::deque<RolloutResponse>& script = scripts[request.address];
    if (script.empty()) return {};
    RolloutResponse next = script.front();
    if (script.size() > 1) script.pop_front();
    return next;
  }

  std::map<std::string, std::deque<RolloutResponse>> scripts;
  std::map<std::string, int> calls;

 private:
  ProviderSchema schema_;
  std::mutex mutex_;
};

RolloutResponse Status(RolloutPhase phase, int running = 0, const std::string& message = "") {
  RolloutResponse r;
  r.phase = phase;
  r.running = running;
  r.desired = 2;
  r.message = message;
  return r;
}

class RolloutWaitTest : public ::testing::Test {
 protected:
  RolloutWaitResult Wait(std::vector<std::string> addresses, milliseconds timeout = milliseconds(5000)) {
    std::vector<RolloutTarget> targets;
    for (const std::string& a : addresses) targets.push_back({a, &provider_, {"t", a, Value()}});
    RolloutWaitOptions options;
    options.timeout = timeout;
    options.poll_interval = milliseconds(1);
    options.on_progress = [&](const std::vector<RolloutProgress>& p) { rounds_.push_back(p); };
    options.stop_requested = [&] { return stop_after_rounds_ > 0 && rounds_.size() >= stop_after_rounds_; };
    RolloutWaitResult result;
    diags_ = WatchRollouts(targets, options, &result);
    return result;
  }

  ScriptedProvider provider_;
  std::vector<std::vector<RolloutProgress>> rounds_;
  std::size_t stop_after_rounds_ = 0;
  Diagnostics diags_;
};

TEST_F(RolloutWaitTest, PollsUntilEveryRolloutCompletesAndDropsResourcesWithout) {
  provider_.scripts["svc.a"] = {Status(RolloutPhase::kInProgress, 0), Status(RolloutPhase::kInProgress, 1),
                                Status(RolloutPhase::kCompleted, 2)};
  provider_.scripts["svc.b"] = {Status(RolloutPhase::kCompleted, 2)};
  RolloutWaitResult result = Wait({"svc.a", "svc.b", "vpc.main"});
  EXPECT_TRUE(result.Succeeded());
  ASSERT_EQ(result.rollouts.size(), 2u);
  EXPECT_EQ(result.rollouts[0].address, "svc.a");
  EXPECT_EQ(result.rollouts[0].status.running, 2);
  EXPECT_EQ(provider_.calls["svc.a"], 3);
  EXPECT_EQ(provider_.calls["svc.b"], 1) << "a settled rollout is not asked again";
  EXPECT_EQ(provider_.calls["vpc.main"], 1) << "no rollout: asked once";
  EXPECT_EQ(rounds_.size(), 3u);
}

TEST_F(RolloutWaitTest, AFailedOrRolledBackRolloutEndsItsWaitAndTheWaitFails) {
  provider_.scripts["svc.a"] = {Status(RolloutPhase::kInProgress), Status(RolloutPhase::kRolledBack, 0, "rolled back")};
  provider_.scripts["svc.b"] = {Status(RolloutPhase::kCompleted, 2)};
  RolloutWaitResult result = Wait({"svc.a", "svc.b"});
  EXPECT_FALSE(result.Succeeded());
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.rollouts[0].status.phase, RolloutPhase::kRolledBack);
  EXPECT_EQ(result.rollouts[0].status.message, "rolled back");
}

TEST_F(RolloutWaitTest, ARolloutThatNeverSettlesTimesOut) {
  provider_.scripts["svc.a"] = {Status(RolloutPhase::kInProgress, 1)};
  RolloutWaitResult result = Wait({"svc.a"}, milliseconds(50));
  EXPECT_TRUE(result.timed_out);
  EXPECT_FALSE(result.Succeeded());
  EXPECT_EQ(result.rollouts[0].status.phase, RolloutPhase::kInProgress);
}

TEST_F(RolloutWaitTest, StoppingEndsTheWaitWithoutAnotherPoll) {
  provider_.scripts["svc.a"] = {Status(RolloutPhase::kInProgress, 1)};
  stop_after_rounds_ = 2;
  RolloutWaitResult result = Wait({"svc.a"});
  EXPECT_TRUE(result.stopped);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(provider_.calls["svc.a"], 2);
}

TEST_F(RolloutWaitTest, AnErrorAskingIsAFailedRolloutWithTheError) {
  RolloutResponse broken;
  broken.phase = RolloutPhase::kInProgress;
  broken.diagnostics.Error("AccessDenied", "no ecs:DescribeServices");
  provider_.scripts["svc.a"] = {broken};
  RolloutWaitResult result = Wait({"svc.a"});
  EXPECT_EQ(result.rollouts[0].status.phase, RolloutPhase::kFailed);
  EXPECT_EQ(result.rollouts[0].status.message, "AccessDenied");
  EXPECT_TRUE(diags_.HasErrors());
}

}  // namespace
}  // namespace reconcile::engine
