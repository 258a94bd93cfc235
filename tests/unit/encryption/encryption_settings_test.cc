#include <gtest/gtest.h>

#include "encryption/encryption_settings.h"

namespace reconcile::encryption {
namespace {

Value Block(ValueMap m) { return Value::Map(std::move(m)); }
Value Provider(const std::string& name, ValueMap settings) { return Block({{name, Block(std::move(settings))}}); }

TEST(EncryptionSettings, ReadsKmsWithFallbackAndEnforced) {
  Value block = Block({{"key_provider", Provider("aws_kms", {{"kms_key_id", Value::String("alias/state")},
                                                             {"region", Value::String("eu-west-2")}})},
                       {"fallback", Block({{"key_provider", Provider("passphrase", {{"passphrase",
                                                                 Value::String("sixteen chars ok")}})}})},
                       {"enforced", Value::Bool(true)}});
  EncryptionSettings s;
  Diagnostics diags = ParseEncryptionSettings(block, "[encryption]", &s);
  ASSERT_FALSE(diags.HasErrors()) << diags.items()[0].summary;
  EXPECT_EQ(s.key_provider.Name(), "aws_kms");
  EXPECT_EQ(s.key_provider.kms_key_id, "alias/state");
  EXPECT_EQ(s.key_provider.region, "eu-west-2");
  ASSERT_TRUE(s.fallback.has_value());
  EXPECT_EQ(s.fallback->Name(), "passphrase");
  EXPECT_TRUE(s.enforced);
}

TEST(EncryptionSettings, EveryProblemIsNamed) {
  Value block = Block({{"key_provider", Provider("passphrase", {{"passphrase", Value::String("short")}})},
                       {"enforce", Value::Bool(true)}});
  EncryptionSettings s;
  Diagnostics diags = ParseEncryptionSettings(block, "[encryption]", &s);
  ASSERT_EQ(diags.items().size(), 2u);
  EXPECT_EQ(diags.items()[0].summary, "Invalid [encryption]: enforce is not a setting here");
  EXPECT_EQ(diags.items()[1].summary,
            "Invalid [encryption]: key_provider.passphrase.passphrase is shorter than 16 characters (or empty)");
  Diagnostics unknown = ParseEncryptionSettings(Block({{"key_provider", Provider("vault", {})}}), "X", &s);
  ASSERT_EQ(unknown.items().size(), 1u);
  EXPECT_EQ(unknown.items()[0].summary, "Invalid X: key_provider.vault is not a key provider");
}

TEST(EncryptionSettings, KmsTakesTheBackendsRegionAndProfile) {
  EncryptionSettings s;
  ASSERT_FALSE(ParseEncryptionSettings(Block({{"key_provider", Provider("aws_kms", {{"kms_key_id",
                                                                  Value::String("k")}})}}),
                                       "[encryption]", &s)
                   .HasErrors());
  InheritBackendAwsSettings(Block({{"region", Value::String("us-east-2")}, {"profile", Value::String("state")}}), &s);
  EXPECT_EQ(s.key_provider.region, "us-east-2");
  EXPECT_EQ(s.key_provider.profile, "state");
}

}  // namespace
}  // namespace reconcile::encryption
