// data aws_iam_policy_document: statement blocks rendered byte for byte as
// Terraform renders them, merged with source documents by Sid.
#include "aws_stack.h"
#include "shell_command.h"

namespace reconcile::testing {
namespace {

const char* kStack = R"(
[data.aws_iam_policy_document.bucket]
policy_id = "bucket-policy"

[[data.aws_iam_policy_document.bucket.statement]]
sid = "List"
actions = ["s3:ListBucket"]
resources = ["arn:aws:s3:::acme"]
condition = [{ test = "StringLike", variable = "s3:prefix", values = ["home/", "home/&{aws:username}/*"] }]

[[data.aws_iam_policy_document.bucket.statement]]
actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
resources = ["arn:aws:s3:::acme/home/&{aws:username}/*"]
principals = [
  { type = "AWS", identifiers = ["arn:aws:iam::123456789012:root", "arn:aws:iam::210987654321:root"] },
  { type = "Service", identifiers = ["ec2.amazonaws.com"] },
]

[[data.aws_iam_policy_document.bucket.statement]]
sid = "DenyOthers"
effect = "Deny"
not_actions = ["s3:*"]
not_resources = ["arn:aws:s3:::acme"]
principals = [{ type = "*", identifiers = ["*"] }]

[data.aws_iam_policy_document.merged]
source_policy_documents = ['{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"Keep","Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage"],"Resource":"*"}]}']
override_policy_documents = ['{"Statement":[{"Sid":"Keep","Effect":"Deny","Action":["sqs:*"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}']

[[data.aws_iam_policy_document.merged.statement]]
sid = "Read"
actions = ["s3:GetObject", "s3:GetObjectVersion"]
resources = ["arn:aws:s3:::a&b/<x>"]

[[data.aws_iam_policy_document.merged.statement]]
actions = ["kms:Decrypt"]
resources = ["*"]
)";

// Terraform 5.x's rendering of the "bucket" document above.
const char* kBucketJson = R"({
  "Version": "2012-10-17",
  "Id": "bucket-policy",
  "Statement": [
    {
      "Sid": "List",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::acme",
      "Condition": {
        "StringLike": {
          "s3:prefix": [
            "home/${aws:username}/*",
            "home/"
          ]
        }
      }
    },
    {
      "Effect": "Allow",
      "Action": [
        "s3:PutObject",
        "s3:GetObject",
        "s3:DeleteObject"
      ],
      "Resource": "arn:aws:s3:::acme/home/${aws:username}/*",
      "Principal": {
        "AWS": [
          "arn:aws:iam::210987654321:root",
          "arn:aws:iam::123456789012:root"
        ],
        "Service": "ec2.amazonaws.com"
      }
    },
    {
      "Sid": "DenyOthers",
      "Effect": "Deny",
      "NotAction": "s3:*",
      "NotResource": "arn:aws:s3:::acme",
      "Principal": "*"
    }
  ]
})";

// Source statements first, ours replacing "Read" in place, the override
// replacing "Keep" (a one-element JSON list stays a list, a bool becomes a string).
const char* kMergedJson =
    R"({"Version":"2012-10-17","Statement":[)"
    R"({"Sid":"Read","Effect":"Allow","Action":["s3:GetObjectVersion","s3:GetObject"],"Resource":"arn:aws:s3:::a\u0026b/\u003cx\u003e"},)"
    R"({"Sid":"Keep","Effect":"Deny","Action":["sqs:*"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},)"
    R"({"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]})";

class AwsPolicyDocumentTest : public AwsStackTest {};

TEST_F(AwsPolicyDocumentTest, RendersStatementsAsTerraformDoes) {
  // Given statement blocks with conditions, principals, IAM variables and source documents
  WriteStack(kStack);

  // When applied (no AWS call is made)
  Apply();

  // Then the JSON is Terraform's, byte for byte, with its CRC-32 as the id
  std::string json = Attr("data.aws_iam_policy_document.bucket", "json");
  EXPECT_EQ(json, kBucketJson);
  TempDir dir;
  std::string file = dir.Write("policy.json", json);
  std::string crc;
  ASSERT_EQ(RunShell("python3 -c 'import sys,zlib; "
                     "print(zlib.crc32(open(sys.argv[1],\"rb\").read()), end=\"\")' " +
                         file,
                     &crc),
            0);
  EXPECT_EQ(Attr("data.aws_iam_policy_document.bucket", "id"), crc);
  EXPECT_EQ(Attr("data.aws_iam_policy_document.merged", "minified_json"), kMergedJson);

  // and the merged identity policy is one IAM accepts
  std::string merged =
      dir.Write("merged.json", Attr("data.aws_iam_policy_document.merged", "json"));
  std::string out;
  EXPECT_EQ(
      AwsStatus("iam create-policy --policy-name merged --policy-document file://" + merged, &out),
      0)
      << out;
  EXPECT_EQ(Changes(PlanChanges()), "");
}

}  // namespace
}  // namespace reconcile::testing
