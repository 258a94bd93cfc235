// The AWS provider says when a failed create or delete may still have taken
// effect (ApplyResponse::outcome_unknown): a 5xx, a reset connection or a
// timeout on the call that makes the object, but not an error AWS answered
// with a 4xx, which rules the effect out.
#include <cstdlib>

#include <gtest/gtest.h>

#include "aws_provider.h"
#include "fault_server.h"

namespace reconcile::aws {
namespace {

using testing::FaultAction;
using testing::FaultServer;

class ProviderOutcomeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "secret-key", 1);
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    provider_ = MakeAwsProvider();
    Value config = Value::Map({{"region", Value::String("us-east-1")},
                               {"endpoints", Value::Map({{"ssm", Value::String(server_.url())},
                                                         {"sts", Value::String(server_.url())}})},
                               {"max_retries", Value::Number(0)}});
    Diagnostics diags = provider_->Configure({config, "web", "default"});
    ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  }

  ApplyResponse CreateParameter() {
    ApplyRequest request;
    request.type = "aws_ssm_parameter";
    request.address = "aws_ssm_parameter.p";
    request.action = ApplyAction::kCreate;
    request.planned_state = Value::Map({{"name", Value::String("/app/p")},
                                        {"type", Value::String("String")},
                                        {"value", Value::String("v")},
                                        {"id", Value::Unknown()}});
    request.client_token = "5d9a1c2e-0000-4000-8000-000000000001";
    return provider_->ApplyResource(request);
  }

  FaultServer server_;
  std::unique_ptr<Provider> provider_;
};

TEST_F(ProviderOutcomeTest, AServerErrorOnTheCreateCallLeavesTheOutcomeUnknown) {
  server_.Push(FaultAction::Respond(500, R"({"__type":"InternalServerError","message":"oops"})"));
  ApplyResponse r = CreateParameter();
  ASSERT_TRUE(r.diagnostics.HasErrors());
  EXPECT_TRUE(r.new_state.is_null());
  EXPECT_TRUE(r.outcome_unknown);
}

TEST_F(ProviderOutcomeTest, AResetConnectionOnTheCreateCallLeavesTheOutcomeUnknown) {
  server_.Push(FaultAction::Reset());
  ApplyResponse r = CreateParameter();
  ASSERT_TRUE(r.diagnostics.HasErrors());
  EXPECT_TRUE(r.outcome_unknown);
}

TEST_F(ProviderOutcomeTest, ARefusalFromAwsIsAKnownOutcome) {
  server_.Push(FaultAction::Respond(400, R"({"__type":"ValidationException","message":"bad name"})"));
  ApplyResponse r = CreateParameter();
  ASSERT_TRUE(r.diagnostics.HasErrors());
  EXPECT_FALSE(r.outcome_unknown);
}

}  // namespace
}  // namespace reconcile::aws
