// aws_s3_bucket and its configuration types through the engine against moto,
// checked with the aws CLI.
#include "aws/call_stats.h"
#include "aws_stack.h"
#include "shell_command.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

// A bucket with versioning, default encryption and a public access block.
std::string BucketStack(const std::string& name, const std::string& tag,
                        const std::string& versioning, const std::string& encryption,
                        const std::string& block_policy) {
  return "[resource.aws_s3_bucket.data]\nbucket = \"" + name + "\"\ntags = { Name = \"" + tag +
         "\" }\n\n"
         "[resource.aws_s3_bucket_versioning.data]\nbucket = \"${aws_s3_bucket.data.id}\"\n"
         "versioning_configuration = { status = \"" +
         versioning +
         "\" }\n\n"
         "[resource.aws_s3_bucket_server_side_encryption_configuration.data]\n"
         "bucket = \"${aws_s3_bucket.data.id}\"\n" +
         encryption +
         "\n\n"
         "[resource.aws_s3_bucket_public_access_block.data]\nbucket = "
         "\"${aws_s3_bucket.data.id}\"\n"
         "block_public_acls = true\nblock_public_policy = " +
         block_policy + "\nignore_public_acls = true\nrestrict_public_buckets = true\n";
}

const char* kAes =
    "rule = { apply_server_side_encryption_by_default = { sse_algorithm = \"AES256\" } }";
const char* kKms =
    "rule = { apply_server_side_encryption_by_default = { sse_algorithm = \"aws:kms\", "
    "kms_master_key_id = "
    "\"alias/data\" }, bucket_key_enabled = true }";
const char* kDefaultTags = "default_tags = { team = \"storage\" }";

class AwsS3Test : public AwsStackTest {
 protected:
  std::map<std::string, std::string> Tags(const std::string& bucket) {
    std::map<std::string, std::string> tags;
    json listed = AwsCli("s3api get-bucket-tagging --bucket " + bucket);
    for (const json& tag : listed["TagSet"]) tags[tag["Key"]] = tag["Value"];
    return tags;
  }
  std::string Versioning(const std::string& bucket) {
    return AwsCli("s3api get-bucket-versioning --bucket " + bucket).value("Status", "");
  }
  json Encryption(const std::string& bucket) {
    return AwsCli("s3api get-bucket-encryption --bucket " +
                  bucket)["ServerSideEncryptionConfiguration"]["Rules"][0];
  }
  json PublicAccessBlock(const std::string& bucket) {
    return AwsCli("s3api get-public-access-block --bucket " +
                  bucket)["PublicAccessBlockConfiguration"];
  }
  bool Exists(const std::string& bucket) {
    return AwsStatus("s3api head-bucket --bucket " + bucket) == 0;
  }
};

TEST_F(AwsS3Test, BucketWithConfigurationsCreateNoOpUpdateDriftReplaceImportDelete) {
  // Given a bucket with versioning, encryption and a public access block
  WriteStack(BucketStack("acme-data", "data", "Enabled", kAes, "true"), kDefaultTags);

  // When applied, S3 holds all four
  EXPECT_EQ(Changes(Apply()),
            "create aws_s3_bucket.data\ncreate aws_s3_bucket_public_access_block.data\n"
            "create aws_s3_bucket_server_side_encryption_configuration.data\ncreate "
            "aws_s3_bucket_versioning.data\n");
  std::map<std::string, std::string> tags = Tags("acme-data");
  EXPECT_EQ(tags["Name"], "data");
  EXPECT_EQ(tags["team"], "storage");
  EXPECT_EQ(tags["reconcile:address"], "aws_s3_bucket.data");
  EXPECT_EQ(Versioning("acme-data"), "Enabled");
  EXPECT_EQ(Encryption("acme-data")["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
            "AES256");
  EXPECT_EQ(
      PublicAccessBlock("acme-data"),
      json::parse(
          R"({"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true})"));
  EXPECT_EQ(Attr("aws_s3_bucket.data", "arn"), "arn:aws:s3:::acme-data");
  EXPECT_EQ(Attr("aws_s3_bucket.data", "region"), "us-east-1");
  EXPECT_EQ(Attr("aws_s3_bucket.data", "bucket_regional_domain_name"),
            "acme-data.s3.us-east-1.amazonaws.com");
  EXPECT_EQ(Attr("aws_s3_bucket.data", "tags"), R"({"Name":"data"})");
  EXPECT_EQ(Attr("aws_s3_bucket.data", "tags_all"), R"({"Name":"data","team":"storage"})");
  EXPECT_EQ(Attr("aws_s3_bucket_versioning.data", "id"), "acme-data");

  // A second plan changes nothing
  EXPECT_EQ(Changes(PlanChanges()), "");

  // New tags, suspended versioning, KMS encryption and a looser block update in place
  WriteStack(BucketStack("acme-data", "data-2", "Suspended", kKms, "false"), kDefaultTags);
  EXPECT_EQ(Changes(Apply()),
            "update aws_s3_bucket.data\nupdate aws_s3_bucket_public_access_block.data\n"
            "update aws_s3_bucket_server_side_encryption_configuration.data\nupdate "
            "aws_s3_bucket_versioning.data\n");
  EXPECT_EQ(Tags("acme-data")["Name"], "data-2");
  EXPECT_EQ(Tags("acme-data")["reconcile:address"], "aws_s3_bucket.data");
  EXPECT_EQ(Versioning("acme-data"), "Suspended");
  json encryption = Encryption("acme-data");
  EXPECT_EQ(encryption["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "aws:kms");
  EXPECT_EQ(encryption["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"], "alias/data");
  EXPECT_EQ(encryption["BucketKeyEnabled"], true);
  EXPECT_EQ(PublicAccessBlock("acme-data")["BlockPublicPolicy"], false);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Changes made with the aws CLI are drift: planned and put back
  AwsCli(
      "s3api put-bucket-tagging --bucket acme-data --tagging 'TagSet=[{Key=Name,Value=outside}]'");
  AwsCli(
      "s3api put-bucket-versioning --bucket acme-data --versioning-configuration Status=Enabled");
  AwsCli(
      "s3api put-public-access-block --bucket acme-data --public-access-block-configuration "
      "BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets="
      "false");
  EXPECT_EQ(Changes(Apply()),
            "update aws_s3_bucket.data\nupdate aws_s3_bucket_public_access_block.data\nupdate "
            "aws_s3_bucket_versioning.data\n");
  tags = Tags("acme-data");
  EXPECT_EQ(tags["Name"], "data-2");
  EXPECT_EQ(tags["team"], "storage");
  EXPECT_EQ(tags["reconcile:address"], "aws_s3_bucket.data");
  EXPECT_EQ(Versioning("acme-data"), "Suspended");
  EXPECT_EQ(PublicAccessBlock("acme-data")["BlockPublicAcls"], true);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new name replaces the bucket, and its configurations with it
  WriteStack(BucketStack("acme-data-2", "data-2", "Suspended", kKms, "false"), kDefaultTags);
  EXPECT_EQ(Changes(Apply()),
            "replace aws_s3_bucket.data [bucket]\nreplace aws_s3_bucket_public_access_block.data "
            "[bucket]\n"
            "replace aws_s3_bucket_server_side_encryption_configuration.data [bucket]\n"
            "replace aws_s3_bucket_versioning.data [bucket]\n");
  EXPECT_FALSE(Exists("acme-data"));
  EXPECT_EQ(Versioning("acme-data-2"), "Suspended");
  EXPECT_EQ(Encryption("acme-data-2")["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
            "aws:kms");

  // Import by bucket name after the state forgets all four matches the configuration
  for (const char* address : {"aws_s3_bucket.data", "aws_s3_bucket_versioning.data",
                              "aws_s3_bucket_server_side_encryption_configuration.data",
                              "aws_s3_bucket_public_access_block.data"}) {
    ASSERT_FALSE(RemoveFromState(address).HasErrors());
    Import(address, "acme-data-2");
  }
  EXPECT_EQ(Attr("aws_s3_bucket.data", "bucket"), "acme-data-2");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Removing them from the configuration deletes the bucket
  WriteStack("");
  EXPECT_EQ(Changes(Apply()),
            "delete aws_s3_bucket.data\ndelete aws_s3_bucket_public_access_block.data\n"
            "delete aws_s3_bucket_server_side_encryption_configuration.data\ndelete "
            "aws_s3_bucket_versioning.data\n");
  EXPECT_FALSE(Exists("acme-data-2"));
}

TEST_F(AwsS3Test, NonEmptyBucketIsDeletedOnlyWithForceDestroy) {
  // Given a versioned bucket named from a prefix, holding two versions of an object
  WriteStack(
      "[resource.aws_s3_bucket.logs]\nbucket_prefix = \"logs-\"\n\n"
      "[resource.aws_s3_bucket_versioning.logs]\nbucket = \"${aws_s3_bucket.logs.id}\"\n"
      "versioning_configuration = { status = \"Enabled\" }\n");
  Apply();
  std::string bucket = Attr("aws_s3_bucket.logs", "bucket");
  ASSERT_EQ(bucket.size(), 5u + 26u) << bucket;
  EXPECT_EQ(bucket.substr(0, 5), "logs-");
  EXPECT_TRUE(Exists(bucket));
  TempDir files;
  std::string object = files.Write("line.txt", "one\n");
  AwsCli("s3api put-object --bucket " + bucket + " --key app/line.txt --body " + object);
  AwsCli("s3api put-object --bucket " + bucket + " --key app/line.txt --body " + object);

  // When the stack drops it without force_destroy, the delete fails and says why
  WriteStack("");
  Diagnostics refused = ApplyAllowingErrors();
  ASSERT_TRUE(refused.HasErrors());
  EXPECT_NE(refused.ToString().find("BucketNotEmpty"), std::string::npos) << refused.ToString();
  EXPECT_NE(refused.ToString().find("is not empty"), std::string::npos) << refused.ToString();
  EXPECT_NE(refused.ToString().find("force_destroy = true"), std::string::npos)
      << refused.ToString();
  EXPECT_TRUE(Exists(bucket));

  // With force_destroy set (an update of state only) the delete removes every version
  WriteStack("[resource.aws_s3_bucket.logs]\nbucket_prefix = \"logs-\"\nforce_destroy = true\n");
  EXPECT_EQ(Changes(Apply()), "update aws_s3_bucket.logs\n");
  WriteStack("");
  EXPECT_EQ(Changes(Apply()), "delete aws_s3_bucket.logs\n");
  EXPECT_FALSE(Exists(bucket));
}

TEST_F(AwsS3Test, InterruptedCreateIsAdoptedNotRepeated) {
  // Given a bucket create (name from a prefix and the apply's token) that reached S3 but was never
  // recorded
  WriteStack("[resource.aws_s3_bucket.cache]\nbucket_prefix = \"cache-\"\n");
  Value planned = Value::Map(
      {{"bucket_prefix", Value::String("cache-")}, {"force_destroy", Value::Bool(false)}});
  std::string made = InterruptedCreate("aws_s3_bucket", "aws_s3_bucket.cache", planned);
  ASSERT_EQ(made.substr(0, 6), "cache-");

  // When applied again, that bucket is adopted: no second bucket
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_s3_bucket.cache", "id"), made);
  int buckets = 0;
  json listed = AwsCli("s3api list-buckets");
  for (const json& b : listed["Buckets"])
    buckets += b["Name"].get<std::string>().starts_with("cache-");
  EXPECT_EQ(buckets, 1);

  // and with a second bucket a refresh lists buckets once and reads their tags in bulk
  WriteStack(
      "[resource.aws_s3_bucket.cache]\nbucket_prefix = \"cache-\"\n\n"
      "[resource.aws_s3_bucket.extra]\nbucket = \"acme-extra\"\ntags = { Name = \"extra\" }\n");
  EXPECT_EQ(Changes(Apply()), "create aws_s3_bucket.extra\n");
  aws::CallStats::Reset();
  AwsCli(
      "s3api put-bucket-tagging --bucket acme-extra --tagging 'TagSet=[{Key=Name,Value=outside}]'");
  EXPECT_EQ(Changes(PlanChanges()), "update aws_s3_bucket.extra\n");
  EXPECT_EQ(aws::CallStats::Calls("s3", "ListBuckets"), 1u) << aws::CallStats::Format();
  EXPECT_EQ(aws::CallStats::Calls("s3", "HeadBucket"), 0u) << aws::CallStats::Format();
  EXPECT_EQ(aws::CallStats::Calls("s3", "GetBucketTagging"), 0u) << aws::CallStats::Format();
  EXPECT_EQ(aws::CallStats::Calls("tagging", "GetResources"), 1u) << aws::CallStats::Format();
}

}  // namespace
}  // namespace reconcile::testing
