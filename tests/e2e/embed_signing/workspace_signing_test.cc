// Given moto with signature checking on, and exii's dev and prod profiles
// each holding the access key of its own IAM user, when ONE Engine (the AWS
// provider in-process) works in dev, then selects prod, then dev again, then
// every workspace's calls are signed with that workspace's profile: after
// dev's key is deleted prod still works (its calls never used dev's key),
// dev then fails, and once prod's key is deleted prod fails too.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "reconcile/engine.h"
#include "reconcile/providers/aws.h"
#include "reconcile/providers/random.h"
#include "signed_moto.h"
#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

using aws::testing::SignedMoto;
namespace fs = std::filesystem;

constexpr const char* kAllowAll =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

struct AccessKey {
  std::string user;
  std::string id;
  std::string secret;
};

class WorkspaceSigningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SignedMoto& moto = SignedMoto::Get();
    ASSERT_FALSE(moto.identity().access_key_id.empty()) << "moto with signature checking did not start";
    admin_ = AdminClient();
    ASSERT_NE(admin_, nullptr);
    auto policy = admin_->Query("iam", "CreatePolicy",
                                aws::QueryParams().Set("PolicyName", "exii-deploy").Set("PolicyDocument", kAllowAll));
    ASSERT_TRUE(policy.ok()) << policy.error().ToString();
    std::string policy_arn = policy->root().Text("CreatePolicyResult/Policy/Arn");
    std::string credentials, config;
    for (const std::string env : {"dev", "prod"}) {
      AccessKey& key = keys_[env];
      key.user = "exii-" + env + "-deployer";
      ASSERT_TRUE(admin_->Query("iam", "CreateUser", aws::QueryParams().Set("UserName", key.user)).ok());
      ASSERT_TRUE(admin_->Query("iam", "AttachUserPolicy",
                                aws::QueryParams().Set("UserName", key.user).Set("PolicyArn", policy_arn))
                      .ok());
      auto created = admin_->Query("iam", "CreateAccessKey", aws::QueryParams().Set("UserName", key.user));
      ASSERT_TRUE(created.ok()) << created.error().ToString();
      key.id = created->root().Text("CreateAccessKeyResult/AccessKey/AccessKeyId");
      key.secret = created->root().Text("CreateAccessKeyResult/AccessKey/SecretAccessKey");
      credentials += "[" + env + "]\naws_access_key_id = " + key.id + "\naws_secret_access_key = " + key.secret + "\n";
      config += "[profile " + env + "]\nregion = eu-west-2\n";
    }
    // Only the profiles give credentials.
    for (const char* name : {"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                             "AWS_REGION", "AWS_DEFAULT_REGION"})
      unsetenv(name);
    setenv("HOME", home_.path().c_str(), 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", home_.Write(".aws/credentials", credentials).c_str(), 1);
    setenv("AWS_CONFIG_FILE", home_.Write(".aws/config", config).c_str(), 1);
    setenv("AWS_ENDPOINT_URL", moto.endpoint().c_str(), 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    fs::copy(SourceDir() + "/examples/exii", stack_.path(), fs::copy_options::recursive);
  }

  std::shared_ptr<aws::AwsClient> AdminClient() {
    aws::ClientConfig config;
    config.region = "eu-west-2";
    for (const char* service : {"iam", "ssm", "sts"}) config.endpoints[service] = SignedMoto::Get().endpoint();
    config.credentials = aws::CredentialChain::Fixed({.access_key_id = SignedMoto::Get().identity().access_key_id,
                                                      .secret_access_key = SignedMoto::Get().identity().secret_access_key});
    auto client = aws::AwsClient::Create(config);
    return client.ok() ? client.value() : nullptr;
  }

  std::unique_ptr<Engine> Open(const std::string& workspace) {
    EngineOptions options;
    options.stack_dir = stack_.path();
    options.workspace = workspace;
    options.providers = {{"aws", MakeAwsProvider}, {"random", MakeRandomProvider}};
    options.use_plugins = false;
    options.read_environment_variables = false;
    // exii keeps its state in S3 in a third account; here it stays local.
    options.backend = MakeLocalBackend(state_.path());
    Diagnostics diags;
    auto engine = Engine::Open(options, &diags);
    EXPECT_TRUE(engine) << diags.ToString();
    return engine;
  }

  // Puts a workspace's DJANGO_ALLOWED_HOSTS parameter (as the admin) and
  // imports it into the engine's current workspace: the import reads it
  // through the provider, signed with that workspace's profile.
  Diagnostics ImportParameter(Engine& engine, const std::string& workspace) {
    std::string name = "/exii/" + workspace + "/DJANGO_ALLOWED_HOSTS";
    auto put = admin_->Json("ssm", "PutParameter",
                            nlohmann::json{{"Name", name}, {"Type", "String"}, {"Value", "outdated"}});
    EXPECT_TRUE(put.ok()) << put.error().ToString();
    return engine.Import("aws_ssm_parameter.allowed_hosts", name);
  }

  // The planned value of the parameter, after a refresh of the recorded one.
  static std::string PlannedUpdate(const Plan& plan) {
    for (const PlannedChange& c : plan.changes) {
      if (c.address != "aws_ssm_parameter.allowed_hosts") continue;
      const Value* before = c.before.Find("value");
      const Value* after = c.after.Find("value");
      return std::string(ActionName(c.action)) + " " + (before ? ToJson(*before) : "-") + " -> " +
             (after ? ToJson(*after) : "-");
    }
    return "(not planned)";
  }

  std::string Parameter(const std::string& workspace) {
    auto got = admin_->Json("ssm", "GetParameter",
                            nlohmann::json{{"Name", "/exii/" + workspace + "/DJANGO_ALLOWED_HOSTS"}});
    return got.ok() ? (*got)["Parameter"]["Value"].get<std::string>() : "(" + got.error().code + ")";
  }

  void DeleteKey(const std::string& env) {
    auto deleted = admin_->Query("iam", "DeleteAccessKey",
                                 aws::QueryParams().Set("UserName", keys_[env].user).Set("AccessKeyId", keys_[env].id));
    ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
  }

  static void ExpectRejectedKey(const Diagnostics& diags) {
    ASSERT_TRUE(diags.HasErrors()) << "the call was expected to be signed with a deleted key";
    EXPECT_NE(diags.ToString().find("InvalidClientTokenId"), std::string::npos) << diags.ToString();
  }

  TempDir home_, stack_, state_;
  std::shared_ptr<aws::AwsClient> admin_;
  std::map<std::string, AccessKey> keys_;
};

TEST_F(WorkspaceSigningTest, OneEngineSignsEachWorkspaceWithItsProfile) {
  // Given one engine that imported and planned in dev, with dev's profile
  auto engine = Open("dev");
  ASSERT_TRUE(engine);
  Diagnostics dev = ImportParameter(*engine, "dev");
  ASSERT_FALSE(dev.HasErrors()) << dev.ToString();
  Plan plan;
  Diagnostics dev_plan = engine->MakePlan({}, &plan);
  ASSERT_FALSE(dev_plan.HasErrors()) << dev_plan.ToString();
  EXPECT_EQ(PlannedUpdate(plan), "update \"outdated\" -> \"dev.exii.example\"");

  // When dev's key is deleted and the same engine moves to prod
  DeleteKey("dev");
  ASSERT_FALSE(engine->NewWorkspace("prod").HasErrors());
  Diagnostics prod = ImportParameter(*engine, "prod");
  Diagnostics prod_plan = engine->MakePlan({}, &plan);

  // Then prod's import and plan (which refreshes the parameter) were signed
  // with prod's key, and plan prod's value
  EXPECT_FALSE(prod.HasErrors()) << prod.ToString();
  EXPECT_FALSE(prod_plan.HasErrors()) << prod_plan.ToString();
  EXPECT_EQ(plan.workspace, "prod");
  EXPECT_EQ(PlannedUpdate(plan), "update \"outdated\" -> \"exii.example\"");

  // When the engine selects dev again, its plan is signed with dev's (deleted) key
  ASSERT_FALSE(engine->SelectWorkspace("dev").HasErrors());
  ExpectRejectedKey(engine->MakePlan({}, &plan));

  // And when prod's key is deleted too, a prod plan fails: prod's calls used prod's key
  DeleteKey("prod");
  ASSERT_FALSE(engine->SelectWorkspace("prod").HasErrors());
  ExpectRejectedKey(engine->MakePlan({}, &plan));
}

}  // namespace
}  // namespace reconcile::testing
