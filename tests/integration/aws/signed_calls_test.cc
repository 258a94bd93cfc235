// Given moto with signature checking on and an IAM user's access key, when
// each service the backends and providers use is called through our client,
// then calls signed with the key succeed and calls signed with a wrong secret
// fail with a clear signature error.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "aws/call_stats.h"
#include "aws/client.h"
#include "signed_moto.h"

namespace reconcile::aws {
namespace {

using testing::SignedMoto;

class SignedCallsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(moto().identity().access_key_id.empty()) << "no identity was created";
    good_ = moto().Client();
    bad_ = moto().Client(moto().identity().access_key_id, "not-the-secret");
  }
  static SignedMoto& moto() { return SignedMoto::Get(); }

  // The wrong-secret call failed because of its signature, and says so.
  template <typename T>
  static void ExpectSignatureRejected(const AwsResult<T>& result, const std::string& code) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, code) << result.error().ToString();
    EXPECT_EQ(result.error().http_status, code == "AuthFailure" ? 401 : 403) << result.error().ToString();
    EXPECT_FALSE(result.error().retryable);
    EXPECT_EQ(result.error().attempts, 1);
  }

  std::shared_ptr<AwsClient> good_;
  std::shared_ptr<AwsClient> bad_;
};

TEST_F(SignedCallsTest, Ec2) {
  QueryParams create;
  create.Set("CidrBlock", "10.0.0.0/16").SetEc2TagSpecification("vpc", {{"Name", "signed"}});
  auto vpc = good_->Query("ec2", "CreateVpc", create);
  ASSERT_TRUE(vpc.ok()) << vpc.error().ToString();
  std::string vpc_id = vpc->root().Text("vpc/vpcId");
  QueryParams describe;
  describe.SetEc2Filters({{"tag:Name", {"signed"}}});
  auto found = good_->Query("ec2", "DescribeVpcs", describe);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  auto vpcs = found->root().FindAll("vpcSet/item");
  ASSERT_EQ(vpcs.size(), 1u);
  EXPECT_EQ(vpcs[0].Text("vpcId"), vpc_id);
  EXPECT_EQ(vpcs[0].Text("cidrBlock"), "10.0.0.0/16");
  ExpectSignatureRejected(bad_->Query("ec2", "DescribeVpcs", {}), "AuthFailure");
}

TEST_F(SignedCallsTest, AutoScaling) {
  QueryParams config;
  config.Set("LaunchConfigurationName", "lc-signed").Set("ImageId", "ami-12c6146b").Set("InstanceType", "t3.micro");
  auto created = good_->Query("autoscaling", "CreateLaunchConfiguration", config);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  QueryParams names;
  names.SetList("LaunchConfigurationNames", {"lc-signed"}, ListStyle::kMember);
  auto found = good_->Query("autoscaling", "DescribeLaunchConfigurations", names);
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->root().Text("DescribeLaunchConfigurationsResult/LaunchConfigurations/member/ImageId"),
            "ami-12c6146b");
  ExpectSignatureRejected(bad_->Query("autoscaling", "DescribeAutoScalingGroups", {}), "SignatureDoesNotMatch");
}

TEST_F(SignedCallsTest, Ecs) {
  auto created = good_->Json("ecs", "CreateCluster", {{"clusterName", "signed"}});
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ((*created)["cluster"]["clusterName"], "signed");
  auto listed = good_->Json("ecs", "ListClusters", nlohmann::json::object());
  ASSERT_TRUE(listed.ok()) << listed.error().ToString();
  EXPECT_EQ((*listed)["clusterArns"].size(), 1u);
  ExpectSignatureRejected(bad_->Json("ecs", "ListClusters", nlohmann::json::object()), "SignatureDoesNotMatch");
}

TEST_F(SignedCallsTest, Ssm) {
  auto put = good_->Json("ssm", "PutParameter",
                         {{"Name", "/signed/a b"}, {"Type", "SecureString"}, {"Value", "s3cr3t"}});
  ASSERT_TRUE(put.ok()) << put.error().ToString();
  auto got = good_->Json("ssm", "GetParameter", {{"Name", "/signed/a b"}, {"WithDecryption", true}});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ((*got)["Parameter"]["Value"], "s3cr3t");
  auto missing = good_->Json("ssm", "GetParameter", {{"Name", "/nope"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "ParameterNotFound");
  EXPECT_TRUE(missing.error().IsNotFound());
  ExpectSignatureRejected(bad_->Json("ssm", "GetParameter", {{"Name", "/signed/a b"}}), "SignatureDoesNotMatch");
}

TEST_F(SignedCallsTest, DynamoDb) {
  nlohmann::json table = {{"TableName", "locks"},
                          {"AttributeDefinitions", {{{"AttributeName", "LockID"}, {"AttributeType", "S"}}}},
                          {"KeySchema", {{{"AttributeName", "LockID"}, {"KeyType", "HASH"}}}},
                          {"BillingMode", "PAY_PER_REQUEST"}};
  auto created = good_->Json("dynamodb", "CreateTable", table);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  nlohmann::json put = {{"TableName", "locks"},
                        {"Item", {{"LockID", {{"S", "bucket/key"}}}, {"Info", {{"S", "{}"}}}}},
                        {"ConditionExpression", "attribute_not_exists(LockID)"}};
  ASSERT_TRUE(good_->Json("dynamodb", "PutItem", put).ok());
  auto again = good_->Json("dynamodb", "PutItem", put);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "ConditionalCheckFailedException");
  EXPECT_EQ(again.error().attempts, 1);
  auto item = good_->Json("dynamodb", "GetItem",
                          {{"TableName", "locks"}, {"Key", {{"LockID", {{"S", "bucket/key"}}}}}});
  ASSERT_TRUE(item.ok()) << item.error().ToString();
  EXPECT_EQ((*item)["Item"]["Info"]["S"], "{}");
  ExpectSignatureRejected(bad_->Json("dynamodb", "ListTables", nlohmann::json::object()), "SignatureDoesNotMatch");
}

// Keys with ':' or '+' and query values with '/' are left out: moto's
// signature check rejects those for botocore's own (correct) signatures too.
TEST_F(SignedCallsTest, S3) {
  // Bucket, conditional object writes, reads, HEAD of a missing key, listing.
  auto bucket = good_->RestXml("s3", {.operation = "CreateBucket", .method = "PUT", .bucket = "signed-state"});
  ASSERT_TRUE(bucket.ok()) << bucket.error().ToString();
  RestRequest put{.operation = "PutObject", .method = "PUT", .path = "/workspaces/dev/state file.json",
                  .bucket = "signed-state", .headers = {{"If-None-Match", "*"}},
                  .body = R"({"serial":1})", .content_type = "application/json"};
  auto written = good_->Send("s3", put);
  ASSERT_TRUE(written.ok()) << written.error().ToString();
  std::string etag = written->Header("ETag");
  EXPECT_FALSE(etag.empty());
  auto conflict = good_->Send("s3", put);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, "PreconditionFailed");
  auto read = good_->Send("s3", {.operation = "GetObject", .path = "/workspaces/dev/state file.json", .bucket = "signed-state"});
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ(read->body, R"({"serial":1})");
  EXPECT_EQ(read->Header("etag"), etag);
  auto head = good_->Send("s3", {.operation = "HeadObject", .method = "HEAD", .path = "/missing", .bucket = "signed-state"});
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.error().code, "NotFound");
  EXPECT_TRUE(head.error().IsNotFound());
  auto listed = good_->RestXml("s3", {.operation = "ListObjectsV2", .bucket = "signed-state",
                                      .query = {{"list-type", "2"}, {"prefix", "workspaces"}}});
  ASSERT_TRUE(listed.ok()) << listed.error().ToString();
  EXPECT_EQ(listed->xml.root().Text("Contents/Key"), "workspaces/dev/state file.json");
  ExpectSignatureRejected(bad_->Send("s3", {.operation = "GetObject", .path = "/workspaces/dev/state file.json",
                                            .bucket = "signed-state"}),
                          "SignatureDoesNotMatch");
}

TEST_F(SignedCallsTest, S3UnsignedPayloadAndSubresources) {
  ASSERT_TRUE(good_->RestXml("s3", {.operation = "CreateBucket", .method = "PUT", .bucket = "versioned"}).ok());
  RestRequest versioning{.operation = "PutBucketVersioning", .method = "PUT", .bucket = "versioned",
                         .query = {{"versioning", ""}},
                         .body = "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                                 "<Status>Enabled</Status></VersioningConfiguration>"};
  auto enabled = good_->RestXml("s3", versioning);
  ASSERT_TRUE(enabled.ok()) << enabled.error().ToString();
  auto status = good_->RestXml("s3", {.operation = "GetBucketVersioning", .bucket = "versioned",
                                      .query = {{"versioning", ""}}});
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_EQ(status->xml.root().Text("Status"), "Enabled");
  auto unsigned_put = good_->Send("s3", {.operation = "PutObject", .method = "PUT", .path = "/k",
                                         .bucket = "versioned", .body = "payload",
                                         .content_type = "text/plain", .unsigned_payload = true});
  ASSERT_TRUE(unsigned_put.ok()) << unsigned_put.error().ToString();
  EXPECT_FALSE(unsigned_put->Header("x-amz-version-id").empty());
}

TEST_F(SignedCallsTest, Iam) {
  auto user = good_->Query("iam", "GetUser", QueryParams().Set("UserName", moto().identity().user_name));
  ASSERT_TRUE(user.ok()) << user.error().ToString();
  EXPECT_EQ(user->root().Text("GetUserResult/User/UserName"), "reconcile-signer");
  auto missing = good_->Query("iam", "GetUser", QueryParams().Set("UserName", "nobody"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "NoSuchEntity");
  ExpectSignatureRejected(bad_->Query("iam", "ListUsers", {}), "SignatureDoesNotMatch");
}

TEST_F(SignedCallsTest, Sts) {
  auto identity = good_->Query("sts", "GetCallerIdentity", {});
  ASSERT_TRUE(identity.ok()) << identity.error().ToString();
  EXPECT_EQ(identity->root().Text("GetCallerIdentityResult/Arn"),
            "arn:aws:iam::123456789012:user/reconcile-signer");
  ExpectSignatureRejected(bad_->Query("sts", "GetCallerIdentity", {}), "SignatureDoesNotMatch");
}

TEST_F(SignedCallsTest, Logs) {
  ASSERT_TRUE(good_->Json("logs", "CreateLogGroup", {{"logGroupName", "/signed/app"}}).ok());
  auto groups = good_->Json("logs", "DescribeLogGroups", {{"logGroupNamePrefix", "/signed"}});
  ASSERT_TRUE(groups.ok()) << groups.error().ToString();
  ASSERT_EQ((*groups)["logGroups"].size(), 1u);
  EXPECT_EQ((*groups)["logGroups"][0]["logGroupName"], "/signed/app");
  auto duplicate = good_->Json("logs", "CreateLogGroup", {{"logGroupName", "/signed/app"}});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, "ResourceAlreadyExistsException");
  ExpectSignatureRejected(bad_->Json("logs", "DescribeLogGroups", nlohmann::json::object()),
                          "SignatureDoesNotMatch");
}

TEST_F(SignedCallsTest, CallStatsCountEachLogicalCall) {
  CallStats::Reset();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(good_->Query("sts", "GetCallerIdentity", {}).ok());
  ASSERT_FALSE(bad_->Query("sts", "GetCallerIdentity", {}).ok());
  CallCount count = CallStats::Snapshot()["sts.GetCallerIdentity"];
  EXPECT_EQ(count.calls, 4u);
  EXPECT_EQ(count.errors, 1u);
  EXPECT_EQ(CallStats::TotalCalls("sts"), 4u);
}

}  // namespace
}  // namespace reconcile::aws
