// Engine::Cancel from another thread, as an embedder (or the tool's signal
// watcher) calls it: the apply finishes what is in flight, starts no more,
// saves the state, unlocks and reports "Apply interrupted"; the engine then
// serves the next operation as usual.
#include <chrono>
#include <thread>

#include "engine_fixture.h"

namespace reconcile::testing {
namespace {

constexpr const char* kSixThings = R"(
[resource.fake_thing.a]
name = "a"
[resource.fake_thing.b]
name = "b"
[resource.fake_thing.c]
name = "c"
[resource.fake_thing.d]
name = "d"
[resource.fake_thing.e]
name = "e"
[resource.fake_thing.f]
name = "f"
)";

// Calls engine.Cancel() once `count` operations are in flight.
std::thread CancelWhenInFlight(Engine& engine, FakeCloud& cloud, int count, int cancels = 1) {
  return std::thread([&engine, &cloud, count, cancels] {
    while (cloud.in_flight.load() < count) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (int i = 0; i < cancels; ++i) engine.Cancel();
  });
}

bool HasSummary(const Diagnostics& diags, const std::string& summary) {
  for (const Diagnostic& d : diags)
    if (d.summary == summary) return true;
  return false;
}

TEST_F(EngineTest, CancelFinishesOperationsInFlightAndStartsNoMore) {
  // Given six creates of 300 ms, two at a time
  Stack(kSixThings);
  cloud_->apply_delay_ms = 300;
  parallelism_ = 2;
  std::unique_ptr<Engine> engine = Open();
  ASSERT_NE(engine, nullptr);
  // When the engine is cancelled while two are in flight
  std::thread canceller = CancelWhenInFlight(*engine, *cloud_, 2);
  Plan plan;
  ApplySummary summary;
  Diagnostics diags = engine->PlanAndApply({}, {}, &plan, &summary);
  canceller.join();
  // Then the two finished, nothing else started, and it says so
  EXPECT_TRUE(HasSummary(diags, "Apply interrupted")) << diags.ToString();
  EXPECT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(summary.added, 2);
  EXPECT_EQ(cloud_->creates.load(), 2);
  ASSERT_FALSE(observer_.messages.empty());
  bool announced = false;
  for (const std::string& m : observer_.messages)
    announced = announced ||
                m == "Interrupt received: finishing 2 operations in flight, starting no more.";
  EXPECT_TRUE(announced);
  // And both are recorded, nothing is pending, and the lock is free
  State state = ReadState();
  EXPECT_EQ(state.resources.size(), 2u);
  EXPECT_TRUE(state.pending.empty());
  // And the same engine's next apply does the rest
  Diagnostics again = engine->PlanAndApply({}, {}, &plan, &summary);
  EXPECT_FALSE(again.HasErrors()) << again.ToString();
  EXPECT_EQ(summary.added, 4);
  EXPECT_EQ(cloud_->size(), 6u);
  EXPECT_EQ(ReadState().resources.size(), 6u);
}

TEST_F(EngineTest, CancelFromTheObserversOwnCallbackDoesNotDeadlock) {
  // Given an embedder whose event callback cancels on the first started create
  // (as a chat bot's "stop" button would, from the thread that reports events)
  Stack(kSixThings);
  parallelism_ = 1;
  std::unique_ptr<Engine> engine = Open();
  ASSERT_NE(engine, nullptr);
  bool cancelled = false;
  observer_.on_event = [&](const ResourceEvent& e) {
    if (e.phase == Phase::kApply && e.status == EventStatus::kStarted && !cancelled) {
      cancelled = true;
      engine->Cancel();
    }
  };
  // When it applies (a deadlock here hangs the test until ctest's timeout)
  Plan plan;
  ApplySummary summary;
  Diagnostics diags = engine->PlanAndApply({}, {}, &plan, &summary);
  observer_.on_event = nullptr;
  // Then the create in flight finished, nothing else started, and it says so
  EXPECT_TRUE(cancelled);
  EXPECT_TRUE(HasSummary(diags, "Apply interrupted")) << diags.ToString();
  EXPECT_EQ(cloud_->creates.load(), 1);
  EXPECT_EQ(ReadState().resources.size(), 1u);
}

TEST_F(EngineTest, CancelBeforeAnOperationStopsItBeforeAnyChange) {
  Stack(kSixThings);
  std::unique_ptr<Engine> engine = Open();
  ASSERT_NE(engine, nullptr);
  engine->Cancel();
  Plan plan;
  ApplySummary summary;
  Diagnostics diags = engine->PlanAndApply({}, {}, &plan, &summary);
  EXPECT_TRUE(HasSummary(diags, "Interrupted")) << diags.ToString();
  EXPECT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(cloud_->size(), 0u);
  // The cancel was used up: the next operation runs.
  MustApply();
  EXPECT_EQ(cloud_->size(), 6u);
}

}  // namespace
}  // namespace reconcile::testing
