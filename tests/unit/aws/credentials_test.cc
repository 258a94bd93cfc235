// Given a temporary HOME and environment, when credentials are looked up,
// then the AWS SDKs' order is followed: environment, profiles (credentials
// file over config file, credential_process), container credentials, IMDSv2;
// and a miss lists every source tried.
#include <sys/stat.h>

#include <cstdlib>
#include <map>

#include <gtest/gtest.h>

#include "aws/credential_sources.h"
#include "aws/credentials.h"
#include "aws/profile.h"
#include "fault_server.h"
#include "support/temp_dir.h"

extern char** environ;

namespace reconcile::aws {
namespace {

using testing::FaultAction;
using testing::FaultServer;

// Clears every AWS_* variable and points HOME at a fresh directory; restores all on exit.
class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (char** entry = environ; *entry != nullptr; ++entry) {
      std::string text(*entry);
      std::string name = text.substr(0, text.find('='));
      if (name.starts_with("AWS_") || name == "HOME") saved_[name] = text.substr(text.find('=') + 1);
    }
    for (const auto& [name, value] : saved_) unsetenv(name.c_str());
    setenv("HOME", home_.path().c_str(), 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  }
  void TearDown() override {
    for (char** entry = environ; *entry != nullptr;) {
      std::string text(*entry);
      std::string name = text.substr(0, text.find('='));
      if (name.starts_with("AWS_")) {
        unsetenv(name.c_str());
        entry = environ;
      } else {
        ++entry;
      }
    }
    for (const auto& [name, value] : saved_) setenv(name.c_str(), value.c_str(), 1);
  }

  AwsResult<Credentials> FetchStandard(std::string profile = {}) {
    CredentialChain chain(CredentialOptions{.profile = std::move(profile), .region = "us-east-1"});
    return chain.Fetch();
  }

  reconcile::testing::TempDir home_;
  std::map<std::string, std::string> saved_;
};

TEST_F(CredentialsTest, EnvironmentComesFirst) {
  setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secretenv", 1);
  setenv("AWS_SESSION_TOKEN", "tokenenv", 1);
  home_.Write(".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n");
  auto found = FetchStandard();
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->access_key_id, "AKIDENV");
  EXPECT_EQ(found->secret_access_key, "secretenv");
  EXPECT_EQ(found->session_token, "tokenenv");
  EXPECT_EQ(found->source, "environment");
}

TEST_F(CredentialsTest, HalfConfiguredEnvironmentIsAnError) {
  setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  auto found = FetchStandard();
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, "IncompleteCredentials");
  EXPECT_EQ(found.error().message, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
}

TEST_F(CredentialsTest, ProfilesFromCredentialsAndConfigFiles) {
  home_.Write(".aws/credentials",
              "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n"
              "# a comment\n[dev]\naws_access_key_id=AKIDDEV\naws_secret_access_key=dev-secret ; note\n");
  home_.Write(".aws/config",
              "[default]\nregion = us-west-1\n[profile dev]\nregion = eu-west-3\n"
              "aws_access_key_id = AKIDCONFIG\n[profile cfgonly]\naws_access_key_id = AKIDCFG\n"
              "aws_secret_access_key = c\naws_session_token = t\n[sso-session x]\nregion = nope\n");
  EXPECT_EQ(FetchStandard()->access_key_id, "AKIDDEFAULT");
  setenv("AWS_PROFILE", "dev", 1);
  auto dev = FetchStandard();
  ASSERT_TRUE(dev.ok()) << dev.error().ToString();
  EXPECT_EQ(dev->access_key_id, "AKIDDEV");  // the credentials file wins over the config file
  EXPECT_EQ(dev->secret_access_key, "dev-secret");
  EXPECT_EQ(dev->source, "profile dev");
  EXPECT_EQ(ResolveRegion(""), "eu-west-3");
  auto cfg = FetchStandard("cfgonly");
  ASSERT_TRUE(cfg.ok()) << cfg.error().ToString();
  EXPECT_EQ(cfg->access_key_id, "AKIDCFG");
  EXPECT_EQ(cfg->session_token, "t");
  setenv("AWS_REGION", "ap-south-1", 1);
  EXPECT_EQ(ResolveRegion("dev"), "ap-south-1");
}

TEST_F(CredentialsTest, FileLocationsFromTheEnvironment) {
  std::string credentials = home_.Write("elsewhere/creds", "[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = s\n");
  std::string config = home_.Write("elsewhere/conf", "[profile ci]\nregion = sa-east-1\n");
  setenv("AWS_SHARED_CREDENTIALS_FILE", credentials.c_str(), 1);
  setenv("AWS_CONFIG_FILE", config.c_str(), 1);
  auto found = FetchStandard("ci");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->access_key_id, "AKIDCI");
  EXPECT_EQ(ResolveRegion("ci"), "sa-east-1");
}

TEST_F(CredentialsTest, ExplicitProfileIgnoresEnvironmentKeys) {
  setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secretenv", 1);
  home_.Write(".aws/credentials", "[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = p\n");
  EXPECT_EQ(FetchStandard("prod")->access_key_id, "AKIDPROD");
  auto missing = FetchStandard("nosuch");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "NoCredentials");
  EXPECT_NE(missing.error().message.find("profile \"nosuch\" is not defined"), std::string::npos)
      << missing.error().message;
}

TEST_F(CredentialsTest, CredentialProcess) {
  std::string script = home_.Write("bin/creds.sh",
                                   "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
                                   "\"SecretAccessKey\": \"procsecret\", \"SessionToken\": \"proctoken\", "
                                   "\"Expiration\": \"2099-01-01T00:00:00Z\"}'\n");
  chmod(script.c_str(), 0755);
  home_.Write(".aws/config", "[profile proc]\ncredential_process = " + script +
                                 "\n[profile broken]\ncredential_process = sh -c 'exit 3'\n");
  auto found = FetchStandard("proc");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->access_key_id, "AKIDPROC");
  EXPECT_EQ(found->session_token, "proctoken");
  ASSERT_TRUE(found->expiration.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*found->expiration), 4070908800);
  auto broken = FetchStandard("broken");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, "CredentialProcessFailed");
  EXPECT_EQ(broken.error().message, "credential_process \"sh -c 'exit 3'\" exited with status 3");
}

TEST_F(CredentialsTest, ContainerCredentialsFromALocalServer) {
  // Given a container credentials endpoint on loopback with an authorization token
  FaultServer server;
  server.SetFallback(FaultAction::Respond(
      200, R"({"AccessKeyId":"AKIDECS","SecretAccessKey":"ecssecret","Token":"ecstoken",)"
           R"("Expiration":"2099-01-01T00:00:00Z","RoleArn":"arn:aws:iam::123456789012:role/task"})"));
  setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", (server.url() + "/v2/credentials/abc").c_str(), 1);
  std::string token_file = home_.Write("token", "Bearer from-file\n");
  setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file.c_str(), 1);
  // When the chain is asked twice
  CredentialChain chain(CredentialOptions{.region = "us-east-1"});
  auto first = chain.Fetch();
  auto second = chain.Fetch();
  // Then the endpoint was called once (cached until expiry) with the token
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->access_key_id, "AKIDECS");
  EXPECT_EQ(first->session_token, "ecstoken");
  EXPECT_EQ(first->source, "container credentials");
  EXPECT_EQ(second->access_key_id, "AKIDECS");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/v2/credentials/abc");
  EXPECT_EQ(requests[0].Header("authorization"), "Bearer from-file");
}

TEST_F(CredentialsTest, CredentialsAboutToExpireAreRefreshed) {
  FaultServer server;
  server.SetFallback(FaultAction::Respond(
      200, R"({"AccessKeyId":"AKIDSHORT","SecretAccessKey":"s","Token":"t","Expiration":"2001-01-01T00:00:00Z"})"));
  setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", (server.url() + "/creds").c_str(), 1);
  setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "plain-token", 1);
  CredentialChain chain(CredentialOptions{.region = "us-east-1"});
  ASSERT_TRUE(chain.Fetch().ok());
  ASSERT_TRUE(chain.Fetch().ok());
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].Header("authorization"), "plain-token");
}

TEST_F(CredentialsTest, ContainerEndpointMustBeLoopbackOrHttps) {
  setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://203.0.113.7/creds", 1);
  auto found = FetchStandard();
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, "InvalidContainerEndpoint");
}

TEST_F(CredentialsTest, InstanceMetadataV2) {
  // Given an IMDS that hands out a session token, a role and its credentials
  FaultServer imds;
  imds.Push(FaultAction::Respond(200, "imds-session-token"));
  imds.Push(FaultAction::Respond(200, "web-role\n"));
  imds.Push(FaultAction::Respond(200, R"({"Code":"Success","AccessKeyId":"AKIDIMDS","SecretAccessKey":"i",)"
                                      R"("Token":"imdstoken","Expiration":"2099-01-01T00:00:00Z"})"));
  unsetenv("AWS_EC2_METADATA_DISABLED");
  setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", (imds.url() + "/").c_str(), 1);
  // When
  auto found = FetchStandard();
  // Then
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->access_key_id, "AKIDIMDS");
  auto requests = imds.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/latest/api/token");
  EXPECT_EQ(requests[0].Header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].target, "/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(requests[1].Header("x-aws-ec2-metadata-token"), "imds-session-token");
  EXPECT_EQ(requests[2].target, "/latest/meta-data/iam/security-credentials/web-role");
}

TEST_F(CredentialsTest, MissingCredentialsListEverySourceTried) {
  unsetenv("AWS_EC2_METADATA_DISABLED");
  std::string imds = "http://127.0.0.1:" + std::to_string(testing::RefusingPort());
  setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.c_str(), 1);
  auto found = FetchStandard();
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, "NoCredentials");
  std::string home = home_.path();
  EXPECT_EQ(found.error().message,
            "no AWS credentials found; sources tried in order:\n"
            "  - environment variables: AWS_ACCESS_KEY_ID is not set\n"
            "  - profile \"default\" (" + home + "/.aws/credentials, " + home + "/.aws/config): "
            "profile \"default\" is not defined\n"
            "  - container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and "
            "AWS_CONTAINER_CREDENTIALS_FULL_URI are not set\n"
            "  - EC2 instance metadata (" + imds + "): no instance metadata service answered at " + imds + "\n"
            "Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or configure a profile in "
            "~/.aws/credentials (select it with AWS_PROFILE)");
}

TEST_F(CredentialsTest, RoleWithoutSourceIsAClearError) {
  home_.Write(".aws/config", "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n");
  auto found = FetchStandard("deploy");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, "InvalidProfile");
  EXPECT_EQ(found.error().message,
            "profile \"deploy\" has role_arn but neither source_profile nor a credential_source "
            "of Environment, EcsContainer or Ec2InstanceMetadata");
}

TEST_F(CredentialsTest, SourceProfileCycleIsDetected) {
  home_.Write(".aws/config",
              "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
              "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n");
  auto found = FetchStandard("a");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, "InvalidProfile");
  EXPECT_EQ(found.error().message, "profile \"a\" is part of a source_profile cycle");
}

TEST(CredentialJsonTest, ExpirationsOutsideTheClocksRangeAreIgnored) {
  // Given credentials JSON whose expiration is in year 1001 (as nanoseconds
  // since 1970 it overflows 64 bits; found by the aws_response fuzzer)
  auto ancient = ParseCredentialJson(
      R"({"AccessKeyId":"AK","SecretAccessKey":"s","Expiration":"1001-01-01T00:00:00Z"})", "test");
  // Then the credentials are read without an expiration
  ASSERT_TRUE(ancient.ok());
  EXPECT_FALSE(ancient->expiration.has_value());
  EXPECT_FALSE(ParseIso8601("9999-12-31T23:59:59Z").has_value());
  // and real ones keep theirs
  auto point = ParseIso8601("2099-01-01T00:00:00+01:00");
  ASSERT_TRUE(point.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*point), 4070905200);
}

TEST(ProfileFileTest, ParsesSectionsCommentsAndNestedSettings) {
  auto parsed = ParseProfileFile(
      "; top comment\n[default]\nregion=us-east-1\ns3 =\n  addressing_style = path\n"
      "[profile  dev ]\nKEY = v # trailing\n[services x]\na = b\n",
      /*config_file=*/true);
  EXPECT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed["default"]["region"], "us-east-1");
  EXPECT_EQ(parsed["default"].count("addressing_style"), 0u);
  EXPECT_EQ(parsed["dev"]["key"], "v");
}

}  // namespace
}  // namespace reconcile::aws
