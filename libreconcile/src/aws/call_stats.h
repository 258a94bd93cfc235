// A per-process count of AWS API calls by service and operation, for tests
// ("a refresh of 100 parameters makes at most 15 calls") and benchmarks.
// Printed to stderr at exit when RECONCILE_AWS_STATS=1.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace reconcile::aws {

// Counts for one "service.Operation".
struct CallCount {
  std::uint64_t calls = 0;     // logical calls (each retried call counts once)
  std::uint64_t attempts = 0;  // HTTP requests sent, retries included
  std::uint64_t errors = 0;    // calls that ended in an error
};

class CallStats {
 public:
  // Records one logical call that took `attempts` HTTP requests.
  static void Record(std::string_view service, std::string_view operation, int attempts,
                     bool failed);
  // Counts keyed by "service.Operation" ("ssm.GetParameters").
  static std::map<std::string, CallCount> Snapshot();
  // Calls to one service.Operation (0 when none).
  static std::uint64_t Calls(std::string_view service, std::string_view operation);
  // Calls to every operation of `service` ("" = all services).
  static std::uint64_t TotalCalls(std::string_view service = {});
  // Zeroes every counter.
  static void Reset();
  // One line per service.Operation: "ssm.GetParameters calls=3 attempts=4 errors=0".
  static std::string Format();
};

}  // namespace reconcile::aws
