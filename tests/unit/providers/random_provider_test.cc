// The random provider through the Provider interface, in-process and as the
// reconcile-provider-random plugin (every case runs both ways).
#include <algorithm>
#include <array>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reconcile/provider_kit.h"
#include "provider_modes.h"
#include "random_provider.h"

namespace reconcile::testing {
namespace {

class RandomProviderTest : public ::testing::TestWithParam<ProviderMode> {
 protected:
  void SetUp() override {
    provider_ = ProviderIn(GetParam(), MakeRandomProvider, "random");
    ASSERT_NE(provider_, nullptr);
  }

  ApplyResponse Create(const std::string& type, Value planned) {
    return provider_->ApplyResource(
        ApplyOf(ApplyAction::kCreate, type, "x", Value(), std::move(planned)));
  }

  // A password with only the given classes enabled.
  std::string Password(int length, bool lower, bool upper, bool numeric, bool special,
                       ValueMap extra = {}) {
    extra["length"] = Value::Number(length);
    extra["lower"] = Value::Bool(lower);
    extra["upper"] = Value::Bool(upper);
    extra["numeric"] = Value::Bool(numeric);
    extra["special"] = Value::Bool(special);
    ApplyResponse response = Create("random_password", Value::Map(std::move(extra)));
    EXPECT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
    return response.new_state.Find("result") ? response.new_state.Find("result")->AsString() : "";
  }

  std::unique_ptr<Provider> provider_;
};

TEST_P(RandomProviderTest, EveryConfigurationAttributeForcesReplacement) {
  for (const char* type : {"random_password", "random_string", "random_id"}) {
    const ResourceSchema& schema = provider_->Schema().resources.at(type);
    for (const Attribute& a : schema.attributes) {
      SCOPED_TRACE(std::string(type) + "." + a.name);
      EXPECT_EQ(a.force_new, !a.computed);
    }
  }
  const ResourceSchema& password = provider_->Schema().resources.at("random_password");
  EXPECT_TRUE(password.Find("length")->required);
  EXPECT_TRUE(password.Find("result")->sensitive);
  EXPECT_EQ(password.Find("special")->default_value, Value::Bool(true));
  EXPECT_EQ(password.Find("min_upper")->default_value, Value::Number(0));
  EXPECT_FALSE(provider_->Schema().resources.at("random_string").Find("result")->sensitive);
}

TEST_P(RandomProviderTest, APasswordHasItsLengthMinimumsAndASensitiveResult) {
  // Given a 32-character password with a minimum of each class
  Value planned = Value::Map({{"length", Value::Number(32)},
                              {"min_lower", Value::Number(2)},
                              {"min_upper", Value::Number(3)},
                              {"min_numeric", Value::Number(4)},
                              {"min_special", Value::Number(5)},
                              {"keepers", Value::Map({{"rotation", Value::String("1")}})}});
  // When it is created
  ApplyResponse response = Create("random_password", planned);
  // Then the result honours every rule and is marked sensitive
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  const Value& result = *response.new_state.Find("result");
  EXPECT_TRUE(result.sensitive());
  const std::string& text = result.AsString();
  EXPECT_EQ(text.size(), 32u);
  auto count = [&](auto predicate) { return std::count_if(text.begin(), text.end(), predicate); };
  EXPECT_GE(count([](char c) { return c >= 'a' && c <= 'z'; }), 2);
  EXPECT_GE(count([](char c) { return c >= 'A' && c <= 'Z'; }), 3);
  EXPECT_GE(count([](char c) { return c >= '0' && c <= '9'; }), 4);
  std::string special = "!@#$%&*()-_=+[]{}<>:?";
  EXPECT_GE(count([&](char c) { return special.find(c) != std::string::npos; }), 5);
  EXPECT_EQ(response.new_state.Find("id")->AsString(), "none");
  EXPECT_EQ(*response.new_state.Find("keepers"), *planned.Find("keepers"));
}

TEST_P(RandomProviderTest, DisabledClassesAndOverrideSpecialRestrictTheCharacters) {
  EXPECT_EQ(Password(8, false, false, false, true, {{"override_special", Value::String("#")}}),
            "########");
  std::string lower = Password(200, true, false, false, false);
  EXPECT_EQ(lower.size(), 200u);
  EXPECT_TRUE(std::all_of(lower.begin(), lower.end(), [](char c) { return c >= 'a' && c <= 'z'; }));
}

TEST_P(RandomProviderTest, CharactersAreDrawnWithoutBias) {
  // Given 10,000 digits (each expected 1,000 times, standard deviation 30)
  std::string digits = Password(10000, false, false, true, false);
  std::array<int, 10> counts{};
  for (char c : digits) ++counts[static_cast<std::size_t>(c - '0')];
  // Then every digit appears within 6.6 standard deviations of its expectation
  for (int n : counts) {
    EXPECT_GT(n, 800);
    EXPECT_LT(n, 1200);
  }
}

TEST_P(RandomProviderTest, EachCreateGeneratesANewValue) {
  std::set<std::string> seen;
  for (int i = 0; i < 5; ++i) seen.insert(Password(24, true, true, true, true));
  EXPECT_EQ(seen.size(), 5u);
}

TEST_P(RandomProviderTest, InvalidConfigurationsAreExplained) {
  Diagnostics zero =
      provider_->ValidateResource("random_password", Value::Map({{"length", Value::Number(0)}}));
  ASSERT_FALSE(zero.empty());
  EXPECT_EQ(zero[0].summary, "length must be at least 1");
  Diagnostics short_one = provider_->ValidateResource(
      "random_password", Value::Map({{"length", Value::Number(3)},
                                     {"min_upper", Value::Number(2)},
                                     {"min_numeric", Value::Number(2)}}));
  ASSERT_EQ(short_one.size(), 1u);
  EXPECT_EQ(short_one[0].summary, "length is shorter than the minimums it must hold");
  EXPECT_EQ(short_one[0].detail,
            "length = 3 but min_lower + min_upper + min_numeric + min_special = 4.");
  ApplyResponse none = Create("random_string", Value::Map({{"length", Value::Number(4)},
                                                           {"lower", Value::Bool(false)},
                                                           {"upper", Value::Bool(false)},
                                                           {"numeric", Value::Bool(false)},
                                                           {"special", Value::Bool(false)}}));
  ASSERT_EQ(none.diagnostics.size(), 1u);
  EXPECT_EQ(none.diagnostics[0].summary, "No characters to draw from");
  EXPECT_EQ(none.diagnostics[0].address, "random_string.x");
  EXPECT_TRUE(
      provider_->ValidateResource("random_password", Value::Map({{"length", Value::Unknown()}}))
          .empty());
}

TEST_P(RandomProviderTest, AStringIsNotSensitiveAndIsItsOwnId) {
  ApplyResponse response = Create("random_string", Value::Map({{"length", Value::Number(12)}}));
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  EXPECT_FALSE(response.new_state.Find("result")->sensitive());
  EXPECT_EQ(response.new_state.Find("id")->AsString(),
            response.new_state.Find("result")->AsString());
  EXPECT_EQ(response.new_state.Find("result")->AsString().size(), 12u);
}

TEST_P(RandomProviderTest, AnIdShowsTheSameBytesInEveryEncoding) {
  ApplyResponse response =
      Create("random_id",
             Value::Map({{"byte_length", Value::Number(8)}, {"prefix", Value::String("p-")}}));
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  const Value& state = response.new_state;
  std::string bytes;
  ASSERT_TRUE(encoding::Base64Decode(state.Find("id")->AsString(), &bytes));
  ASSERT_EQ(bytes.size(), 8u);
  unsigned long long number = 0;
  for (unsigned char c : bytes) number = number * 256 + c;
  EXPECT_EQ(state.Find("b64_url")->AsString(), "p-" + state.Find("id")->AsString());
  EXPECT_EQ(state.Find("b64_std")->AsString(), "p-" + encoding::Base64Encode(bytes));
  EXPECT_EQ(state.Find("hex")->AsString(), "p-" + encoding::HexEncode(bytes));
  EXPECT_EQ(state.Find("dec")->AsString(), "p-" + std::to_string(number));
}

TEST_P(RandomProviderTest, ImportTakesTheExistingValue) {
  ImportResponse id = provider_->ImportResource({"random_id", "random_id.x", "p-,AAECAwQFBgc"});
  ASSERT_FALSE(id.diagnostics.HasErrors()) << id.diagnostics.ToString();
  EXPECT_EQ(id.state, Value::Map({{"byte_length", Value::Number(8)},
                                  {"prefix", Value::String("p-")},
                                  {"id", Value::String("AAECAwQFBgc")},
                                  {"b64_url", Value::String("p-AAECAwQFBgc")},
                                  {"b64_std", Value::String("p-AAECAwQFBgc=")},
                                  {"hex", Value::String("p-0001020304050607")},
                                  {"dec", Value::String("p-283686952306183")}}));
  ImportResponse password =
      provider_->ImportResource({"random_password", "random_password.p", "s3cret!"});
  ASSERT_FALSE(password.diagnostics.HasErrors());
  EXPECT_EQ(*password.state.Find("result"), Value::String("s3cret!").MarkedSensitive());
  EXPECT_EQ(*password.state.Find("length"), Value::Number(7));
  ImportResponse bad = provider_->ImportResource({"random_id", "random_id.y", "not base64!"});
  ASSERT_EQ(bad.diagnostics.size(), 1u);
  EXPECT_EQ(bad.diagnostics[0].summary, "Cannot import random_id \"not base64!\"");
}

TEST_P(RandomProviderTest, ReadKeepsStateUpdateKeepsValuesDeleteForgets) {
  ApplyResponse created = Create("random_id", Value::Map({{"byte_length", Value::Number(4)}}));
  ReadResponse read = provider_->ReadResource({"random_id", "random_id.x", created.new_state});
  EXPECT_EQ(read.new_state, created.new_state);
  Value planned = created.new_state;
  planned.Set("hex", Value::Unknown());
  ApplyResponse updated = provider_->ApplyResource(
      ApplyOf(ApplyAction::kUpdate, "random_id", "x", created.new_state, planned));
  EXPECT_EQ(updated.new_state, created.new_state);
  ApplyResponse deleted = provider_->ApplyResource(
      ApplyOf(ApplyAction::kDelete, "random_id", "x", created.new_state, Value()));
  EXPECT_TRUE(deleted.diagnostics.empty());
  EXPECT_TRUE(deleted.new_state.is_null());
}

TEST_P(RandomProviderTest, AnUnknownTypeIsAnError) {
  ApplyResponse response = Create("random_pet", Value::Map({}));
  ASSERT_EQ(response.diagnostics.size(), 1u);
  EXPECT_EQ(response.diagnostics[0].summary, "The random provider has no resource type random_pet");
}

INSTANTIATE_TEST_SUITE_P(BothWays, RandomProviderTest,
                         ::testing::Values(ProviderMode::kInProcess, ProviderMode::kPlugin),
                         ModeName);

}  // namespace
}  // namespace reconcile::testing
