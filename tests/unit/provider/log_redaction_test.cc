// Redaction by sensitive mark: a value marked sensitive, and a secret the
// host knows (a sensitive variable) inside one, never reach the log of the
// host or of the plugin that receives them, in any form a request carries
// them in; and the log file is readable by its owner only.
#include <sys/stat.h>

#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/log.h"
#include "plugin_test_support.h"
#include "reconcile/provider_kit.h"
#include "provider/log_redaction.h"
#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Sends the log to `path` at trace for the life of the object.
class LogToFile {
 public:
  explicit LogToFile(const std::string& path) {
    ::setenv("RECONCILE_LOG", "trace", 1);
    ::setenv("RECONCILE_LOG_FILE", path.c_str(), 1);
    log::Reconfigure();
  }
  ~LogToFile() {
    ::unsetenv("RECONCILE_LOG");
    ::unsetenv("RECONCILE_LOG_FILE");
    log::Reconfigure();
  }
};

TEST(LogRedactionTest, ASecretIsHiddenInEveryFormARequestCarriesItIn) {
  // Given a secret with characters JSON, XML and URLs escape
  const std::string secret = "pa\"ss/wo+rd<7>-alpha";
  plugin::HideInLog(secret);
  // Then it is hidden plain, JSON-escaped, XML-escaped, percent-encoded ...
  for (const std::string& text :
       {secret, std::string(R"(pa\"ss/wo+rd<7>-alpha)"), std::string("pa&quot;ss/wo+rd&lt;7&gt;-alpha"),
        std::string("pa%22ss%2Fwo%2Brd%3C7%3E-alpha")}) {
    EXPECT_EQ(log::Scrub("value=" + text + ";"), "value=***;") << text;
  }
  // ... and base64-encoded inside a longer text, wherever it falls in a 3-byte group
  for (const char* before : {"", "#", "##"}) {
    std::string encoded = encoding::Base64Encode(std::string(before) + "#!/bin/sh\necho " + secret + "\n");
    EXPECT_TRUE(log::ContainsSecret(encoded)) << before;
    EXPECT_THAT(log::Scrub(encoded), HasSubstr("***"));
  }
}

TEST(LogRedactionTest, ShortValuesAreNotHidden) {
  plugin::HideInLog("abc");
  EXPECT_EQ(log::Scrub("abc abcd"), "abc abcd");
}

TEST(LogRedactionTest, SensitiveStringsAreCollectedFromMarkedValuesOnly) {
  Value v = Value::Map({{"plain", Value::String("visible")},
                        {"secret", Value::String("hidden-1").MarkedSensitive()},
                        {"env", Value::List({Value::Map({{"value", Value::String("hidden-2")},
                                                         {"port", Value::Number(8080)}})})
                                    .MarkedSensitive()}});
  std::vector<std::string> found;
  plugin::CollectSensitiveStrings(v, &found);
  EXPECT_EQ(found, (std::vector<std::string>{"8080", "hidden-2", "hidden-1"}));
}

TEST(LogRedactionTest, TheLogFileIsReadableByItsOwnerOnly) {
  TempDir dir;
  std::string fresh = dir.path() + "/fresh.log";
  std::string loose = dir.Write("loose.log", "");
  ::chmod(loose.c_str(), 0644);
  for (const std::string& path : {fresh, loose}) {
    LogToFile to(path);
    log::Write(log::Level::kInfo, "test", "a line");
    struct stat st{};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << path;
  }
}

TEST(LogRedactionTest, APluginHidesWhatTheHostMarksAndTheSecretsInside) {
  TempDir dir;
  std::string path = dir.path() + "/trace.log";
  {
    LogToFile to(path);
    // Given a secret the host knows (as the engine knows a sensitive variable)
    plugin::HideInLog("origin-secret-4711");
    Diagnostics diagnostics;
    std::unique_ptr<Provider> provider = StartPlugin(TestingPluginPath(), {}, &diagnostics);
    ASSERT_NE(provider, nullptr) << diagnostics.ToString();
    // When a request marks a JSON text embedding it, and the plugin logs that
    // text, another marked value, and the secret itself found in an unmarked
    // attribute, to its log and to stderr
    ApplyResponse response = provider->ApplyResource(Create(
        "testing_logger", "l",
        Value::Map({{"message", Value::String(R"({"env":"origin-secret-4711"})").MarkedSensitive()},
                    {"marked", Value::String("marked-only-secret-99").MarkedSensitive()},
                    {"note", Value::String("origin-secret-4711")}})));
    EXPECT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
    provider.reset();  // the plugin exits: its stderr is relayed
  }
  // Then neither the plugin's log lines nor its relayed stderr nor the host's
  // trace of the messages show any of them
  std::string logged = dir.Read("trace.log");
  EXPECT_THAT(logged, HasSubstr("[testing] message=*** marked=*** note=***"));
  EXPECT_THAT(logged, HasSubstr("on stderr: message=*** marked=*** note=***"));
  EXPECT_THAT(logged, HasSubstr("\"method\":\"apply\""));
  EXPECT_THAT(logged, Not(HasSubstr("origin-secret-4711")));
  EXPECT_THAT(logged, Not(HasSubstr("marked-only-secret-99")));
}

}  // namespace
}  // namespace reconcile::testing
