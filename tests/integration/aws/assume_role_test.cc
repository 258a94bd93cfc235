// Given a temporary HOME whose profile assumes a role through moto's STS
// (signature checking on), when a client uses that profile, then its calls
// are signed with the role's temporary credentials and moto accepts them.
#include <cstdlib>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "signed_moto.h"
#include "support/temp_dir.h"

namespace reconcile::aws {
namespace {

using testing::SignedMoto;

constexpr const char* kTrustAnyone =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]})";
constexpr const char* kAllowAll =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

class AssumeRoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SignedMoto& moto = SignedMoto::Get();
    ASSERT_FALSE(moto.identity().access_key_id.empty());
    auto iam = moto.Client();
    QueryParams role;
    role.Set("RoleName", "deploy").Set("AssumeRolePolicyDocument", kTrustAnyone);
    auto created = iam->Query("iam", "CreateRole", role);
    ASSERT_TRUE(created.ok() || created.error().Is("EntityAlreadyExists")) << created.error().ToString();
    QueryParams policy;
    policy.Set("RoleName", "deploy").Set("PolicyName", "all").Set("PolicyDocument", kAllowAll);
    ASSERT_TRUE(iam->Query("iam", "PutRolePolicy", policy).ok());
    for (const char* name : {"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                             "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL"}) {
      unsetenv(name);
    }
    setenv("HOME", home_.path().c_str(), 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  }

  // Writes the base profile (the IAM user's key, or a wrong secret) and the role profile.
  void WriteProfiles(const std::string& secret) {
    const auto& identity = SignedMoto::Get().identity();
    home_.Write(".aws/credentials", "[base]\naws_access_key_id = " + identity.access_key_id +
                                        "\naws_secret_access_key = " + secret + "\n");
    home_.Write(".aws/config",
                "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
                "source_profile = base\nrole_session_name = reconcile-test\nregion = eu-west-1\n");
  }

  std::shared_ptr<AwsClient> ClientForProfile(const std::string& profile) {
    ClientConfig config;
    config.profile = profile;
    for (const char* service : {"sts", "ssm", "iam"}) config.endpoints[service] = SignedMoto::Get().endpoint();
    auto client = AwsClient::Create(config);
    EXPECT_TRUE(client.ok());
    return client.ok() ? client.value() : nullptr;
  }

  reconcile::testing::TempDir home_;
};

TEST_F(AssumeRoleTest, RoleProfileSignsWithTheAssumedRole) {
  // Given
  WriteProfiles(SignedMoto::Get().identity().secret_access_key);
  auto client = ClientForProfile("deploy");
  ASSERT_NE(client, nullptr);
  // When
  auto identity = client->Query("sts", "GetCallerIdentity", {});
  auto put = client->Json("ssm", "PutParameter", {{"Name", "/role/p"}, {"Type", "String"}, {"Value", "v"}});
  // Then
  ASSERT_TRUE(identity.ok()) << identity.error().ToString();
  EXPECT_EQ(identity->root().Text("GetCallerIdentityResult/Arn"),
            "arn:aws:sts::123456789012:assumed-role/deploy/reconcile-test");
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  EXPECT_EQ(client->region(), "eu-west-1");
  auto credentials = client->credentials();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->source, "profile deploy (assumed arn:aws:iam::123456789012:role/deploy)");
  EXPECT_FALSE(credentials->session_token.empty());
  EXPECT_TRUE(credentials->expiration.has_value());
  EXPECT_NE(credentials->access_key_id, SignedMoto::Get().identity().access_key_id);
}

TEST_F(AssumeRoleTest, WrongSourceSecretFailsTheAssumeRoleClearly) {
  WriteProfiles("wrong-secret");
  auto client = ClientForProfile("deploy");
  ASSERT_NE(client, nullptr);
  auto identity = client->Query("sts", "GetCallerIdentity", {});
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(identity.error().service, "sts");
  EXPECT_EQ(identity.error().operation, "AssumeRole");
  EXPECT_EQ(identity.error().code, "SignatureDoesNotMatch");
  EXPECT_TRUE(identity.error().message.starts_with("no credentials to sign sts GetCallerIdentity: "))
      << identity.error().message;
}

}  // namespace
}  // namespace reconcile::aws
