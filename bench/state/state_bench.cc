// Serializing and parsing state documents of 1k, 10k and 100k instances, each
// shaped like a typical cloud resource (a dozen attributes, tags, a list, one
// sensitive value). Also the JSON-to-Value step alone, and the identity peek
// a backend does before each write.
#include <benchmark/benchmark.h>

#include "reconcile/state.h"
#include "state/json_reader.h"
#include "state/state_identity.h"

namespace reconcile {
namespace {

Value InstanceAttributes(int i) {
  std::string n = std::to_string(i);
  ValueMap tags;
  tags["Name"] = Value::String("web-" + n);
  tags["stack"] = Value::String("web");
  tags["env"] = Value::String("production");
  ValueMap attributes;
  attributes["id"] = Value::String("i-0abc" + n);
  attributes["arn"] = Value::String("arn:aws:ec2:us-west-2:123456789012:instance/i-0abc" + n);
  attributes["ami"] = Value::String("ami-0123456789abcdef0");
  attributes["instance_type"] = Value::String("t3.small");
  attributes["subnet_id"] = Value::String("subnet-" + n);
  attributes["private_ip"] = Value::String("10.0." + std::to_string(i % 250) + ".17");
  attributes["ebs_optimized"] = Value::Bool(true);
  attributes["monitoring"] = Value::Bool(false);
  attributes["cpu_core_count"] = Value::Number(2);
  attributes["root_volume_size"] = Value::Number(20 + i % 5);
  attributes["security_groups"] = Value::List({Value::String("sg-1"), Value::String("sg-" + n)});
  attributes["user_data"] = Value::String("#!/bin/sh\necho hello " + n + "\n").MarkedSensitive();
  attributes["tags"] = Value::Map(std::move(tags));
  return Value::Map(std::move(attributes));
}

State MakeState(int instances) {
  State state;
  state.lineage = NewLineage();
  state.serial = 42;
  state.tool_version = "0.1.0";
  for (int i = 0; i < instances; ++i) {
    ResourceInstanceState r;
    r.address = "aws_instance.web[" + std::to_string(i) + "]";
    r.mode = "managed";
    r.type = "aws_instance";
    r.provider = "aws";
    r.attributes = InstanceAttributes(i);
    r.dependencies = {"aws_subnet.public", "aws_security_group.web"};
    state.resources[r.address] = std::move(r);
  }
  return state;
}

void BM_SerializeState(benchmark::State& bench) {
  State state = MakeState(static_cast<int>(bench.range(0)));
  std::size_t bytes = 0;
  for (auto _ : bench) {
    std::string document = SerializeState(state);
    bytes = document.size();
    benchmark::DoNotOptimize(document);
  }
  bench.counters["bytes"] = static_cast<double>(bytes);
  bench.SetBytesProcessed(static_cast<std::int64_t>(bench.iterations() * bytes));
}

void BM_ParseState(benchmark::State& bench) {
  std::string document = SerializeState(MakeState(static_cast<int>(bench.range(0))));
  for (auto _ : bench) {
    State parsed;
    Diagnostics diags = ParseState(document, &parsed);
    if (diags.HasErrors()) bench.SkipWithError(diags.ToString().c_str());
    benchmark::DoNotOptimize(parsed);
  }
  bench.SetBytesProcessed(static_cast<std::int64_t>(bench.iterations() * document.size()));
}

void BM_PeekStateIdentity(benchmark::State& bench) {
  std::string document = SerializeState(MakeState(static_cast<int>(bench.range(0))));
  for (auto _ : bench) {
    StateIdentity identity;
    benchmark::DoNotOptimize(PeekStateIdentity(document, &identity, nullptr));
  }
}

void BM_JsonToValue(benchmark::State& bench) {
  std::string document = SerializeState(MakeState(static_cast<int>(bench.range(0))));
  for (auto _ : bench) {
    Value v;
    std::string error;
    benchmark::DoNotOptimize(json::Parse(document, &v, &error));
  }
  bench.SetBytesProcessed(static_cast<std::int64_t>(bench.iterations() * document.size()));
}

BENCHMARK(BM_SerializeState)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseState)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JsonToValue)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PeekStateIdentity)->Arg(100000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace reconcile

