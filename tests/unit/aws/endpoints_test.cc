// Given configuration overrides and AWS_ENDPOINT_URL[_SERVICE], when an
// endpoint is resolved, then the precedence is config > service variable >
// global variable > AWS, with the right signing name and region.
#include <cstdlib>

#include <gtest/gtest.h>

#include "aws/endpoints.h"

namespace reconcile::aws {
namespace {

class EndpointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
                             "AWS_ENDPOINT_URL_DYNAMODB"}) {
      unsetenv(name);
    }
  }
  void TearDown() override { SetUp(); }
};

TEST_F(EndpointsTest, RealAwsEndpoints) {
  auto ec2 = ResolveEndpoint("ec2", "us-west-2", {});
  ASSERT_TRUE(ec2.ok());
  EXPECT_EQ(ec2->url, "https://ec2.us-west-2.amazonaws.com");
  EXPECT_EQ(ec2->signing_region, "us-west-2");
  EXPECT_FALSE(ec2->custom);
  auto iam = ResolveEndpoint("iam", "eu-west-1", {});
  EXPECT_EQ(iam->url, "https://iam.amazonaws.com");
  EXPECT_EQ(iam->signing_region, "us-east-1");
  auto efs = ResolveEndpoint("efs", "eu-west-1", {});
  EXPECT_EQ(efs->url, "https://elasticfilesystem.eu-west-1.amazonaws.com");
  EXPECT_EQ(efs->signing_name, "elasticfilesystem");
  EXPECT_EQ(ResolveEndpoint("ecr", "us-east-1", {})->url, "https://api.ecr.us-east-1.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint("s3", "cn-north-1", {})->url, "https://s3.cn-north-1.amazonaws.com.cn");
}

TEST_F(EndpointsTest, PrecedenceConfigThenServiceVariableThenGlobalVariable) {
  setenv("AWS_ENDPOINT_URL", "http://global:1", 1);
  setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://logs:2/", 1);
  EXPECT_EQ(ResolveEndpoint("ssm", "us-east-1", {})->url, "http://global:1");
  EXPECT_EQ(ResolveEndpoint("logs", "us-east-1", {})->url, "http://logs:2");
  auto configured = ResolveEndpoint("logs", "us-east-1", {{"logs", "http://config:3"}});
  EXPECT_EQ(configured->url, "http://config:3");
  EXPECT_TRUE(configured->custom);
  EXPECT_EQ(configured->signing_region, "us-east-1");
  // Overrides may name a service by alias or by its environment suffix.
  EXPECT_EQ(ResolveEndpoint("elasticfilesystem", "us-east-1", {{"efs", "http://efs:4"}})->url, "http://efs:4");
  EXPECT_EQ(ResolveEndpoint("logs", "us-east-1", {{"CLOUDWATCH_LOGS", "http://l:5"}})->url, "http://l:5");
}

TEST_F(EndpointsTest, UnknownServiceAndMissingRegionAreErrors) {
  auto unknown = ResolveEndpoint("nosuch", "us-east-1", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "UnknownService");
  auto no_region = ResolveEndpoint("ec2", "", {});
  ASSERT_FALSE(no_region.ok());
  EXPECT_EQ(no_region.error().code, "NoRegion");
}

TEST_F(EndpointsTest, S3VirtualHostedOnAwsPathStyleOnCustomEndpoints) {
  auto aws = ResolveEndpoint("s3", "us-west-2", {});
  S3Location virtual_hosted = S3Address(aws.value(), "acme-state", "/web/state.json", false);
  EXPECT_EQ(virtual_hosted.base, "https://acme-state.s3.us-west-2.amazonaws.com");
  EXPECT_EQ(virtual_hosted.path, "/web/state.json");
  S3Location dotted = S3Address(aws.value(), "acme.state", "/k", false);
  EXPECT_EQ(dotted.base, "https://s3.us-west-2.amazonaws.com");
  EXPECT_EQ(dotted.path, "/acme.state/k");
  auto moto = ResolveEndpoint("s3", "us-west-2", {{"s3", "http://127.0.0.1:5000"}});
  S3Location path_style = S3Address(moto.value(), "acme-state", "/", false);
  EXPECT_EQ(path_style.base, "http://127.0.0.1:5000");
  EXPECT_EQ(path_style.path, "/acme-state");
  EXPECT_EQ(S3Address(aws.value(), "acme-state", "/k", true).path, "/acme-state/k");
}

}  // namespace
}  // namespace reconcile::aws
