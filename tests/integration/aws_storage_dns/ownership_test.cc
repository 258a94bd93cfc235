// Ownership of S3 buckets, DynamoDB tables and Route53 zones against moto: a
// name another workspace's object (or one reconcile did not make) holds is an
// error naming it and its owner, never a takeover; this instance's own object
// (a create whose answer was lost) is adopted; a zone name is no exclusive
// name, so each workspace has its own zone.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

constexpr const char* kLockTable =
    "[resource.aws_dynamodb_table.locks]\nname = \"locks\"\nbilling_mode = \"PAY_PER_REQUEST\"\n"
    "hash_key = \"LockID\"\nattribute = { name = \"LockID\", type = \"S\" }\n";

Value S(const std::string& s) { return Value::String(s); }

class AwsOwnershipTest : public AwsStackTest {
 protected:
  std::map<std::string, std::string> BucketTags(const std::string& bucket) {
    return TagsOf(AwsCli("s3api get-bucket-tagging --bucket " + bucket)["TagSet"]);
  }
  std::map<std::string, std::string> TableTags(const std::string& name) {
    return TagsOf(AwsCli("dynamodb list-tags-of-resource --resource-arn "
                         "arn:aws:dynamodb:us-east-1:123456789012:table/" +
                         name)["Tags"]);
  }
  // Zone id → ownership workspace of every zone named `name`.
  std::map<std::string, std::string> Zones(const std::string& name) {
    std::map<std::string, std::string> out;
    json listed = AwsCli("route53 list-hosted-zones");
    for (const json& zone : listed["HostedZones"]) {
      std::string zone_name = zone["Name"];
      if (zone_name != name && zone_name != name + ".") continue;
      std::string id = zone["Id"].get<std::string>().substr(std::string("/hostedzone/").size());
      json tags = AwsCli("route53 list-tags-for-resource --resource-type hostedzone --resource-id " +
                         id)["ResourceTagSet"]["Tags"];
      out[id] = TagsOf(tags)["reconcile:workspace"];
    }
    return out;
  }
};

TEST_F(AwsOwnershipTest, S3BucketOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace("[resource.aws_s3_bucket.data]\nbucket = \"shared-data\"\n",
                              "S3 bucket \"shared-data\"", [&] { return BucketTags("shared-data"); });
}

TEST_F(AwsOwnershipTest, DynamoDbTableOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace(kLockTable, "DynamoDB table \"locks\"",
                              [&] { return TableTags("locks"); });
}

TEST_F(AwsOwnershipTest, EachWorkspaceHasItsOwnZoneOfTheName) {
  // Given a zone applied by workspace default
  WriteStack("[resource.aws_route53_zone.main]\nname = \"example.com\"\n");
  Apply();
  std::string theirs = Attr("aws_route53_zone.main", "zone_id");

  // When workspace prod applies the same stack, it makes a zone of its own
  UseWorkspace("prod");
  Apply();
  std::string ours = Attr("aws_route53_zone.main", "zone_id");
  std::map<std::string, std::string> both = {{theirs, "default"}, {ours, "prod"}};
  EXPECT_EQ(Zones("example.com"), both);

  // and its destroy deletes only that one
  Destroy();
  std::map<std::string, std::string> left = {{theirs, "default"}};
  EXPECT_EQ(Zones("example.com"), left);
}

TEST_F(AwsOwnershipTest, ObjectsNotMadeByReconcileAreRefused) {
  // Given a bucket and a table made outside reconcile (tagged by their makers)
  AwsCli("s3api create-bucket --bucket legacy-data");
  AwsCli("s3api put-bucket-tagging --bucket legacy-data --tagging 'TagSet=[{Key=owner,Value=ops}]'");
  AwsCli("dynamodb create-table --table-name locks --billing-mode PAY_PER_REQUEST "
         "--attribute-definitions AttributeName=LockID,AttributeType=S "
         "--key-schema AttributeName=LockID,KeyType=HASH --tags Key=owner,Value=ops");

  // When stacks name them, each apply is refused and the object left alone
  ExpectUnmanagedRefused("[resource.aws_s3_bucket.data]\nbucket = \"legacy-data\"\n",
                         "S3 bucket \"legacy-data\"", [&] { return BucketTags("legacy-data"); });
  ExpectUnmanagedRefused(kLockTable, "DynamoDB table \"locks\"",
                         [&] { return TableTags("locks"); });
}

TEST_F(AwsOwnershipTest, RepeatedCreatesAdoptWhatTheFirstMade) {
  ExpectRepeatedCreateAdopted("aws_s3_bucket", "aws_s3_bucket.data",
                              Value::Map({{"bucket", S("shared-data")}}));
  Value key = Value::Map({{"name", S("LockID")}, {"type", S("S")}});
  ExpectRepeatedCreateAdopted("aws_dynamodb_table", "aws_dynamodb_table.locks",
                              Value::Map({{"name", S("locks")},
                                          {"billing_mode", S("PAY_PER_REQUEST")},
                                          {"hash_key", S("LockID")},
                                          {"attribute", Value::List({key})}}));
}

}  // namespace
}  // namespace reconcile::testing
