// The plugin host against real plugin processes: handshake, pipelining, and
// every way a plugin can fail (crash, kill, hang, garbage), each reported as
// a diagnostic naming the provider and the resource in flight.
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin_test_support.h"
#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<Provider> StartTesting(const PluginOptions& options = {}) {
  Diagnostics diagnostics;
  std::unique_ptr<Provider> provider = StartPlugin(TestingPluginPath(), options, &diagnostics);
  EXPECT_NE(provider, nullptr) << diagnostics.ToString();
  return provider;
}

// Waits (up to a minute) for a file a plugin writes, and returns its content.
std::string AwaitFile(const std::string& path) {
  for (int i = 0; i < 6000 && !std::filesystem::exists(path); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::ifstream in(path);
  std::string content;
  std::getline(in, content);
  return content;
}

bool ProcessGone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

TEST(PluginHandshakeTest, ReportsNameVersionAndSchema) {
  std::unique_ptr<Provider> provider = StartTesting();
  ASSERT_NE(provider, nullptr);
  EXPECT_EQ(provider->Info().name, "testing");
  EXPECT_EQ(provider->Info().version, "1.2.0");
  EXPECT_EQ(provider->Schema().resources.size(), 7u);
  EXPECT_EQ(provider->Schema().resources.at("testing_echo").version, 2);
  EXPECT_EQ(provider->Schema().data_sources.count("testing_data"), 1u);
}

TEST(PluginHandshakeTest, AnotherMajorProtocolVersionIsRefused) {
  // Given a plugin that answers the handshake with protocol 2.0
  Diagnostics diagnostics;
  // When it is started
  std::unique_ptr<Provider> provider =
      StartPlugin(RawPluginPath(), RawMode("protocol2"), &diagnostics);
  // Then it is refused, saying which versions disagree
  EXPECT_EQ(provider, nullptr);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].summary,
            "Provider plugin " + RawPluginPath() +
                " speaks plugin protocol 2.0, but this reconcile speaks 1.1");
  EXPECT_EQ(diagnostics[0].detail,
            "The protocol's major version must match. Install a build of the \"raw\" provider for "
            "protocol 1.x, or a reconcile that speaks 2.0.");
}

TEST(PluginHandshakeTest, APluginThatExitsAtOnceIsReportedWithItsStatusAndStderr) {
  Diagnostics diagnostics;
  EXPECT_EQ(StartPlugin(RawPluginPath(), RawMode("exit3"), &diagnostics), nullptr);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].summary,
            "provider \"raw_plugin\" exited (exit status 3) while handshake was in flight");
  EXPECT_THAT(diagnostics[0].detail, HasSubstr("raw plugin: refusing to start"));
}

TEST(PluginHandshakeTest, AMissingExecutableIsReported) {
  Diagnostics diagnostics;
  EXPECT_EQ(StartPlugin("/nonexistent/reconcile-provider-x", {}, &diagnostics), nullptr);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].summary,
            "Cannot start provider plugin /nonexistent/reconcile-provider-x");
  EXPECT_THAT(diagnostics[0].detail, HasSubstr("No such file or directory"));
}

TEST(PluginHandshakeTest, ASilentPluginTimesOut) {
  PluginOptions options = RawMode("silent");
  options.handshake_timeout = std::chrono::milliseconds(300);
  options.stop_grace = std::chrono::milliseconds(100);
  Diagnostics diagnostics;
  EXPECT_EQ(StartPlugin(RawPluginPath(), options, &diagnostics), nullptr);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].summary,
            "provider \"raw_plugin\" did not answer handshake within 300ms");
}

TEST(PluginPipeliningTest, FiftyConcurrentCallsAreServedAtOnceAndMatchedById) {
  // Given fifty threads applying resources whose apply returns only when all
  // fifty are in flight in the plugin at the same time
  std::unique_ptr<Provider> provider = StartTesting();
  ASSERT_NE(provider, nullptr);
  constexpr int kCalls = 50;
  std::vector<std::future<ApplyResponse>> results;
  for (int i = 0; i < kCalls; ++i) {
    results.push_back(std::async(std::launch::async, [&provider, i] {
      return provider->ApplyResource(Create("testing_barrier", "b" + std::to_string(i),
                                            Value::Map({{"parties", Value::Number(kCalls)}})));
    }));
  }
  // Then every call succeeds with the answer to its own request
  for (int i = 0; i < kCalls; ++i) {
    ApplyResponse response = results[i].get();
    EXPECT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
    EXPECT_EQ(response.new_state.Find("id")->AsString(), "testing_barrier.b" + std::to_string(i));
  }
}

TEST(PluginPipeliningTest, AnswersArriveOutOfOrder) {
  // Given a call that waits for a gate file, in flight
  TempDir dir;
  std::string gate = dir.path() + "/gate";
  std::unique_ptr<Provider> provider = StartTesting();
  ASSERT_NE(provider, nullptr);
  std::future<ApplyResponse> gated = std::async(std::launch::async, [&] {
    return provider->ApplyResource(
        Create("testing_gate", "g", Value::Map({{"gate", Value::String(gate)}})));
  });
  // When a later call is made, then it is answered while the first still waits
  ApplyResponse quick = provider->ApplyResource(Create("testing_echo", "e", Value::Map({})));
  EXPECT_EQ(quick.new_state.Find("id")->AsString(), "testing_echo.e");
  EXPECT_EQ(gated.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  // And when the gate opens, the first call gets its own answer
  dir.Write("gate", "open");
  EXPECT_EQ(gated.get().new_state.Find("id")->AsString(), "testing_gate.g");
}

TEST(PluginFailureTest, AKilledPluginFailsTheCallInFlightNamingProviderAndAddress) {
  // Given an apply in flight in a plugin
  TempDir dir;
  std::string pid_file = dir.path() + "/pid";
  std::unique_ptr<Provider> provider = StartTesting();
  ASSERT_NE(provider, nullptr);
  std::future<ApplyResponse> in_flight = std::async(std::launch::async, [&] {
    return provider->ApplyResource(
        Create("testing_slow", "s", Value::Map({{"pid_file", Value::String(pid_file)}})));
  });
  // When the plugin is killed
  pid_t pid = std::stoi(AwaitFile(pid_file));
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  // Then the call fails, naming the provider, the address and the signal
  ApplyResponse response = in_flight.get();
  ASSERT_EQ(response.diagnostics.size(), 1u);
  EXPECT_EQ(response.diagnostics[0].summary,
            "provider \"testing\" exited (killed by signal 9 (Killed)) while apply for "
            "testing_slow.s was in flight");
  EXPECT_EQ(response.diagnostics[0].address, "testing_slow.s");
  EXPECT_TRUE(response.new_state.is_null());
  // And later calls fail at once with the same cause
  ReadResponse later = provider->ReadResource(Read("testing_echo", "e", Value::Map({})));
  ASSERT_EQ(later.diagnostics.size(), 1u);
  EXPECT_EQ(
      later.diagnostics[0].summary,
      "provider \"testing\" cannot run read for testing_echo.e: it exited (killed by signal 9 "
      "(Killed))");
}

TEST(PluginProcessTest, TheHostsOpenFilesAreNotInherited) {
  // Given the host holding a file open without close-on-exec (as a lock file may be)
  TempDir dir;
  std::string held = dir.Write("held.lock", "lock");
  int fd = ::open(held.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  std::unique_ptr<Provider> provider = StartTesting();
  ASSERT_NE(provider, nullptr);
  std::string pid_file = dir.path() + "/pid";
  std::future<ApplyResponse> in_flight = std::async(std::launch::async, [&] {
    return provider->ApplyResource(
        Create("testing_slow", "s", Value::Map({{"pid_file", Value::String(pid_file)}})));
  });
  // When the plugin runs, then none of its descriptors refers to that file
  std::string pid = AwaitFile(pid_file);
  int descriptors = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + pid + "/fd")) {
    ++descriptors;
    std::error_code ec;
    EXPECT_NE(std::filesystem::read_symlink(entry.path(), ec).string(), held);
  }
  EXPECT_GE(descriptors, 3);
  ::kill(std::stoi(pid), SIGKILL);
  in_flight.get();
  ::close(fd);
}

TEST(PluginFailureTest, ACrashQuotesTheLastLinesOnStderr) {
  std::unique_ptr<Provider> provider = StartTesting();
  ASSERT_NE(provider, nullptr);
  ApplyResponse response = provider->ApplyResource(Create("testing_crash", "c", Value::Map({})));
  ASSERT_EQ(response.diagnostics.size(), 1u);
  EXPECT_EQ(response.diagnostics[0].summary,
            "provider \"testing\" exited (killed by signal 6 (Aborted)) while apply for "
            "testing_crash.c was in flight");
  EXPECT_THAT(
      response.diagnostics[0].detail,
      HasSubstr(
          "Its last lines on stderr:\n  testing provider: about to crash on testing_crash.c"));
}

TEST(PluginFailureTest, AHangingPluginTimesOutAndIsStoppedCleanly) {
  // Given a plugin whose apply never returns, and a one-second apply timeout
  TempDir dir;
  std::string pid_file = dir.path() + "/pid";
  PluginOptions options;
  options.apply_timeout = std::chrono::seconds(1);
  options.stop_grace = std::chrono::milliseconds(200);
  std::unique_ptr<Provider> provider = StartTesting(options);
  ASSERT_NE(provider, nullptr);
  // When it is applied
  ApplyResponse response = provider->ApplyResource(
      Create("testing_hang", "h", Value::Map({{"pid_file", Value::String(pid_file)}})));
  // Then the call fails with a clear timeout
  ASSERT_EQ(response.diagnostics.size(), 1u);
  EXPECT_EQ(response.diagnostics[0].summary,
            "provider \"testing\" did not answer apply for testing_hang.h within 1s");
  EXPECT_EQ(response.diagnostics[0].address, "testing_hang.h");
  // And the plugin still serves other calls
  ReadResponse read = provider->ReadResource(Read("testing_echo", "e", Value::Map({})));
  EXPECT_FALSE(read.diagnostics.HasErrors()) << read.diagnostics.ToString();
  // And destroying the provider ends and reaps the stuck process
  pid_t pid = std::stoi(AwaitFile(pid_file));
  provider.reset();
  EXPECT_TRUE(ProcessGone(pid));
}

TEST(PluginFailureTest, TheTimeoutEnvironmentVariableOverridesOptions) {
  TempDir dir;
  ::setenv("RECONCILE_PLUGIN_TIMEOUT", "0.5", 1);
  PluginOptions options;
  options.stop_grace = std::chrono::milliseconds(100);
  std::unique_ptr<Provider> provider = StartTesting(options);
  ::unsetenv("RECONCILE_PLUGIN_TIMEOUT");
  ASSERT_NE(provider, nullptr);
  ApplyResponse response = provider->ApplyResource(
      Create("testing_hang", "h", Value::Map({{"pid_file", Value::String(dir.path() + "/pid")}})));
  ASSERT_EQ(response.diagnostics.size(), 1u);
  EXPECT_EQ(response.diagnostics[0].summary,
            "provider \"testing\" did not answer apply for testing_hang.h within 500ms");
}

TEST(PluginFailureTest, GarbageOnStdoutIsQuotedAndBreaksThePlugin) {
  // Given a plugin that answers a call with a line that is not JSON
  Diagnostics diagnostics;
  std::unique_ptr<Provider> provider =
      StartPlugin(RawPluginPath(), RawMode("garbage"), &diagnostics);
  ASSERT_NE(provider, nullptr) << diagnostics.ToString();
  // When a call is made
  ApplyResponse response = provider->ApplyResource(Create("raw_thing", "x", Value::Map({})));
  // Then it fails quoting the line, naming the provider and the address
  ASSERT_EQ(response.diagnostics.size(), 1u);
  EXPECT_EQ(response.diagnostics[0].summary,
            "provider \"raw\" wrote a malformed message while apply for raw_thing.x was in flight");
  EXPECT_THAT(response.diagnostics[0].detail,
              HasSubstr(": \"this is not json at all, it is a debugging print\""));
  EXPECT_EQ(response.diagnostics[0].address, "raw_thing.x");
  // And the plugin is not trusted again
  ReadResponse later = provider->ReadResource(Read("raw_thing", "y", Value::Map({})));
  ASSERT_EQ(later.diagnostics.size(), 1u);
  EXPECT_EQ(later.diagnostics[0].summary,
            "provider \"raw\" cannot run read for raw_thing.y: it wrote a malformed message");
}

TEST(PluginFailureTest, AMalformedResultIsReported) {
  Diagnostics diagnostics;
  std::unique_ptr<Provider> provider =
      StartPlugin(RawPluginPath(), RawMode("bad-result"), &diagnostics);
  ASSERT_NE(provider, nullptr) << diagnostics.ToString();
  ApplyResponse response = provider->ApplyResource(Create("raw_thing", "x", Value::Map({})));
  ASSERT_EQ(response.diagnostics.size(), 1u);
  EXPECT_EQ(response.diagnostics[0].summary,
            "provider \"raw\" sent a malformed answer to apply for raw_thing.x");
  EXPECT_THAT(response.diagnostics[0].detail, HasSubstr("unknown value escape \"$bogus\""));
}

TEST(PluginFailureTest, ADeeplyNestedAnswerBreaksThePluginNotTheHost) {
  // Given a plugin that answers with a value nested a million levels deep
  Diagnostics diagnostics;
  std::unique_ptr<Provider> provider = StartPlugin(RawPluginPath(), RawMode("deep"), &diagnostics);
  ASSERT_NE(provider, nullptr) << diagnostics.ToString();
  // When a call is made
  ApplyResponse response = provider->ApplyResource(Create("raw_thing", "x", Value::Map({})));
  // Then the host reports a malformed message instead of overflowing its stack
  ASSERT_EQ(response.diagnostics.size(), 1u);
  EXPECT_EQ(response.diagnostics[0].summary,
            "provider \"raw\" wrote a malformed message while apply for raw_thing.x was in flight");
  EXPECT_THAT(response.diagnostics[0].detail,
              HasSubstr("(arrays and objects nest deeper than 256 levels)"));
}

TEST(PluginFailureTest, StrayPrintsToStdoutDoNotBreakTheProtocol) {
  std::unique_ptr<Provider> provider = StartTesting();
  ASSERT_NE(provider, nullptr);
  ApplyResponse response = provider->ApplyResource(Create("testing_noisy", "n", Value::Map({})));
  EXPECT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  EXPECT_EQ(response.new_state.Find("id")->AsString(), "testing_noisy.n");
}

TEST(PluginStopTest, CallsAfterStopFailAndTheProcessIsReaped) {
  TempDir dir;
  std::unique_ptr<Provider> provider = StartTesting();
  ASSERT_NE(provider, nullptr);
  provider->Stop();
  ApplyResponse response = provider->ApplyResource(Create("testing_echo", "e", Value::Map({})));
  ASSERT_EQ(response.diagnostics.size(), 1u);
  EXPECT_EQ(response.diagnostics[0].summary,
            "provider \"testing\" cannot run apply for testing_echo.e: it was stopped");
}

}  // namespace
}  // namespace reconcile::testing
