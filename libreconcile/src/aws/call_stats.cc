#include "aws/call_stats.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace reconcile::aws {

namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, CallCount> counts;
};

Registry& TheRegistry() {
  static Registry* registry = new Registry;  // never destroyed: read by the atexit printer
  return *registry;
}

void PrintAtExit() { std::fputs(CallStats::Format().c_str(), stderr); }

void RegisterPrinterOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    const char* flag = std::getenv("RECONCILE_AWS_STATS");
    if (flag != nullptr && std::string_view(flag) == "1") std::atexit(PrintAtExit);
  });
}

std::string Key(std::string_view service, std::string_view operation) {
  return std::string(service) + "." + std::string(operation);
}

}  // namespace

void CallStats::Record(std::string_view service, std::string_view operation, int attempts,
                       bool failed) {
  RegisterPrinterOnce();
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  CallCount& count = registry.counts[Key(service, operation)];
  count.calls += 1;
  count.attempts += static_cast<std::uint64_t>(attempts);
  if (failed) count.errors += 1;
}

std::map<std::string, CallCount> CallStats::Snapshot() {
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  return registry.counts;
}

std::uint64_t CallStats::Calls(std::string_view service, std::string_view operation) {
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  auto it = registry.counts.find(Key(service, operation));
  return it == registry.counts.end() ? 0 : it->second.calls;
}

std::uint64_t CallStats::TotalCalls(std::string_view service) {
  std::uint64_t total = 0;
  std::string prefix = std::string(service) + ".";
  for (const auto& [key, count] : Snapshot()) {
    if (service.empty() || key.starts_with(prefix)) total += count.calls;
  }
  return total;
}

void CallStats::Reset() {
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  registry.counts.clear();
}

std::string CallStats::Format() {
  std::string out;
  for (const auto& [key, count] : Snapshot()) {
    out += "aws-stats " + key + " calls=" + std::to_string(count.calls) +
           " attempts=" + std::to_string(count.attempts) + " errors=" + std::to_string(count.errors) +
           "\n";
  }
  return out;
}

}  // namespace reconcile::aws
