// The [backend.s3] block: defaults, and a message naming the setting and what
// is expected for every mistake. No AWS calls.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "backends/s3/s3_backend_settings.h"
#include "reconcile/backend.h"

namespace reconcile::s3 {
namespace {

using ::testing::ElementsAre;

Value Block(ValueMap entries) { return Value::Map(std::move(entries)); }

ValueMap Minimal() {
  return {{"bucket", Value::String("acme-state")},
          {"key", Value::String("web/state.json")},
          {"lock_table", Value::String("locks")}};
}

// The summaries of the errors the block gives.
std::vector<std::string> Problems(const Value& block) {
  S3BackendSettings settings;
  std::vector<std::string> summaries;
  for (const Diagnostic& d : ParseS3BackendSettings(block, &settings)) summaries.push_back(d.summary);
  return summaries;
}

TEST(S3BackendSettingsTest, AMinimalBlockTakesTheDefaults) {
  S3BackendSettings settings;
  Diagnostics diags = ParseS3BackendSettings(Block(Minimal()), &settings);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(settings.bucket, "acme-state");
  EXPECT_EQ(settings.key, "web/state.json");
  EXPECT_EQ(settings.lock, LockKind::kDynamoDb);
  EXPECT_EQ(settings.lock_table, "locks");
  EXPECT_EQ(settings.workspace_key_prefix, "env:");
  EXPECT_FALSE(settings.encrypt);
  EXPECT_EQ(settings.region, "");
  EXPECT_TRUE(settings.endpoints.empty());
}

TEST(S3BackendSettingsTest, EverySettingIsRead) {
  ValueMap entries = {{"bucket", Value::String("acme-state")},
                      {"key", Value::String("web/state.json")},
                      {"region", Value::String("us-west-2")},
                      {"profile", Value::String("master")},
                      {"lock", Value::String("s3")},
                      {"workspace_key_prefix", Value::String("envs")},
                      {"kms_key_id", Value::String("alias/state")},
                      {"endpoints", Value::Map({{"s3", Value::String("http://127.0.0.1:5000")},
                                                {"dynamodb", Value::String("https://ddb.example")}})}};
  S3BackendSettings settings;
  Diagnostics diags = ParseS3BackendSettings(Block(entries), &settings);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(settings.region, "us-west-2");
  EXPECT_EQ(settings.profile, "master");
  EXPECT_EQ(settings.lock, LockKind::kS3Object);
  EXPECT_EQ(settings.workspace_key_prefix, "envs");
  EXPECT_TRUE(settings.encrypt);  // implied by kms_key_id
  EXPECT_EQ(settings.kms_key_id, "alias/state");
  EXPECT_EQ(settings.endpoints, (std::map<std::string, std::string>{{"dynamodb", "https://ddb.example"},
                                                                      {"s3", "http://127.0.0.1:5000"}}));
}

TEST(S3BackendSettingsTest, MissingSettingsAreNamedWithWhatIsExpected) {
  S3BackendSettings settings;
  Diagnostics diags = ParseS3BackendSettings(Block({}), &settings);
  ASSERT_EQ(diags.size(), 3u);
  EXPECT_EQ(diags[0].summary, "[backend.s3]: bucket is missing");
  EXPECT_EQ(diags[0].detail, "expected bucket = \"<S3 bucket>\"");
  EXPECT_EQ(diags[1].summary, "[backend.s3]: key is missing");
  EXPECT_EQ(diags[2].summary, "[backend.s3]: lock_table is missing: the state needs a lock");
  EXPECT_EQ(diags[2].detail,
            "expected lock_table = \"<DynamoDB table>\" (a DynamoDB lock) or lock = \"s3\" (a lock object beside the "
            "state)");
}

TEST(S3BackendSettingsTest, WrongValuesAreNamed) {
  ValueMap entries = Minimal();
  entries["bucket"] = Value::String("Acme_State");
  entries["key"] = Value::String("/web/state.json");
  entries["encrypt"] = Value::String("yes");
  entries["region"] = Value::Number(1);
  entries["endpoints"] = Value::Map({{"s3", Value::String("localhost:5000")}, {"ec2", Value::String("http://x")}});
  entries["lokc_table"] = Value::String("typo");
  EXPECT_THAT(Problems(Block(entries)),
              ElementsAre("[backend.s3]: bucket is not a valid S3 bucket name: \"Acme_State\"",
                          "[backend.s3]: encrypt must be true or false, found string",
                          "[backend.s3]: endpoints.ec2 is not a service the s3 backend calls",
                          "[backend.s3]: endpoints.s3 is not a URL: \"localhost:5000\"",
                          "[backend.s3]: key is not a usable object key: \"/web/state.json\"",
                          "[backend.s3]: unknown setting \"lokc_table\"",
                          "[backend.s3]: region must be a string, found number"));
}

TEST(S3BackendSettingsTest, LockChoicesMustAgree) {
  ValueMap both = Minimal();
  both["lock"] = Value::String("s3");
  EXPECT_THAT(Problems(Block(both)), ElementsAre("[backend.s3]: lock_table cannot be combined with lock = \"s3\""));

  ValueMap unknown = Minimal();
  unknown["lock"] = Value::String("etcd");
  EXPECT_THAT(Problems(Block(unknown)), ElementsAre("[backend.s3]: lock is \"etcd\""));

  ValueMap kms_off = Minimal();
  kms_off["encrypt"] = Value::Bool(false);
  kms_off["kms_key_id"] = Value::String("alias/state");
  EXPECT_THAT(Problems(Block(kms_off)), ElementsAre("[backend.s3]: kms_key_id is set while encrypt = false"));

  EXPECT_THAT(Problems(Value::String("acme")), ElementsAre("[backend.s3] must be a table, found string"));
}

TEST(S3BackendSettingsTest, TheFactoryMakesAnS3BackendOrSaysWhatIsWrong) {
  Diagnostics diags;
  Value block = Block(Minimal());
  block.Set("region", Value::String("us-west-2"));
  std::unique_ptr<Backend> backend = MakeBackend(BackendConfig{"s3", block, "/stack"}, &diags);
  ASSERT_NE(backend, nullptr) << diags.ToString();
  EXPECT_EQ(backend->Name(), "s3");
  EXPECT_EQ(backend->MinWriteInterval(), std::chrono::milliseconds(1000));

  Diagnostics bad;
  EXPECT_EQ(MakeBackend(BackendConfig{"s3", Block({}), "/stack"}, &bad), nullptr);
  EXPECT_EQ(bad.size(), 3u);
}

}  // namespace
}  // namespace reconcile::s3
