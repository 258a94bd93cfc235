#include "progress.h"

#include <cstdio>

#include <fmt/format.h>

#include "ui.h"

namespace reconcile::tool {

std::string FormatElapsed(std::chrono::milliseconds elapsed) {
  long long s = elapsed.count() / 1000;
  if (s < 60) return fmt::format("{}s", s);
  return fmt::format("{}m{}s", s / 60, s % 60);
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
      fmt::print("{}: {} [{} elapsed]\n", Styled(color_, Style::kStrong, address), Still(op.first),
                 FormatElapsed(elapsed));
    }
    std::fflush(stdout);
  }
}

void ProgressPrinter::OnResourceEvent(const ResourceEvent& e) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string name = Styled(color_, Style::kStrong, e.address);
  if (e.phase == Phase::kRefresh) {
    if (show_refresh_ && e.status == EventStatus::kStarted)
      fmt::print("{}: Refreshing state...\n", name);
  } else if (e.phase == Phase::kApply) {
    if (e.status == EventStatus::kStarted) {
      in_flight_[e.address] = {e.action, std::chrono::steady_clock::now()};
      fmt::print("{}: {}\n", name, Doing(e.action));
    } else {
      in_flight_.erase(e.address);
      std::string elapsed = FormatElapsed(e.elapsed);
      if (e.status == EventStatus::kFinished) {
        std::string id = e.id.empty() ? "" : fmt::format(" [id={}]", e.id);
        fmt::print("{}: {} after {}{}\n", name, Done(e.action), elapsed, id);
      } else {
        fmt::print("{}: {} after {}\n", name, Styled(color_, Style::kError, "Failed"), elapsed);
      }
    }
  }
  std::fflush(stdout);
}

void ProgressPrinter::OnMessage(const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  fmt::print("{}\n", message);
  std::fflush(stdout);
}

void ProgressPrinter::OnApplySummary(const ApplySummary& s) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string counts =
      fmt::format("{} added, {} changed, {} destroyed.", s.added, s.changed, s.destroyed);
  std::string line = s.failed > 0
                         ? fmt::format("Apply failed: {} operation(s) failed; {}", s.failed, counts)
                         : fmt::format("Apply complete! Resources: {}", counts);
  fmt::print("\n{} ({})\n", Styled(color_, s.failed ? Style::kError : Style::kSuccess, line),
             FormatElapsed(s.elapsed));
  std::fflush(stdout);
}

}  // namespace reconcile::tool
