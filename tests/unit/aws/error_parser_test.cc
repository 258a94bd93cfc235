// Given error answers of every protocol family (including moto's quirks: XML
// labelled text/html, __type with a namespace, S3 HEAD 404 without a body),
// when parsed, then one typed AwsError with the exact code, message and request id.
#include <gtest/gtest.h>

#include "aws/error_parser.h"

namespace reconcile::aws {
namespace {

TEST(ErrorParserTest, QueryErrorResponse) {
  std::string body =
      "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
      "<Code>NoSuchEntity</Code><Message>The user with name bob cannot be found.</Message></Error>"
      "<RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ErrorResponse>";
  AwsError error = ParseErrorResponse(Protocol::kQuery, 404, {{"content-type", "text/xml"}}, body);
  EXPECT_EQ(error.code, "NoSuchEntity");
  EXPECT_EQ(error.message, "The user with name bob cannot be found.");
  EXPECT_EQ(error.request_id, "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE");
  EXPECT_EQ(error.http_status, 404);
  EXPECT_FALSE(error.retryable);
  EXPECT_TRUE(error.IsNotFound());
}

TEST(ErrorParserTest, Ec2ErrorLabelledAsHtml) {
  std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>"
      "<Code>InvalidVpcID.NotFound</Code><Message>VpcID vpc-123 does not exist.</Message>"
      "</Error></Errors><RequestID>59dbff89-35bd-4eac-99ed-be587EXAMPLE</RequestID></Response>";
  AwsError error = ParseErrorResponse(Protocol::kEc2Query, 400,
                                      {{"content-type", "text/html; charset=utf-8"}}, body);
  EXPECT_EQ(error.code, "InvalidVpcID.NotFound");
  EXPECT_EQ(error.message, "VpcID vpc-123 does not exist.");
  EXPECT_EQ(error.request_id, "59dbff89-35bd-4eac-99ed-be587EXAMPLE");
  EXPECT_TRUE(error.IsNotFound());
}

TEST(ErrorParserTest, Ec2ThrottlingIsRetryable) {
  std::string body =
      "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit "
      "exceeded.</Message></Error></Errors><RequestID>r-1</RequestID></Response>";
  AwsError error = ParseErrorResponse(Protocol::kEc2Query, 503, {}, body);
  EXPECT_EQ(error.code, "RequestLimitExceeded");
  EXPECT_TRUE(error.retryable);
  EXPECT_TRUE(error.IsThrottling());
}

TEST(ErrorParserTest, JsonTypeWithNamespace) {
  std::string body =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
      R"("message":"Requested resource not found"})";
  AwsError error = ParseErrorResponse(Protocol::kJson, 400,
                                      {{"x-amzn-requestid", "QJ7C0EXAMPLE"}}, body);
  EXPECT_EQ(error.code, "ResourceNotFoundException");
  EXPECT_EQ(error.message, "Requested resource not found");
  EXPECT_EQ(error.request_id, "QJ7C0EXAMPLE");
  EXPECT_TRUE(error.IsNotFound());
}

TEST(ErrorParserTest, JsonPlainTypeAndCapitalisedMessage) {
  AwsError error = ParseErrorResponse(Protocol::kJson, 400, {},
                                      R"({"__type":"ParameterNotFound","Message":"gone"})");
  EXPECT_EQ(error.code, "ParameterNotFound");
  EXPECT_EQ(error.message, "gone");
}

TEST(ErrorParserTest, JsonThrottlingFromHeaderWhenBodyHasNoType) {
  AwsError error = ParseErrorResponse(
      Protocol::kJson, 400,
      {{"x-amzn-errortype", "ThrottlingException:http://internal.amazon.com/coral/"}},
      R"({"message":"Rate exceeded"})");
  EXPECT_EQ(error.code, "ThrottlingException");
  EXPECT_EQ(error.message, "Rate exceeded");
  EXPECT_TRUE(error.retryable);
}

TEST(ErrorParserTest, RestJsonErrorCodeField) {
  AwsError error = ParseErrorResponse(
      Protocol::kRestJson, 404, {{"x-amzn-errortype", "FileSystemNotFound"}},
      R"({"ErrorCode":"FileSystemNotFound","Message":"File system 'fs-1' does not exist."})");
  EXPECT_EQ(error.code, "FileSystemNotFound");
  EXPECT_EQ(error.message, "File system 'fs-1' does not exist.");
}

TEST(ErrorParserTest, S3ErrorDocument) {
  std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed</Code>"
      "<Message>At least one of the pre-conditions you specified did not hold</Message>"
      "<Condition>If-Match</Condition><RequestId>4442587FB7D0A2F9</RequestId></Error>";
  AwsError error = ParseErrorResponse(Protocol::kRestXml, 412, {{"content-type", "application/xml"}}, body);
  EXPECT_EQ(error.code, "PreconditionFailed");
  EXPECT_EQ(error.request_id, "4442587FB7D0A2F9");
  EXPECT_FALSE(error.retryable);
}

TEST(ErrorParserTest, S3HeadNotFoundWithoutBody) {
  AwsError error = ParseErrorResponse(Protocol::kRestXml, 404, {{"x-amz-request-id", "RID"}}, "");
  EXPECT_EQ(error.code, "NotFound");
  EXPECT_EQ(error.message, "HTTP 404 with no body");
  EXPECT_EQ(error.request_id, "RID");
  EXPECT_TRUE(error.IsNotFound());
}

TEST(ErrorParserTest, Route53ErrorResponse) {
  std::string body =
      "<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>Sender"
      "</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z1</Message>"
      "</Error><RequestId>r53</RequestId></ErrorResponse>";
  AwsError error = ParseErrorResponse(Protocol::kRestXml, 404, {}, body);
  EXPECT_EQ(error.code, "NoSuchHostedZone");
  EXPECT_EQ(error.request_id, "r53");
}

TEST(ErrorParserTest, DeeplyNestedErrorBodyFallsBackToStatus) {
  // Given a 502 whose XML body nests a million elements and has no Error
  std::string body;
  for (int i = 0; i < 1'000'000; ++i) body += "<div>";
  for (int i = 0; i < 1'000'000; ++i) body += "</div>";
  // Then the error comes from the status, without exhausting the stack
  AwsError error = ParseErrorResponse(Protocol::kQuery, 502, {}, body);
  EXPECT_EQ(error.code, "BadGateway");
  EXPECT_TRUE(error.retryable);
}

TEST(ErrorParserTest, HtmlServerErrorFallsBackToStatus) {
  AwsError error = ParseErrorResponse(Protocol::kJson, 500, {{"content-type", "text/html"}},
                                      "<html><body><h1>Internal Server Error</h1></body></html>");
  EXPECT_EQ(error.code, "InternalError");
  EXPECT_EQ(error.message, "<html><body><h1>Internal Server Error</h1></body></html>");
  EXPECT_TRUE(error.retryable);
}

TEST(ErrorParserTest, ShortErrorCodeStripsNamespaceAndSuffix) {
  EXPECT_EQ(ShortErrorCode("com.amazon.coral.service#AccessDeniedException"), "AccessDeniedException");
  EXPECT_EQ(ShortErrorCode("ValidationException:http://internal.amazon.com/"), "ValidationException");
  EXPECT_EQ(ShortErrorCode("Throttling"), "Throttling");
}

TEST(AwsErrorTest, DiagnosticNamesAddressCallAndCode) {
  AwsError error{.service = "ec2", .operation = "RunInstances", .code = "InvalidAMIID.NotFound",
                 .message = "The image id '[ami-1]' does not exist", .request_id = "req-1",
                 .http_status = 400, .attempts = 1};
  Diagnostic d = error.ToDiagnostic("aws_instance.web");
  EXPECT_EQ(d.address, "aws_instance.web");
  EXPECT_EQ(d.summary, "ec2:RunInstances failed: InvalidAMIID.NotFound");
  EXPECT_TRUE(d.ToString().starts_with(
      "error: aws_instance.web: ec2:RunInstances failed: InvalidAMIID.NotFound\n  "))
      << d.ToString();
  EXPECT_EQ(d.detail,
            "ec2 RunInstances: InvalidAMIID.NotFound: The image id '[ami-1]' does not exist "
            "(HTTP 400, request id req-1)");
}

}  // namespace
}  // namespace reconcile::aws
