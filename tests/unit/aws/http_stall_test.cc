// Given an endpoint that accepts a request and then sends nothing, when the
// client calls it, then the stalled connection is abandoned after the stall
// time (RECONCILE_HTTP_STALL_TIMEOUT, 1 s here, 30 s by default) and retried;
// an endpoint that never answers fails the call once the no-answer budget is spent,
// and later calls to it fail at once without reaching it.
#include <cstdlib>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "fault_server.h"

namespace reconcile::aws {
namespace {

using std::chrono::milliseconds;
using testing::FaultAction;
using testing::FaultServer;

constexpr const char* kParameter = R"({"Parameter":{"Name":"/a","Value":"1"}})";

// A stall time of one second for the life of the object.
class OneSecondStalls {
 public:
  OneSecondStalls() { ::setenv("RECONCILE_HTTP_STALL_TIMEOUT", "1", 1); }
  ~OneSecondStalls() { ::unsetenv("RECONCILE_HTTP_STALL_TIMEOUT"); }
};

// A stall that outlasts every test (the server cuts it short when it stops).
FaultAction Stall() { return FaultAction::Slow(std::chrono::minutes(10), 200, kParameter); }

std::shared_ptr<AwsClient> MakeClient(const std::string& url, int attempts,
                                      milliseconds no_answer_budget = milliseconds(45000)) {
  ClientConfig config;
  config.region = "us-east-1";
  config.endpoints["ssm"] = url;
  config.retry = {.max_attempts = attempts, .base_delay = milliseconds(1), .max_delay = milliseconds(5),
                  .no_answer_budget = no_answer_budget};
  // A whole exchange may take 5 minutes: only the stall time can end these.
  config.http = {.connect_timeout = milliseconds(2000), .request_timeout = milliseconds(300000)};
  config.credentials = CredentialChain::Fixed({.access_key_id = "AKIDTEST", .secret_access_key = "secret"});
  return AwsClient::Create(config).value();
}

nlohmann::json GetParameter() { return {{"Name", "/a"}}; }

TEST(HttpStallTest, AStalledConnectionIsAbandonedWithAClearError) {
  OneSecondStalls stalls;
  FaultServer server;
  server.Push(Stall());
  auto result = MakeClient(server.url(), 1)->Json("ssm", "GetParameter", GetParameter());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "Timeout");
  EXPECT_EQ(result.error().message, "no data for 1 s: the connection stalled and was abandoned");
}

TEST(HttpStallTest, AStalledConnectionIsRetried) {
  OneSecondStalls stalls;
  FaultServer server;
  server.Push(Stall());
  server.Push(FaultAction::Respond(200, kParameter));
  auto result = MakeClient(server.url(), 4)->Json("ssm", "GetParameter", GetParameter());
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ((*result)["Parameter"]["Value"], "1");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(HttpStallTest, ADeadEndpointFailsWithinTheBudgetAndThenAtOnce) {
  // Given an endpoint that never answers, 8 attempts allowed, a 6 s budget
  // (each stall takes 1-2 s to be noticed)
  OneSecondStalls stalls;
  FaultServer server;
  server.SetFallback(Stall());
  auto client = MakeClient(server.url(), 8, milliseconds(6000));
  // When a call is made, it gives up when the budget is spent, not after 8 stalls
  auto first = client->Json("ssm", "GetParameter", GetParameter());
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, "Timeout");
  EXPECT_GE(first.error().attempts, 2);
  EXPECT_LT(first.error().attempts, 8);
  std::size_t sent = server.requests().size();
  EXPECT_EQ(sent, static_cast<std::size_t>(first.error().attempts));
  // Then the next call fails at once, without reaching the endpoint
  auto second = client->Json("ssm", "GetParameter", GetParameter());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "EndpointUnresponsive");
  EXPECT_EQ(second.error().message, "not sent: the endpoint " + server.url() +
                                        " did not answer an earlier call (" +
                                        first.error().message +
                                        "); check that it is up and reachable (AWS_ENDPOINT_URL, "
                                        "network, proxy)");
  EXPECT_EQ(server.requests().size(), sent);
}

TEST(HttpStallTest, ARefusingEndpointIsReportedUnresponsiveToLaterCalls) {
  auto client = MakeClient("http://127.0.0.1:" + std::to_string(testing::RefusingPort()), 3);
  auto first = client->Json("ssm", "GetParameter", GetParameter());
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, "ConnectionError");
  EXPECT_EQ(first.error().attempts, 3);
  auto second = client->Json("ssm", "GetParameter", GetParameter());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "EndpointUnresponsive");
}

}  // namespace
}  // namespace reconcile::aws
