#include "progress.h"

#include <cstdio>

#include "ui.h"

namespace reconcile::tool {

std::string FormatElapsed(std::chrono::milliseconds elapsed) {
  long long s = elapsed.count() / 1000;
  if (s < 60) return std::to_string(s) + "s";
  return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
}

namespace {

const char* Doing(Action a) {
  switch (a) {
    case Action::kCreate:
      return "Creating...";
    case Action::kUpdate:
      return "Modifying...";
    case Action::kDelete:
      return "Destroying...";
    case Action::kRead:
      return "Reading...";
    default:
      return "Working...";
  }
}

const char* Done(Action a) {
  switch (a) {
    case Action::kCreate:
      return "Creation complete";
    case Action::kUpdate:
      return "Modifications complete";
    case Action::kDelete:
      return "Destruction complete";
    case Action::kRead:
      return "Read complete";
    default:
      return "Complete";
  }
}

const char* Still(Action a) {
  switch (a) {
    case Action::kCreate:
      return "Still creating...";
    case Action::kUpdate:
      return "Still modifying...";
    case Action::kDelete:
      return "Still destroying...";
    default:
      return "Still working...";
  }
}

}  // namespace

ProgressPrinter::ProgressPrinter(bool color, bool show_refresh)
    : color_(color), show_refresh_(show_refresh), ticker_([this] { Tick(); }) {}

ProgressPrinter::~ProgressPrinter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  ticker_.join();
}

void ProgressPrinter::Tick() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::seconds(10));
    if (stop_) return;
    auto now = std::chrono::steady_clock::now();
    for (const auto& [address, op] : in_flight_) {
      auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - op.second);
      if (elapsed < std::chrono::seconds(10)) continue;
      std::printf("%s: %s [%s elapsed]\n", Paint(color_, "bold", address).c_str(), Still(op.first),
                  FormatElapsed(elapsed).c_str());
    }
    std::fflush(stdout);
  }
}

void ProgressPrinter::OnResourceEvent(const ResourceEvent& e) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string name = Paint(color_, "bold", e.address);
  if (e.phase == Phase::kRefresh) {
    if (show_refresh_ && e.status == EventStatus::kStarted)
      std::printf("%s: Refreshing state...\n", name.c_str());
  } else if (e.phase == Phase::kApply) {
    if (e.status == EventStatus::kStarted) {
      in_flight_[e.address] = {e.action, std::chrono::steady_clock::now()};
      std::printf("%s: %s\n", name.c_str(), Doing(e.action));
    } else {
      in_flight_.erase(e.address);
      std::string elapsed = FormatElapsed(e.elapsed);
      if (e.status == EventStatus::kFinished) {
        std::string id = e.id.empty() ? "" : " [id=" + e.id + "]";
        std::printf("%s: %s after %s%s\n", name.c_str(), Done(e.action), elapsed.c_str(), id.c_str());
      } else {
        std::printf("%s: %s after %s\n", name.c_str(), Paint(color_, "red", "Failed").c_str(),
                    elapsed.c_str());
      }
    }
  }
  std::fflush(stdout);
}

void ProgressPrinter::OnMessage(const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::printf("%s\n", message.c_str());
  std::fflush(stdout);
}

void ProgressPrinter::OnApplySummary(const ApplySummary& s) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string line = "Apply complete! Resources: " + std::to_string(s.added) + " added, " +
                     std::to_string(s.changed) + " changed, " + std::to_string(s.destroyed) +
                     " destroyed.";
  if (s.failed > 0) line = "Apply failed: " + std::to_string(s.failed) + " operation(s) failed; " +
                           std::to_string(s.added) + " added, " + std::to_string(s.changed) +
                           " changed, " + std::to_string(s.destroyed) + " destroyed.";
  std::printf("\n%s (%s)\n", Paint(color_, s.failed ? "red" : "green", line).c_str(),
              FormatElapsed(s.elapsed).c_str());
  std::fflush(stdout);
}

}  // namespace reconcile::tool
