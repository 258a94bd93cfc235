#include "signed_moto.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <gtest/gtest.h>

#include "support/moto_server.h"

namespace reconcile::aws::testing {

namespace {

constexpr int kUnsignedCalls = 4;
constexpr const char* kAllowAll =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

}  // namespace

SignedMoto& SignedMoto::Get() {
  static SignedMoto server;
  if (server.endpoint_.empty()) {
    server.Start();
    if (!server.endpoint_.empty()) server.CreateIdentity();
  }
  return server;
}

void SignedMoto::Start() {
  int fds[2];
  if (pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    setenv("INITIAL_NO_AUTH_ACTION_COUNT", std::to_string(kUnsignedCalls).c_str(), 1);
    execlp("moto_server", "moto_server", "-H", "127.0.0.1", "-p", "0", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  FILE* out = fdopen(fds[0], "r");
  char line[1024];
  while (endpoint_.empty() && std::fgets(line, sizeof line, out) != nullptr) {
    endpoint_ = reconcile::testing::EndpointInStartupLine(line);
  }
  if (endpoint_.empty()) {
    ADD_FAILURE() << "moto_server did not start";
    return;
  }
  std::thread([out] {
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, out) != nullptr) {
    }
    std::fclose(out);
  }).detach();
  for (int i = 0; i < 100; ++i) {
    if (reconcile::testing::HttpRequest("GET", endpoint_ + "/moto-api/data.json") == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void SignedMoto::CreateIdentity() {
  // The unsigned calls: any key is accepted until the count is reached.
  auto iam = Client("AKIDBOOTSTRAP", "bootstrap");
  identity_.user_name = "reconcile-signer";
  QueryParams user;
  user.Set("UserName", identity_.user_name);
  ASSERT_TRUE(iam->Query("iam", "CreateUser", user).ok());
  QueryParams policy;
  policy.Set("PolicyName", "allow-all").Set("PolicyDocument", kAllowAll);
  auto created = iam->Query("iam", "CreatePolicy", policy);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  QueryParams attach;
  attach.Set("UserName", identity_.user_name)
      .Set("PolicyArn", created->root().Text("CreatePolicyResult/Policy/Arn"));
  ASSERT_TRUE(iam->Query("iam", "AttachUserPolicy", attach).ok());
  auto key = iam->Query("iam", "CreateAccessKey", user);
  ASSERT_TRUE(key.ok()) << key.error().ToString();
  identity_.access_key_id = key->root().Text("CreateAccessKeyResult/AccessKey/AccessKeyId");
  identity_.secret_access_key = key->root().Text("CreateAccessKeyResult/AccessKey/SecretAccessKey");
}

std::shared_ptr<AwsClient> SignedMoto::Client(const std::string& key_id,
                                              const std::string& secret) const {
  ClientConfig config;
  config.region = "us-east-1";
  for (const char* service : {"ec2", "autoscaling", "ecs", "ssm", "dynamodb", "s3", "iam", "sts", "logs",
                              "tagging", "route53", "elasticfilesystem"}) {
    config.endpoints[service] = endpoint_;
  }
  config.retry.base_delay = std::chrono::milliseconds(20);
  config.credentials = CredentialChain::Fixed({.access_key_id = key_id, .secret_access_key = secret});
  auto client = AwsClient::Create(config);
  return client.ok() ? client.value() : nullptr;
}

std::shared_ptr<AwsClient> SignedMoto::Client() const {
  return Client(identity_.access_key_id, identity_.secret_access_key);
}

SignedMoto::~SignedMoto() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 50; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
}

}  // namespace reconcile::aws::testing
