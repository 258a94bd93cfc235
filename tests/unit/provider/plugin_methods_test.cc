// Every Provider method crosses the plugin boundary with its request and
// response intact; the plugin's stderr reaches the host's log.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/log.h"
#include "plugin_test_support.h"
#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

using ::testing::HasSubstr;

class PluginMethodsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Diagnostics diagnostics;
    provider_ = StartPlugin(TestingPluginPath(), {}, &diagnostics);
    ASSERT_NE(provider_, nullptr) << diagnostics.ToString();
  }
  std::unique_ptr<Provider> provider_;
};

TEST_F(PluginMethodsTest, ValidateReturnsTheProvidersDiagnostics) {
  Diagnostics d = provider_->ValidateResource("testing_invalid", Value::Map({}));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  EXPECT_EQ(d[0].summary, "testing_invalid is only a warning");
  EXPECT_EQ(d[0].detail, "detail here");
  EXPECT_TRUE(provider_->ValidateResource("testing_echo", Value::Map({})).empty());
}

TEST_F(PluginMethodsTest, PlanCarriesUnknownsBothWays) {
  PlanRequest request{"testing_echo", "testing_echo.a", Value(),
                      Value::Map({{"id", Value::Unknown()}, {"name", Value::String("a")}}),
                      Value::Map({{"name", Value::String("a")}})};
  PlanResponse response = provider_->PlanResource(request);
  EXPECT_TRUE(response.diagnostics.empty()) << response.diagnostics.ToString();
  EXPECT_EQ(response.planned_state, Value::Map({{"id", Value::Unknown()},
                                                {"name", Value::String("a")},
                                                {"planned_by", Value::String("testing")}}));
}

TEST_F(PluginMethodsTest, ApplyKeepsSensitiveMarks) {
  Value planned = Value::Map({{"secret", Value::String("s3cr3t").MarkedSensitive()}});
  ApplyResponse response = provider_->ApplyResource(Create("testing_echo", "a", planned));
  EXPECT_TRUE(response.new_state.Find("secret")->sensitive());
  EXPECT_EQ(response.new_state.Find("id")->AsString(), "testing_echo.a");
}

TEST_F(PluginMethodsTest, BatchedReadsAnswerInRequestOrder) {
  std::vector<ReadRequest> requests = {
      Read("testing_echo", "one", Value::Map({{"n", Value::Number(1)}})),
      Read("testing_echo", "gone", Value::Map({{"n", Value::Number(2)}})),
      Read("testing_echo", "three", Value::Map({{"n", Value::Number(3)}}))};
  std::vector<ReadResponse> responses = provider_->ReadResources(requests);
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[0].new_state, requests[0].current_state);
  EXPECT_TRUE(responses[1].new_state.is_null());
  EXPECT_EQ(responses[2].new_state, requests[2].current_state);
}

TEST_F(PluginMethodsTest, ImportAdoptDataAndUpgradeCross) {
  ImportResponse imported = provider_->ImportResource({"testing_echo", "testing_echo.i", "abc-1"});
  EXPECT_EQ(imported.state, Value::Map({{"id", Value::String("abc-1")}}));
  ReadResponse adopted =
      provider_->AdoptResource({"testing_echo", "testing_echo.a", Value(), "tok"});
  EXPECT_EQ(adopted.new_state, Value::Map({{"adopted", Value::String("tok")}}));
  DataResponse data = provider_->ReadDataSource(
      {"testing_data", "data.testing_data.d", Value::Map({{"q", Value::String("x")}})});
  EXPECT_EQ(data.state, Value::Map({{"q", Value::String("x")},
                                    {"value", Value::String("data for data.testing_data.d")}}));
  UpgradeStateResponse upgraded =
      provider_->UpgradeState({"testing_echo", 1, Value::Map({{"old", Value::Bool(true)}})});
  EXPECT_EQ(upgraded.state,
            Value::Map({{"old", Value::Bool(true)}, {"upgraded_from", Value::Number(1)}}));
}

TEST(PluginLogTest, PluginStderrGoesToTheLogUnderTheProviderName) {
  // Given the log written to a file at info level
  TempDir dir;
  std::string log_file = dir.path() + "/reconcile.log";
  ::setenv("RECONCILE_LOG", "info", 1);
  ::setenv("RECONCILE_LOG_FILE", log_file.c_str(), 1);
  log::Reconfigure();
  // When a plugin writes to its stderr (on configure)
  Diagnostics diagnostics;
  std::unique_ptr<Provider> provider = StartPlugin(TestingPluginPath(), {}, &diagnostics);
  ASSERT_NE(provider, nullptr) << diagnostics.ToString();
  EXPECT_TRUE(provider->Configure({Value::Map({}), "demo", "default"}).empty());
  provider.reset();  // the line is logged before the plugin's stderr closes
  ::unsetenv("RECONCILE_LOG");
  ::unsetenv("RECONCILE_LOG_FILE");
  log::Reconfigure();
  // Then the line is in the log, under the provider's name
  std::stringstream content;
  content << std::ifstream(log_file).rdbuf();
  EXPECT_THAT(content.str(), HasSubstr(" INFO [testing] hello from the plugin, stack demo\n"));
}

}  // namespace
}  // namespace reconcile::testing
