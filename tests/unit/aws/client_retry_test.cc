// Given a fault-injecting loopback server (throttling bodies, 500s, reset
// connections, answers slower than the timeout, Retry-After), when the client
// calls it, then it succeeds within the attempt budget, fails clearly after
// it, and never repeats a non-idempotent call that may have been processed.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "aws/call_stats.h"
#include "aws/client.h"
#include "aws/pagination.h"
#include "core/log.h"
#include "fault_server.h"
#include "support/temp_dir.h"

namespace reconcile::aws {
namespace {

using std::chrono::milliseconds;
using testing::FaultAction;
using testing::FaultServer;

constexpr const char* kThrottled = R"({"__type":"ThrottlingException","message":"Rate exceeded"})";
constexpr const char* kParameter = R"({"Parameter":{"Name":"/a","Value":"1"}})";
constexpr const char* kVpcs = "<DescribeVpcsResponse><vpcSet/></DescribeVpcsResponse>";
constexpr const char* kRun = "<RunInstancesResponse><instancesSet><item><instanceId>i-1</instanceId>"
                             "</item></instancesSet></RunInstancesResponse>";

std::shared_ptr<AwsClient> MakeClient(const std::string& url, int attempts = 4,
                                      milliseconds timeout = milliseconds(5000)) {
  ClientConfig config;
  config.region = "us-east-1";
  for (const char* service : {"ssm", "ec2", "s3", "iam", "elasticfilesystem"}) config.endpoints[service] = url;
  config.retry = {.max_attempts = attempts, .base_delay = milliseconds(1), .max_delay = milliseconds(5)};
  config.http = {.connect_timeout = milliseconds(2000), .request_timeout = timeout};
  config.credentials = CredentialChain::Fixed(
      {.access_key_id = "AKIDTEST", .secret_access_key = "secret-key", .session_token = "session-token"});
  return AwsClient::Create(config).value();
}

nlohmann::json GetParameter() { return {{"Name", "/a"}}; }

TEST(ClientRetryTest, ThrottlingThenSuccessWithinBudget) {
  // Given two throttling answers before a success
  FaultServer server;
  server.Push(FaultAction::Respond(400, kThrottled));
  server.Push(FaultAction::Respond(400, kThrottled));
  server.Push(FaultAction::Respond(200, kParameter));
  CallStats::Reset();
  // When
  auto result = MakeClient(server.url())->Json("ssm", "GetParameter", GetParameter());
  // Then
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ((*result)["Parameter"]["Value"], "1");
  EXPECT_EQ(server.requests().size(), 3u);
  auto stats = CallStats::Snapshot();
  EXPECT_EQ(stats["ssm.GetParameter"].calls, 1u);
  EXPECT_EQ(stats["ssm.GetParameter"].attempts, 3u);
}

TEST(ClientRetryTest, ServerErrorsOnIdempotentCallAreRetried) {
  FaultServer server;
  server.Push(FaultAction::Respond(500, "<html>Internal Server Error</html>"));
  server.Push(FaultAction::Respond(503, ""));
  server.Push(FaultAction::Respond(200, kVpcs));
  auto result = MakeClient(server.url())->Query("ec2", "DescribeVpcs", {});
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->root().name(), "DescribeVpcsResponse");
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(ClientRetryTest, ClearErrorAfterTheBudget) {
  // Given a server that always answers 500
  FaultServer server;
  server.SetFallback(FaultAction::Respond(500, "<html>Internal Server Error</html>"));
  // When an idempotent call exhausts its 4 attempts
  auto result = MakeClient(server.url(), 4)->Query("ec2", "DescribeVpcs", {});
  // Then
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(server.requests().size(), 4u);
  EXPECT_EQ(result.error().attempts, 4);
  EXPECT_TRUE(result.error().retryable);
  EXPECT_EQ(result.error().ToString(),
            "ec2 DescribeVpcs: InternalError: <html>Internal Server Error</html> (HTTP 500, 4 attempts)");
}

TEST(ClientRetryTest, NonIdempotentCallIsNotRetriedAfter500) {
  FaultServer server;
  server.Push(FaultAction::Respond(500, ""));
  server.Push(FaultAction::Respond(200, kRun));
  auto result = MakeClient(server.url())->Query("ec2", "RunInstances", {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "InternalError");
  EXPECT_EQ(result.error().attempts, 1);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(ClientRetryTest, NonIdempotentCallIsRetriedWhenThrottled) {
  FaultServer server;
  server.Push(FaultAction::Respond(503, "<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
                                        "<Message>slow down</Message></Error></Errors></Response>"));
  server.Push(FaultAction::Respond(200, kRun));
  auto result = MakeClient(server.url())->Query("ec2", "RunInstances", {});
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->root().Text("instancesSet/item/instanceId"), "i-1");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(ClientRetryTest, CallWithClientTokenIsRetriedAfter500) {
  FaultServer server;
  server.Push(FaultAction::Respond(500, ""));
  server.Push(FaultAction::Respond(200, kRun));
  QueryParams params;
  params.Set("ClientToken", "tok-1");
  auto result = MakeClient(server.url())->Query("ec2", "RunInstances", params,
                                                {.idempotency = Idempotency::kClientToken});
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);
}

TEST(ClientRetryTest, ResetConnectionRetriedOnlyWhenIdempotent) {
  FaultServer server;
  server.Push(FaultAction::Reset());
  server.Push(FaultAction::Respond(200, kParameter));
  auto idempotent = MakeClient(server.url())->Json("ssm", "GetParameter", GetParameter());
  ASSERT_TRUE(idempotent.ok()) << idempotent.error().ToString();
  EXPECT_EQ(server.requests().size(), 2u);

  FaultServer other;
  other.Push(FaultAction::Reset());
  auto created = MakeClient(other.url())->Json("ssm", "PutParameter", {{"Name", "/a"}, {"Value", "1"}});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, "ConnectionError");
  EXPECT_EQ(created.error().http_status, 0);
  EXPECT_EQ(other.requests().size(), 1u);
}

TEST(ClientRetryTest, SlowAnswerBeyondTimeoutIsRetriedThenSucceeds) {
  FaultServer server;
  server.Push(FaultAction::Slow(milliseconds(1500), 200, kParameter));
  server.Push(FaultAction::Respond(200, kParameter));
  auto result = MakeClient(server.url(), 3, milliseconds(300))->Json("ssm", "GetParameter", GetParameter());
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(ClientRetryTest, SlowAnswersExhaustTheBudgetWithATimeoutError) {
  FaultServer server;
  server.SetFallback(FaultAction::Slow(milliseconds(1000), 200, kParameter));
  auto result = MakeClient(server.url(), 2, milliseconds(200))->Json("ssm", "GetParameter", GetParameter());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "Timeout");
  EXPECT_EQ(result.error().attempts, 2);
}

TEST(ClientRetryTest, RefusedConnectionIsRetriedEvenForNonIdempotentCalls) {
  int port = testing::RefusingPort();
  auto result = MakeClient("http://127.0.0.1:" + std::to_string(port), 3)
                    ->Query("ec2", "RunInstances", {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "ConnectionError");
  EXPECT_EQ(result.error().attempts, 3);
}

class LogCapture {
 public:
  explicit LogCapture(const char* level) {
    setenv("RECONCILE_LOG", level, 1);
    setenv("RECONCILE_LOG_FILE", (dir_.path() + "/log.txt").c_str(), 1);
    log::Reconfigure();
  }
  ~LogCapture() {
    unsetenv("RECONCILE_LOG");
    unsetenv("RECONCILE_LOG_FILE");
    log::Reconfigure();
  }
  std::string Text() const { return dir_.Read("log.txt"); }

 private:
  reconcile::testing::TempDir dir_;
};

TEST(ClientRetryTest, RetryAfterIsHonoured) {
  // Given a throttled answer asking to wait one second
  FaultServer server;
  server.Push(FaultAction::Respond(429, "", {{"Retry-After", "1"}}));
  server.Push(FaultAction::Respond(200, kParameter));
  LogCapture capture("debug");
  // When
  auto result = MakeClient(server.url())->Json("ssm", "GetParameter", GetParameter());
  // Then the chosen delay is the server's (jitter alone is at most 1 ms here)
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_NE(capture.Text().find("retrying ssm.GetParameter in 1000 ms after TooManyRequestsException "
                                "(attempt 1/4)"),
            std::string::npos)
      << capture.Text();
}

TEST(ClientRetryTest, DebugLogShowsExchangesWithSecretsRedacted) {
  // Given a SecureString put with temporary credentials, logged at trace
  FaultServer server;
  server.Push(FaultAction::Respond(200, R"({"Version":1,"Tier":"Standard"})"));
  LogCapture capture("trace");
  // When
  auto result = MakeClient(server.url())->Json(
      "ssm", "PutParameter", {{"Name", "/db/pw"}, {"Type", "SecureString"}, {"Value", "hunter2"}});
  // Then method, URL, status and attempt are there; no secret is
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  std::string text = capture.Text();
  EXPECT_NE(text.find("-> POST " + server.url() + "/ (ssm.PutParameter, attempt 1/4)"), std::string::npos) << text;
  EXPECT_NE(text.find("<- 200 ssm.PutParameter"), std::string::npos) << text;
  EXPECT_NE(text.find("Signature=***"), std::string::npos) << text;
  EXPECT_NE(text.find("X-Amz-Security-Token: ***"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("Value":"***")"), std::string::npos) << text;
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  EXPECT_EQ(text.find("session-token"), std::string::npos) << text;
  auto sent = server.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].body.find("hunter2"), std::string::npos);  // redaction is for the log only
}

TEST(ClientRetryTest, ContentTypeIsAlwaysExplicit) {
  FaultServer server;
  server.Push(FaultAction::Respond(200, kVpcs));
  server.Push(FaultAction::Respond(200, kParameter));
  server.Push(FaultAction::Respond(200, "data"));
  server.Push(FaultAction::Respond(200, "{}"));
  auto client = MakeClient(server.url());
  ASSERT_TRUE(client->Query("ec2", "DescribeVpcs", {}).ok());
  ASSERT_TRUE(client->Json("ssm", "GetParameter", GetParameter()).ok());
  ASSERT_TRUE(client->Send("s3", {.operation = "GetObject", .path = "/k", .bucket = "b"}).ok());
  ASSERT_TRUE(client->RestJson("elasticfilesystem", {.operation = "CreateFileSystem", .method = "POST",
                                                     .path = "/2015-02-01/file-systems",
                                                     .body = R"({"CreationToken":"t"})"}).ok());
  auto sent = server.requests();
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(sent[0].Header("content-type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(sent[0].body, "Action=DescribeVpcs&Version=2016-11-15");
  EXPECT_EQ(sent[1].Header("content-type"), "application/x-amz-json-1.1");
  EXPECT_EQ(sent[1].Header("x-amz-target"), "AmazonSSM.GetParameter");
  EXPECT_EQ(sent[2].method, "GET");
  EXPECT_EQ(sent[2].target, "/b/k");
  EXPECT_EQ(sent[2].Header("content-type"), "");  // no body, no type: curl must not invent one
  EXPECT_EQ(sent[2].Header("x-amz-content-sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sent[3].Header("content-type"), "application/json");
  EXPECT_EQ(sent[3].target, "/2015-02-01/file-systems");
}

TEST(ClientRetryTest, ConnectionsAreReusedWhenTheServerKeepsThemOpen) {
  FaultServer keep_alive(/*keep_alive=*/true);
  keep_alive.SetFallback(FaultAction::Respond(200, kParameter));
  auto client = MakeClient(keep_alive.url());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->Json("ssm", "GetParameter", GetParameter()).ok());
  EXPECT_EQ(keep_alive.connections(), 1);

  FaultServer closing(/*keep_alive=*/false);
  closing.SetFallback(FaultAction::Respond(200, kParameter));
  auto other = MakeClient(closing.url());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(other->Json("ssm", "GetParameter", GetParameter()).ok());
  EXPECT_EQ(closing.connections(), 3);
}

TEST(ClientRetryTest, ProxyFromTheEnvironment) {
  // Given http_proxy pointing at the test server
  FaultServer proxy;
  proxy.SetFallback(FaultAction::Respond(200, kParameter));
  setenv("http_proxy", proxy.url().c_str(), 1);
  // When the client calls an endpoint that only the proxy can reach
  auto result = MakeClient("http://ssm.reconcile.invalid:8080", 1)->Json("ssm", "GetParameter", GetParameter());
  // Then the request went through the proxy with the absolute URL
  setenv("no_proxy", "reconcile.invalid", 1);
  auto bypassed = MakeClient("http://ssm.reconcile.invalid:8080", 1)->Json("ssm", "GetParameter", GetParameter());
  unsetenv("http_proxy");
  unsetenv("no_proxy");
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  auto sent = proxy.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].target, "http://ssm.reconcile.invalid:8080/");
  EXPECT_EQ(sent[0].Header("host"), "ssm.reconcile.invalid:8080");
  ASSERT_FALSE(bypassed.ok());
  EXPECT_EQ(bypassed.error().code, "ConnectionError");
}

TEST(ClientRetryTest, JsonPagesFollowsNextToken) {
  FaultServer server;
  server.Push(FaultAction::Respond(200, R"({"Parameters":[{"Name":"a"}],"NextToken":"t1"})"));
  server.Push(FaultAction::Respond(200, R"({"Parameters":[{"Name":"b"}],"NextToken":"t2"})"));
  server.Push(FaultAction::Respond(200, R"({"Parameters":[{"Name":"c"}]})"));
  std::vector<std::string> names;
  auto done = JsonPages(*MakeClient(server.url()), "ssm", "DescribeParameters", {{"MaxResults", 1}},
                        [&](const nlohmann::json& page) {
                          for (const auto& p : page["Parameters"]) names.push_back(p["Name"]);
                          return true;
                        });
  ASSERT_TRUE(done.ok()) << done.error().ToString();
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c"}));
  auto sent = server.requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(sent[0].body), (nlohmann::json{{"MaxResults", 1}}));
  EXPECT_EQ(nlohmann::json::parse(sent[2].body), (nlohmann::json{{"MaxResults", 1}, {"NextToken", "t2"}}));
}

TEST(ClientRetryTest, QueryPagesFollowsIamMarkers) {
  FaultServer server;
  server.Push(FaultAction::Respond(200, "<ListUsersResponse><ListUsersResult><Users><member><UserName>a"
                                        "</UserName></member></Users><IsTruncated>true</IsTruncated>"
                                        "<Marker>m1</Marker></ListUsersResult></ListUsersResponse>"));
  server.Push(FaultAction::Respond(200, "<ListUsersResponse><ListUsersResult><Users><member><UserName>b"
                                        "</UserName></member></Users><IsTruncated>false</IsTruncated>"
                                        "</ListUsersResult></ListUsersResponse>"));
  std::vector<std::string> users;
  auto done = QueryPages(*MakeClient(server.url()), "iam", "ListUsers", {}, [&](const XmlDocument& page) {
    for (const auto& m : page.root().FindAll("ListUsersResult/Users/member")) users.push_back(m.Text("UserName"));
    return true;
  }, QueryPaging::kMarker);
  ASSERT_TRUE(done.ok()) << done.error().ToString();
  EXPECT_EQ(users, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(server.requests()[1].body, "Action=ListUsers&Version=2010-05-08&Marker=m1");
}

TEST(ClientRetryTest, ConditionalWriteIsNotRetriedAfter500) {
  // Given an S3 lock object written with If-None-Match whose first answer is a 500
  FaultServer server;
  server.Push(FaultAction::Respond(500, ""));
  server.Push(FaultAction::Respond(412, "<Error><Code>PreconditionFailed</Code></Error>"));
  // When
  auto result = MakeClient(server.url())->Send(
      "s3", {.operation = "PutObject", .method = "PUT", .path = "/state.lock", .bucket = "b",
             .headers = {{"If-None-Match", "*"}}, .body = "{}", .content_type = "application/json"});
  // Then the caller sees the 500 (the write may have landed), not a misleading 412
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "InternalError");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(ClientRetryTest, OneClientServesManyThreads) {
  // Given one client shared by 8 threads against a keep-alive server
  FaultServer server(/*keep_alive=*/true);
  server.SetFallback(FaultAction::Respond(200, kParameter));
  auto client = MakeClient(server.url());
  std::atomic<int> succeeded{0};
  // When each thread makes 25 calls
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (client->Json("ssm", "GetParameter", GetParameter()).ok()) ++succeeded;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  // Then every call succeeded and connections were reused (at most one per pooled handle)
  EXPECT_EQ(succeeded.load(), 200);
  EXPECT_EQ(server.requests().size(), 200u);
  EXPECT_LE(server.connections(), 16);
}

TEST(ClientRetryTest, CallStatsFormatOneLinePerOperation) {
  CallStats::Reset();
  CallStats::Record("ssm", "GetParameters", 1, false);
  CallStats::Record("ssm", "GetParameters", 3, true);
  CallStats::Record("ec2", "DescribeVpcs", 1, false);
  EXPECT_EQ(CallStats::Format(),
            "aws-stats ec2.DescribeVpcs calls=1 attempts=1 errors=0\n"
            "aws-stats ssm.GetParameters calls=2 attempts=4 errors=1\n");
  EXPECT_EQ(CallStats::Calls("ssm", "GetParameters"), 2u);
  EXPECT_EQ(CallStats::TotalCalls(), 3u);
}

TEST(ClientRetryTest, StatsArePrintedAtExitWhenAsked) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // a fresh process: the printer registers once
  setenv("RECONCILE_AWS_STATS", "1", 1);
  EXPECT_EXIT(
      {
        CallStats::Reset();
        CallStats::Record("logs", "DescribeLogGroups", 2, false);
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "aws-stats logs.DescribeLogGroups calls=1 attempts=2 errors=0");
  unsetenv("RECONCILE_AWS_STATS");
}

}  // namespace
}  // namespace reconcile::aws
