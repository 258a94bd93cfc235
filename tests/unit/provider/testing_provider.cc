// reconcile-provider-testing: a tiny provider served with ServeProvider whose
// resource types misbehave on purpose (slow, gated, crashing, hanging, noisy)
// for the protocol tests. Its version comes from TEST_PLUGIN_VERSION.
// testing_logger writes its attributes to the log and to stderr, for the
// redaction tests.
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/log.h"
#include "reconcile/plugin.h"

namespace {

using reconcile::ApplyRequest;
using reconcile::ApplyResponse;
using reconcile::Attribute;
using reconcile::AttributeType;
using reconcile::Value;

std::string Config(const ApplyRequest& request, const char* name) {
  const Value* v = request.planned_state.Find(name);
  return v != nullptr && v->is_string() ? v->AsString() : "";
}

void WritePid(const std::string& path) {
  std::ofstream(path + ".tmp") << getpid();
  std::filesystem::rename(path + ".tmp", path);
}

class TestingProvider final : public reconcile::Provider {
 public:
  TestingProvider() {
    reconcile::ResourceSchema any;
    any.attributes = {Attribute::Optional("parties", AttributeType::kNumber),
                      Attribute::Optional("gate", AttributeType::kString),
                      Attribute::Optional("pid_file", AttributeType::kString),
                      Attribute::Computed("id", AttributeType::kString)};
    for (const char* type : {"testing_echo", "testing_barrier", "testing_gate", "testing_slow",
                             "testing_crash", "testing_hang", "testing_noisy"})
      schema_.resources[type] = any;
    schema_.resources["testing_echo"].version = 2;
    schema_.resources["testing_logger"].attributes = {
        Attribute::Optional("message", AttributeType::kString),
        Attribute::Optional("marked", AttributeType::kString),
        Attribute::Optional("note", AttributeType::kString),
        Attribute::Computed("id", AttributeType::kString)};
    schema_.data_sources["testing_data"] = any;
  }

  reconcile::ProviderInfo Info() const override {
    const char* version = std::getenv("TEST_PLUGIN_VERSION");
    return {"testing", version ? version : "1.2.0"};
  }
  const reconcile::ProviderSchema& Schema() const override { return schema_; }

  reconcile::Diagnostics Configure(const reconcile::ConfigureRequest& request) override {
    std::fprintf(stderr, "hello from the plugin, stack %s\n", request.stack.c_str());
    std::fflush(stderr);
    return {};
  }

  reconcile::PlanResponse PlanResource(const reconcile::PlanRequest& request) override {
    reconcile::PlanResponse out{request.proposed_state, {}, {}};
    out.planned_state.Set("planned_by", Value::String("testing"));
    return out;
  }

  ApplyResponse ApplyResource(const ApplyRequest& request) override {
    if (request.type == "testing_barrier") return Barrier(request);
    if (request.type == "testing_gate") {
      if (!Config(request, "pid_file").empty()) WritePid(Config(request, "pid_file"));  // "started"
      WaitForFile(Config(request, "gate"));
    }
    if (request.type == "testing_slow" || request.type == "testing_hang") {
      WritePid(Config(request, "pid_file"));
      while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    if (request.type == "testing_crash") {
      std::fprintf(stderr, "testing provider: about to crash on %s\n", request.address.c_str());
      std::fflush(stderr);
      std::abort();
    }
    if (request.type == "testing_logger") {
      std::string line = "message=" + Config(request, "message") + " marked=" +
                         Config(request, "marked") + " note=" + Config(request, "note");
      reconcile::log::Write(reconcile::log::Level::kInfo, "testing", line);
      std::fprintf(stderr, "on stderr: %s\n", line.c_str());
      std::fflush(stderr);
    }
    if (request.type == "testing_noisy") {
      std::printf("a stray line on stdout\n");
      std::fflush(stdout);
    }
    ApplyResponse out{request.planned_state, {}};
    if (request.action == reconcile::ApplyAction::kDelete)
      out.new_state = Value();
    else
      out.new_state.Set("id", Value::String(request.address));
    return out;
  }

  reconcile::ReadResponse ReadResource(const reconcile::ReadRequest& request) override {
    reconcile::ReadResponse out{request.current_state, {}};
    if (request.address.find("gone") != std::string::npos) out.new_state = Value();
    return out;
  }

  reconcile::ImportResponse ImportResource(const reconcile::ImportRequest& request) override {
    return {Value::Map({{"id", Value::String(request.id)}}), {}};
  }

  reconcile::ReadResponse AdoptResource(const reconcile::AdoptRequest& request) override {
    return {Value::Map({{"adopted", Value::String(request.client_token)}}), {}};
  }

  reconcile::DataResponse ReadDataSource(const reconcile::DataRequest& request) override {
    reconcile::DataResponse out{request.config, {}};
    out.state.Set("value", Value::String("data for " + request.address));
    return out;
  }

  reconcile::UpgradeStateResponse UpgradeState(
      const reconcile::UpgradeStateRequest& request) override {
    reconcile::UpgradeStateResponse out{request.state, {}};
    out.state.Set("upgraded_from", Value::Number(request.from_version));
    return out;
  }

  reconcile::Diagnostics ValidateResource(const std::string& type, const Value&) override {
    reconcile::Diagnostics d;
    if (type == "testing_invalid") d.Warning("testing_invalid is only a warning", "detail here");
    return d;
  }

 private:
  // Waits until `parties` applies are in flight at once (at most 60 s).
  ApplyResponse Barrier(const ApplyRequest& request) {
    const Value* parties = request.planned_state.Find("parties");
    std::size_t needed = parties != nullptr ? static_cast<std::size_t>(parties->AsNumber()) : 1;
    std::unique_lock<std::mutex> lock(mutex_);
    ++arrived_;
    barrier_.notify_all();
    bool met =
        barrier_.wait_for(lock, std::chrono::seconds(60), [&] { return arrived_ >= needed; });
    ApplyResponse out{request.planned_state, {}};
    out.new_state.Set("id", Value::String(request.address));
    if (!met)
      out.diagnostics.Error("barrier not met: only " + std::to_string(arrived_) + " arrived");
    return out;
  }

  static void WaitForFile(const std::string& path) {
    for (int i = 0; i < 6000 && !std::filesystem::exists(path); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  reconcile::ProviderSchema schema_;
  std::mutex mutex_;
  std::condition_variable barrier_;
  std::size_t arrived_ = 0;
};

}  // namespace

int main() { return reconcile::ServeProvider(std::make_unique<TestingProvider>()); }
