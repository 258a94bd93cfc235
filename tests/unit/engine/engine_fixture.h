// Drives the real engine (reconcile/engine.h) over stacks written to a temp
// dir, with the in-memory fake provider and the local backend.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "reconcile/engine.h"
#include "support/fake_provider.h"
#include "support/temp_dir.h"

namespace reconcile::testing {

// Records every event the engine reports.
class RecordingObserver : public Observer {
 public:
  void OnResourceEvent(const ResourceEvent& e) override {
    events.push_back(e);
    if (on_event) on_event(e);
  }
  void OnMessage(const std::string& m) override { messages.push_back(m); }
  std::function<void(const ResourceEvent&)> on_event;  // called after recording
  std::vector<ResourceEvent> events;
  std::vector<std::string> messages;
};

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : cloud_(std::make_shared<FakeCloud>()) {}

  // Writes main.toml.
  void Stack(const std::string& toml) { dir_.Write("main.toml", toml); }

  std::unique_ptr<Engine> Open(const std::string& workspace = {});

  // Plans; fails the test on error diagnostics.
  Plan MustPlan(PlanOptions options = {});
  // Plans and applies; fails the test on error diagnostics.
  ApplySummary MustApply(PlanOptions options = {});
  // Diagnostics of a plan expected to fail.
  Diagnostics PlanErrors(PlanOptions options = {});

  State ReadState();
  const PlannedChange* Find(const Plan& plan, const std::string& address);

  TempDir dir_;
  std::shared_ptr<FakeCloud> cloud_;
  RecordingObserver observer_;
  int parallelism_ = 10;
  std::shared_ptr<Backend> backend_;  // the stack's (local) backend when null
};

}  // namespace reconcile::testing
