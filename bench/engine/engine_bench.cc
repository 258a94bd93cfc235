// Run: build/release/bench/engine/engine_bench --benchmark_counters_tabular=true
// Each size runs in its own iteration set; `time_per_instance` makes linearity
// visible, `process_cpu_ms` is the CPU time of all threads per iteration (the
// load parses files on worker threads), `peak_rss_mb` is the process's
// high-water mark so far.
#include <sys/resource.h>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/stack/stack_loader.h"
#include "engine/config_graph.h"
#include "engine/module_tree.h"
#include "reconcile/engine.h"
#include "support/fake_provider.h"
#include "support/temp_dir.h"

namespace {

using reconcile::testing::FakeCloud;
using reconcile::testing::FakeProviderFactory;
using reconcile::testing::TempDir;

// N resource blocks in 10 files; every tenth starts a chain the next nine
// follow (references make the graph non-trivial).
void WriteStack(const TempDir& dir, int n) {
  for (int file = 0; file < 10; ++file) {
    std::string text;
    text.reserve(static_cast<std::size_t>(n) * 12);
    for (int i = file; i < n; i += 10) {
      text += "[resource.fake_thing.r" + std::to_string(i) + "]\nname = \"r" + std::to_string(i) + "\"\n";
      text += "tags = { team = \"ops\", index = \"" + std::to_string(i) + "\" }\n";
      if (i % 100 != 0) text += "note = \"${fake_thing.r" + std::to_string(i - i % 100) + ".id}\"\n";
    }
    dir.Write("stack" + std::to_string(file) + ".toml", text);
  }
}

// N instances from N/100 blocks of count = 100 (instances, not blocks, scale).
void WriteCountedStack(const TempDir& dir, int n) {
  std::string text;
  for (int b = 0; b < n / 100; ++b) {
    text += "[resource.fake_thing.g" + std::to_string(b) + "]\ncount = 100\n";
    text += "name = \"g" + std::to_string(b) + "-${count.index}\"\n";
    text += "tags = { team = \"ops\", index = \"${count.index}\" }\n";
    if (b % 10 != 0) text += "note = \"${fake_thing.g" + std::to_string(b - b % 10) + "[0].id}\"\n";
  }
  dir.Write("stack.toml", text);
}

// A recorded state matching the stack exactly (as a prior apply would leave).
void WriteState(const TempDir& dir, int n, FakeCloud& cloud) {
  (void)cloud;
  reconcile::State state;
  state.lineage = reconcile::NewLineage();
  state.serial = 1;
  for (int i = 0; i < n; ++i) {
    std::string address = "fake_thing.r" + std::to_string(i);
    reconcile::ResourceInstanceState r;
    r.address = address;
    r.mode = "managed";
    r.type = "fake_thing";
    r.provider = "fake";
    std::string id = "thing-" + std::to_string(i);
    reconcile::ValueMap attrs{
        {"name", reconcile::Value::String("r" + std::to_string(i))},
        {"size", reconcile::Value::Number(1)},
        {"tags", reconcile::Value::Map({{"team", reconcile::Value::String("ops")},
                                        {"index", reconcile::Value::String(std::to_string(i))}})},
        {"note", i % 100 ? reconcile::Value::String("thing-" + std::to_string(i - i % 100)) : reconcile::Value()},
        {"secret", reconcile::Value()},
        {"rule", reconcile::Value()},
        {"id", reconcile::Value::String(id)},
        {"arn", reconcile::Value::String("arn:fake:" + id)}};
    r.attributes = reconcile::Value::Map(attrs);
    if (i % 100) r.dependencies = {"fake_thing.r" + std::to_string(i - i % 100)};
    state.resources[address] = r;
  }
  dir.Write(".reconcile/state/default.json", reconcile::SerializeState(state));
}

// User + system CPU seconds of the whole process so far (every thread).
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

reconcile::EngineOptions Options(const TempDir& dir, std::shared_ptr<FakeCloud> cloud) {
  reconcile::EngineOptions options;
  options.stack_dir = dir.path();
  options.providers = {{"fake", FakeProviderFactory(std::move(cloud))}};
  options.use_plugins = false;
  options.read_environment_variables = false;
  return options;
}

// `cpu_before`: ProcessCpuSeconds() when the timed loop started.
void Report(benchmark::State& state, int n, double cpu_before) {
  state.counters["instances"] = n;
  state.counters["process_cpu_ms"] =
      (ProcessCpuSeconds() - cpu_before) * 1000 / static_cast<double>(state.iterations());
  // Seconds per instance (shown with a unit suffix such as "u" for micro).
  state.counters["time_per_instance"] = benchmark::Counter(
      static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["peak_rss_mb"] = PeakRssMb();
}

void BM_LoadStack(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  TempDir dir;
  WriteStack(dir, n);
  const double cpu_before = ProcessCpuSeconds();
  for (auto _ : state) {
    reconcile::config::Stack stack;
    reconcile::Diagnostics diags = reconcile::config::LoadStack(dir.path(), &stack);
    if (diags.HasErrors()) state.SkipWithError(diags.ToString().c_str());
    benchmark::DoNotOptimize(stack);
  }
  Report(state, n, cpu_before);
}

// The dependency graph of a loaded stack (module tree + config graph + the
// resource graph over it), without the load.
void BM_BuildGraph(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  TempDir dir;
  WriteStack(dir, n);
  reconcile::config::Stack stack;
  reconcile::Diagnostics loaded = reconcile::config::LoadStack(dir.path(), &stack);
  if (loaded.HasErrors()) state.SkipWithError(loaded.ToString().c_str());
  const double cpu_before = ProcessCpuSeconds();
  for (auto _ : state) {
    auto root = reconcile::engine::BuildModuleTree(stack);
    reconcile::engine::ConfigGraph graph;
    reconcile::Diagnostics diags = reconcile::engine::ConfigGraph::Build(*root, &graph);
    if (diags.HasErrors()) state.SkipWithError(diags.ToString().c_str());
    if (graph.resources().size() != static_cast<std::size_t>(n)) state.SkipWithError("wrong block count");
    benchmark::DoNotOptimize(graph);
  }
  Report(state, n, cpu_before);
}

// Open = load + module tree + dependency graph.
void BM_OpenEngine(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  TempDir dir;
  WriteStack(dir, n);
  auto cloud = std::make_shared<FakeCloud>();
  const double cpu_before = ProcessCpuSeconds();
  for (auto _ : state) {
    reconcile::Diagnostics diags;
    auto engine = reconcile::Engine::Open(Options(dir, cloud), &diags);
    if (!engine) state.SkipWithError(diags.ToString().c_str());
    benchmark::DoNotOptimize(engine);
  }
  Report(state, n, cpu_before);
}

// Open + plan the N instances of the stack `write` makes from an empty state:
// everything is a create.
void PlanFromNothing(benchmark::State& state, void (*write)(const TempDir&, int)) {
  int n = static_cast<int>(state.range(0));
  TempDir dir;
  write(dir, n);
  auto cloud = std::make_shared<FakeCloud>();
  const double cpu_before = ProcessCpuSeconds();
  for (auto _ : state) {
    reconcile::Diagnostics diags;
    auto engine = reconcile::Engine::Open(Options(dir, cloud), &diags);
    reconcile::Plan plan;
    diags.Append(engine->MakePlan({}, &plan));
    if (diags.HasErrors()) state.SkipWithError(diags.ToString().c_str());
    if (plan.changes.size() != static_cast<std::size_t>(n)) state.SkipWithError("wrong instance count");
    benchmark::DoNotOptimize(plan);
  }
  Report(state, n, cpu_before);
}

// N separate blocks.
void BM_PlanFromNothing(benchmark::State& state) { PlanFromNothing(state, WriteStack); }

// Open + read N recorded instances + plan without refresh: the no-op plan's
// engine cost (a refresh adds the provider's reads).
void BM_PlanNoOp(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  TempDir dir;
  WriteStack(dir, n);
  auto cloud = std::make_shared<FakeCloud>();
  WriteState(dir, n, *cloud);
  const double cpu_before = ProcessCpuSeconds();
  for (auto _ : state) {
    reconcile::Diagnostics diags;
    auto engine = reconcile::Engine::Open(Options(dir, cloud), &diags);
    reconcile::Plan plan;
    reconcile::PlanOptions options;
    options.refresh = false;
    diags.Append(engine->MakePlan(options, &plan));
    if (diags.HasErrors()) state.SkipWithError(diags.ToString().c_str());
    if (plan.HasChanges()) state.SkipWithError("the no-op plan has changes");
    benchmark::DoNotOptimize(plan);
  }
  Report(state, n, cpu_before);
}

// Open + plan from nothing for N instances made by count (N/100 blocks).
void BM_PlanCountedFromNothing(benchmark::State& state) { PlanFromNothing(state, WriteCountedStack); }

BENCHMARK(BM_PlanCountedFromNothing)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(BM_LoadStack)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(BM_BuildGraph)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(BM_OpenEngine)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(BM_PlanFromNothing)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(0.5);
BENCHMARK(BM_PlanNoOp)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(0.5);

}  // namespace

BENCHMARK_MAIN();
