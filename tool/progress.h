// Human progress output while the engine works: one line when a resource
// operation starts, one when it ends (with elapsed time and id), and a
// "Still creating..." line every 10 s for long ones.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "reconcile/engine.h"

namespace reconcile::tool {

class ProgressPrinter : public Observer {
 public:
  explicit ProgressPrinter(bool color, bool show_refresh = true);
  ~ProgressPrinter() override;

  void OnResourceEvent(const ResourceEvent& event) override;
  void OnMessage(const std::string& message) override;
  void OnApplySummary(const ApplySummary& summary) override;

 private:
  void Tick();

  bool color_;
  bool show_refresh_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<std::string, std::pair<Action, std::chrono::steady_clock::time_point>> in_flight_;
  std::thread ticker_;
};

// "5s", "1m12s".
std::string FormatElapsed(std::chrono::milliseconds elapsed);

}  // namespace reconcile::tool
