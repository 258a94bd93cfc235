// aws_key_pair through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

const char* kKey1 =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEntcWMA9lENT5DnCDZtIrasdBzwX+LR02lumAKlftDT build";
const char* kKey2 =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAwWb8rUJB5Zl7QUu6SEw/h2mc5vQ6Hhvfcd2tYDDKCM build2";

std::string KeyStack(const std::string& key, const std::string& tag) {
  return "[resource.aws_key_pair.build]\nkey_name = \"build\"\npublic_key = \"" + key +
         "\"\ntags = { Name = \"" + tag + "\" }\n";
}

class AwsKeyPairTest : public AwsStackTest {
 protected:
  json Keys() {
    return AwsCli("ec2 describe-key-pairs --filters Name=key-name,Values=build")["KeyPairs"];
  }
};

TEST_F(AwsKeyPairTest, CreateRetagReplaceImportDelete) {
  // Given an imported public key
  WriteStack(KeyStack(kKey1, "build"));
  Apply();
  EXPECT_EQ(Attr("aws_key_pair.build", "id"), "build");
  json keys = Keys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(Attr("aws_key_pair.build", "key_pair_id"), keys[0]["KeyPairId"]);
  EXPECT_EQ(Attr("aws_key_pair.build", "fingerprint"), keys[0]["KeyFingerprint"]);
  EXPECT_EQ(Attr("aws_key_pair.build", "key_type"), "ed25519");
  EXPECT_EQ(TagsOf(keys[0]["Tags"])["Name"], "build");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A tag changes in place
  WriteStack(KeyStack(kKey1, "build2"));
  EXPECT_EQ(Changes(Apply()), "update aws_key_pair.build\n");
  EXPECT_EQ(TagsOf(Keys()[0]["Tags"])["Name"], "build2");

  // Another public key replaces the key pair
  std::string fingerprint = Attr("aws_key_pair.build", "fingerprint");
  WriteStack(KeyStack(kKey2, "build2"));
  EXPECT_EQ(Changes(Apply()), "replace aws_key_pair.build [public_key]\n");
  EXPECT_NE(Keys()[0]["KeyFingerprint"], fingerprint);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import by name matches the configuration (the public key is read back)
  ASSERT_FALSE(RemoveFromState("aws_key_pair.build").HasErrors());
  Import("aws_key_pair.build", "build");
  EXPECT_EQ(Changes(PlanChanges()), "");

  Destroy();
  EXPECT_EQ(Keys().size(), 0u);
}

TEST_F(AwsKeyPairTest, InterruptedCreateIsAdoptedAndAnotherOwnersKeyRefused) {
  WriteStack(KeyStack(kKey1, "build"));
  Value planned = Value::Map({{"key_name", Value::String("build")},
                              {"public_key", Value::String(kKey1)},
                              {"tags", Value::Map({{"Name", Value::String("build")}})}});
  std::string id = InterruptedCreate("aws_key_pair", "aws_key_pair.build", planned);
  EXPECT_EQ(id, "build");
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Keys().size(), 1u);
  EXPECT_EQ(Changes(PlanChanges()), "");
  Destroy();

  // A key of the same name made outside reconcile is not taken over
  AwsCli("ec2 create-key-pair --key-name build");
  ExpectUnmanagedRefused(KeyStack(kKey1, "build"), "key pair \"build\"", [&] {
    return Keys().empty() ? std::map<std::string, std::string>() : TagsOf(Keys()[0]["Tags"]);
  });
}

}  // namespace
}  // namespace reconcile::testing
