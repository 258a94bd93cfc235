// Container definitions and IAM policy documents compare by meaning: what ECS
// and IAM fill in or reorder is no change, a real edit is. (No AWS involved.)
#include <gtest/gtest.h>

#include "container_definitions.h"
#include "iam_policy_text.h"

namespace reconcile::aws_provider {
namespace {

TEST(ContainerDefinitionsTest, DefaultsFilledByEcsAreNoChange) {
  // Given what a user wrote and what ECS answers for it
  std::string written = R"([{"name":"web","image":"nginx:1","memory":128,
    "environment":[{"name":"B","value":"2"},{"name":"A","value":"1"}],
    "portMappings":[{"containerPort":80}]}])";
  std::string answered =
      R"([{"cpu":0,"environment":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
    "essential":true,"image":"nginx:1","memory":128,"mountPoints":[],"name":"web",
    "portMappings":[{"containerPort":80,"hostPort":80,"protocol":"tcp"}],"volumesFrom":[],
    "logConfiguration":{"options":{}},"systemControls":[]}])";

  // Then they are the same containers, in one canonical text
  EXPECT_TRUE(EquivalentContainerDefinitions(written, answered));
  EXPECT_EQ(
      CanonicalContainerDefinitions(answered).value(),
      R"([{"environment":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"image":"nginx:1",)"
      R"("memory":128,"name":"web","portMappings":[{"containerPort":80}]}])");
}

TEST(ContainerDefinitionsTest, RealEditsAreChanges) {
  std::string base = R"([{"name":"web","image":"nginx:1","essential":true}])";
  EXPECT_FALSE(EquivalentContainerDefinitions(base, R"([{"name":"web","image":"nginx:2"}])"));
  EXPECT_FALSE(EquivalentContainerDefinitions(
      base, R"([{"name":"web","image":"nginx:1","essential":false}])"));
  EXPECT_FALSE(EquivalentContainerDefinitions(
      R"([{"name":"a","image":"x"},{"name":"b","image":"y"}])", R"([{"name":"a","image":"x"}])"));
  EXPECT_FALSE(EquivalentContainerDefinitions(
      R"([{"name":"w","image":"x","portMappings":[{"containerPort":80,"hostPort":8080}]}])",
      R"([{"name":"w","image":"x","portMappings":[{"containerPort":80}]}])"));
}

TEST(ContainerDefinitionsTest, TextThatIsNotAContainerListIsRejected) {
  std::string error;
  EXPECT_FALSE(CanonicalContainerDefinitions("{not json", &error));
  EXPECT_EQ(error, "it is not valid JSON");
  EXPECT_FALSE(CanonicalContainerDefinitions(R"({"name":"web"})", &error));
  EXPECT_EQ(error, "it is not a JSON array");
  EXPECT_FALSE(CanonicalContainerDefinitions(R"(["web"])", &error));
  EXPECT_EQ(error, "an element of the array is not an object");
}

TEST(PolicyDocumentTest, IamReformattingIsNoChange) {
  // Given a trust policy as written and as IAM may hand it back
  std::string written = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
    "Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}})";
  std::string answered = R"({"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow",
    "Principal":{"Service":["ecs-tasks.amazonaws.com"]}}],"Version":"2012-10-17"})";
  EXPECT_TRUE(EquivalentPolicies(written, answered));

  // and statements, actions and condition values in another order, an
  // account id for its root ARN, a boolean condition as text
  EXPECT_TRUE(EquivalentPolicies(
      R"({"Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*",
          "Condition":{"Bool":{"aws:SecureTransport":true}}},
        {"Effect":"Deny","Principal":{"AWS":"123456789012"},"Action":"s3:Delete*","Resource":"*"}]})",
      R"({"Statement":[{"Effect":"Deny","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},
          "Action":"s3:Delete*","Resource":["*"]},
        {"Effect":"Allow","Action":["s3:List*","s3:Get*"],"Resource":["*"],
          "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]})"));
}

TEST(PolicyDocumentTest, RealEditsAreChanges) {
  std::string base = R"({"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";
  EXPECT_FALSE(EquivalentPolicies(
      base, R"({"Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]})"));
  EXPECT_FALSE(EquivalentPolicies(
      base,
      R"({"Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}]})"));
  EXPECT_FALSE(EquivalentPolicies(base, "not json"));
  // The recorded text is kept while it means what IAM holds; else IAM's (compact)
  EXPECT_EQ(PolicyForState(
                R"({"Statement": [{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]})",
                base),
            base);
  EXPECT_EQ(PolicyForState(R"({"Statement": [{"Effect": "Deny"}]})", base),
            R"({"Statement":[{"Effect":"Deny"}]})");
}

}  // namespace
}  // namespace reconcile::aws_provider
