// rc_cancel (reconcile/c_api.h) against a running rc_apply: a stack of slow
// resources (the test plugin reconcile-provider-slow of tests/e2e/plugins,
// its objects files in SLOW_STATE_DIR) is applied on one thread and cancelled
// from another once the first create started. The apply must let the creates
// in flight finish, start no more, save what it did and release the lock; the
// engine must then serve the next plan and apply as usual.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "reconcile/c_api.h"
#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int kThings = 6;

struct Released {
  void operator()(char* text) const { rc_free(text); }
};
using Text = std::unique_ptr<char, Released>;

struct EngineCloser {
  void operator()(rc_engine* e) const { rc_close(e); }
};
using EnginePtr = std::unique_ptr<rc_engine, EngineCloser>;

// The apply's events, and a wait for the first create to start.
struct ApplyEvents {
  std::mutex mutex;
  std::condition_variable changed;
  std::multiset<std::string> started, finished;
  std::vector<std::string> messages;

  static void Receive(const char* event_json, void* user) {
    auto* self = static_cast<ApplyEvents*>(user);
    json event = json::parse(event_json);
    std::lock_guard<std::mutex> lock(self->mutex);
    if (event["type"] == "apply_start") self->started.insert(event["address"].get<std::string>());
    if (event["type"] == "apply_complete") self->finished.insert(event["address"].get<std::string>());
    if (event["type"] == "log") self->messages.push_back(event["message"]);
    self->changed.notify_all();
  }
};

std::string SlowStack(int delay_ms) {
  std::string text;
  for (int i = 0; i < kThings; ++i)
    text += "[resource.slow_thing.r" + std::to_string(i) + "]\nname = \"r" + std::to_string(i) +
            "\"\ndelay_ms = " + std::to_string(delay_ms) + "\n\n";
  return text;
}

class CApiCancelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("SLOW_STATE_DIR", (fs::path(dir_.path()) / "slow-objects").c_str(), 1);
    dir_.Write("main.toml", SlowStack(1500));
  }

  EnginePtr Open() {
    json options = {{"stack_dir", dir_.path()},
                    {"workspace", "default"},
                    {"parallelism", 2},
                    {"lock_timeout_ms", 0},
                    {"plugin_dirs", {BuildDir() + "/test-plugins"}}};
    char* diags = nullptr;
    EnginePtr engine(rc_open(options.dump().c_str(), &diags));
    Text owned(diags);
    EXPECT_TRUE(engine) << (diags ? diags : "");
    return engine;
  }

  // The slow provider's objects: one file per created thing.
  std::size_t Objects() const {
    std::size_t n = 0;
    fs::path dir = fs::path(dir_.path()) / "slow-objects";
    if (!fs::is_directory(dir)) return 0;
    for (const fs::directory_entry& e : fs::directory_iterator(dir))
      if (e.path().filename().string()[0] != '.') ++n;
    return n;
  }

  TempDir dir_;
};

int PlanCreates(rc_engine* engine, json* plan_out, std::string* diags_out) {
  char *plan = nullptr, *diags = nullptr;
  int code = rc_plan(engine, nullptr, &plan, &diags);
  Text owned_plan(plan), owned_diags(diags);
  *diags_out = diags ? diags : "";
  if (plan == nullptr) return -1;
  *plan_out = json::parse(plan);
  return code;
}

TEST_F(CApiCancelTest, CancelFromAnotherThreadStopsTheApplySavesStateAndReleasesTheLock) {
  EnginePtr engine = Open();
  ASSERT_TRUE(engine);
  ApplyEvents events;
  rc_set_event_callback(engine.get(), ApplyEvents::Receive, &events);
  json plan;
  std::string diags;
  ASSERT_EQ(PlanCreates(engine.get(), &plan, &diags), RC_CHANGES) << diags;
  ASSERT_EQ(plan["summary"]["add"], kThings);

  // When the plan is applied on one thread
  int applied = -1;
  std::string apply_diags;
  std::thread apply([&] {
    char *summary = nullptr, *d = nullptr;
    applied = rc_apply(engine.get(), plan.dump().c_str(), &summary, &d);
    Text owned_summary(summary), owned_diags(d);
    apply_diags = d ? d : "";
  });
  // and cancelled from this one once a create started
  {
    std::unique_lock<std::mutex> lock(events.mutex);
    bool started = events.changed.wait_for(lock, std::chrono::minutes(2), [&] { return !events.started.empty(); });
    ASSERT_TRUE(started) << "no create started";  // a hang guard, not a timing check
  }
  rc_cancel(engine.get());
  apply.join();

  // Then the apply fails as interrupted, having said what it finishes
  EXPECT_EQ(applied, RC_ERROR);
  EXPECT_NE(apply_diags.find("Apply interrupted"), std::string::npos) << apply_diags;
  std::size_t created = 0;
  {
    std::lock_guard<std::mutex> lock(events.mutex);
    bool told = false;
    for (const std::string& m : events.messages) told = told || m.find("Interrupt received") == 0;
    EXPECT_TRUE(told);
    // Every create that started finished (none was cut off), and not all started
    EXPECT_EQ(events.started, events.finished);
    created = events.finished.size();
  }
  EXPECT_GE(created, 1u);
  EXPECT_LT(created, static_cast<std::size_t>(kThings));
  EXPECT_EQ(Objects(), created);

  // And the state was saved and the lock released: another engine (that
  // waits for no lock) plans only what is missing
  {
    EnginePtr other = Open();
    ASSERT_TRUE(other);
    json replan;
    ASSERT_EQ(PlanCreates(other.get(), &replan, &diags), RC_CHANGES) << diags;
    EXPECT_EQ(replan["summary"]["add"], kThings - static_cast<int>(created));
  }
  // And the cancelled engine serves the next apply as usual, converging
  ASSERT_EQ(PlanCreates(engine.get(), &plan, &diags), RC_CHANGES) << diags;
  char *summary = nullptr, *d = nullptr;
  EXPECT_EQ(rc_apply(engine.get(), plan.dump().c_str(), &summary, &d), RC_OK) << (d ? d : "");
  Text owned_summary(summary), owned_diags(d);
  EXPECT_EQ(Objects(), static_cast<std::size_t>(kThings));
  EXPECT_EQ(PlanCreates(engine.get(), &plan, &diags), RC_OK) << diags;
  rc_set_event_callback(engine.get(), nullptr, nullptr);
}

TEST_F(CApiCancelTest, CancelOfANullEngineIsIgnored) { rc_cancel(nullptr); }

}  // namespace
}  // namespace reconcile::testing
