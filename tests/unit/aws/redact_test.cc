// Given requests and responses carrying secrets, when redacted for the log,
// then no secret survives and everything else does.
#include <gtest/gtest.h>

#include "aws/redact.h"

namespace reconcile::aws {
namespace {

TEST(RedactTest, AuthorizationKeepsScopeButNotSignature) {
  EXPECT_EQ(RedactHeader("Authorization",
                         "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ec2/aws4_request, "
                         "SignedHeaders=host;x-amz-date, Signature=abcdef"),
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ec2/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=***");
  EXPECT_EQ(RedactHeader("X-Amz-Security-Token", "FQoG"), "***");
  EXPECT_EQ(RedactHeader("Content-Type", "application/json"), "application/json");
}

TEST(RedactTest, JsonSecretsAndSecureStringValues) {
  std::string put = R"({"Name":"/db/password","Type":"SecureString","Value":"hunter2","Overwrite":true})";
  EXPECT_EQ(RedactJson(put), R"({"Name":"/db/password","Overwrite":true,"Type":"SecureString","Value":"***"})");
  std::string plain = R"({"Parameter":{"Name":"/a","Type":"String","Value":"visible"}})";
  EXPECT_EQ(RedactJson(plain), R"({"Parameter":{"Name":"/a","Type":"String","Value":"visible"}})");
  std::string creds = R"({"AccessKeyId":"AKID","SecretAccessKey":"s3cr3t","Token":"tok","Expiration":"x"})";
  EXPECT_EQ(RedactJson(creds), R"({"AccessKeyId":"AKID","Expiration":"x","SecretAccessKey":"***","Token":"***"})");
  EXPECT_EQ(RedactJson("not json"), "(8 bytes, not JSON, not logged)");
}

TEST(RedactTest, XmlAndFormSecrets) {
  EXPECT_EQ(RedactXml("<Credentials><AccessKeyId>AKID</AccessKeyId><SecretAccessKey>abc</SecretAccessKey>"
                      "<SessionToken>tok</SessionToken></Credentials>"),
            "<Credentials><AccessKeyId>AKID</AccessKeyId><SecretAccessKey>***</SecretAccessKey>"
            "<SessionToken>***</SessionToken></Credentials>");
  EXPECT_EQ(RedactForm("Action=CreateLoginProfile&UserName=bob&Password=p%40ss&MasterUserPassword=x"),
            "Action=CreateLoginProfile&UserName=bob&Password=***&MasterUserPassword=***");
}

TEST(RedactTest, BodyDispatchByContent) {
  EXPECT_EQ(RedactBody("text/html", "<a><Password>x</Password></a>"), "<a><Password>***</Password></a>");
  EXPECT_EQ(RedactBody("application/x-www-form-urlencoded; charset=utf-8", "Password=x"), "Password=***");
  EXPECT_EQ(RedactBody("application/octet-stream", "raw"), "(3 bytes of application/octet-stream, not logged)");
}

}  // namespace
}  // namespace reconcile::aws
