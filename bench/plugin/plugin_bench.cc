// The cost of the plugin boundary: one call's round trip, and 1,000 plan
// calls (sequential, and from 10 threads as the engine's --parallelism does),
// each in-process and through reconcile-provider-random.
#include <benchmark/benchmark.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "random_provider.h"
#include "reconcile/plugin.h"

namespace reconcile {
namespace {

constexpr int kPlans = 1000;

std::unique_ptr<Provider> MakeProvider(bool plugin) {
  if (!plugin) return MakeRandomProvider();
  Diagnostics diagnostics;
  auto provider = StartPlugin(std::string(RECONCILE_PLUGIN_DIR) + "/reconcile-provider-random", {},
                              &diagnostics);
  if (!provider) std::fprintf(stderr, "%s\n", diagnostics.ToString().c_str());
  return provider;
}

// A plan request the size of a typical resource: a dozen attributes, a map.
PlanRequest SamplePlan(int i) {
  ValueMap keepers;
  for (int k = 0; k < 4; ++k)
    keepers["k" + std::to_string(k)] = Value::String("value-" + std::to_string(k));
  Value proposed = Value::Map({{"length", Value::Number(32)},
                               {"special", Value::Bool(true)},
                               {"upper", Value::Bool(true)},
                               {"lower", Value::Bool(true)},
                               {"numeric", Value::Bool(true)},
                               {"min_special", Value::Number(0)},
                               {"min_upper", Value::Number(0)},
                               {"min_lower", Value::Number(0)},
                               {"min_numeric", Value::Number(0)},
                               {"keepers", Value::Map(keepers)},
                               {"result", Value::Unknown()},
                               {"id", Value::Unknown()}});
  return {"random_password", "random_password.p[" + std::to_string(i) + "]", Value(), proposed,
          proposed};
}

void BM_ReadRoundTrip(benchmark::State& state) {
  auto provider = MakeProvider(state.range(0) == 1);
  if (!provider) return state.SkipWithError("cannot start the plugin");
  ReadRequest request{
      "random_id", "random_id.x",
      Value::Map({{"id", Value::String("AAECAwQFBgc")}, {"byte_length", Value::Number(8)}})};
  for (auto _ : state) benchmark::DoNotOptimize(provider->ReadResource(request));
  state.SetLabel(state.range(0) == 1 ? "plugin" : "in-process");
}
BENCHMARK(BM_ReadRoundTrip)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_Plan1000(benchmark::State& state) {
  auto provider = MakeProvider(state.range(0) == 1);
  if (!provider) return state.SkipWithError("cannot start the plugin");
  std::vector<PlanRequest> requests;
  for (int i = 0; i < kPlans; ++i) requests.push_back(SamplePlan(i));
  const int threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    std::atomic<int> next{0};
    auto work = [&] {
      for (int i = next++; i < kPlans; i = next++)
        benchmark::DoNotOptimize(provider->PlanResource(requests[i]));
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
  }
  state.SetLabel(std::string(state.range(0) == 1 ? "plugin" : "in-process") + ", " +
                 std::to_string(threads) + " thread(s)");
  state.SetItemsProcessed(state.iterations() * kPlans);
}
BENCHMARK(BM_Plan1000)
    ->Args({0, 1})
    ->Args({1, 1})
    ->Args({0, 10})
    ->Args({1, 10})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace reconcile

BENCHMARK_MAIN();
