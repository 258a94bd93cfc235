// aws_s3_object, aws_s3_bucket_policy and aws_s3_bucket_lifecycle_configuration
// through the engine against moto, checked with the aws CLI.
#include "aws/call_stats.h"
#include "aws_stack.h"
#include "shell_command.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

const char* kBucket = "[resource.aws_s3_bucket.files]\nbucket = \"acme-files\"\n\n";

std::string ObjectStack(const std::string& key, const std::string& body, const std::string& extra = "") {
  return std::string(kBucket) + "[resource.aws_s3_object.config]\nbucket = \"${aws_s3_bucket.files.id}\"\nkey = \"" +
         key + "\"\n" + body + "\n" + extra + "\n";
}

class AwsS3ObjectTest : public AwsStackTest {
 protected:
  // The object's body as the aws CLI downloads it ("" when it cannot).
  std::string Content(const std::string& key) {
    std::string path = stack_dir() + "/downloaded";
    std::string output;
    if (AwsStatus("s3api get-object --bucket acme-files --key " + key + " " + path, &output) != 0) return "";
    std::string body;
    RunShell("cat " + path, &body);
    return body;
  }
  json Head(const std::string& key) { return AwsCli("s3api head-object --bucket acme-files --key " + key); }
  std::map<std::string, std::string> Tags(const std::string& key) {
    return TagsOf(AwsCli("s3api get-object-tagging --bucket acme-files --key " + key)["TagSet"]);
  }
};

TEST_F(AwsS3ObjectTest, ObjectCreateNoOpUpdateDriftReplaceImportDelete) {
  // Given an object with text content, a content type and a tag
  WriteStack(ObjectStack("app/settings.env", "content = \"A=1\\n\"\ncontent_type = \"text/plain\"",
                         "tags = { Name = \"settings\" }"));
  EXPECT_EQ(Changes(Apply()), "create aws_s3_bucket.files\ncreate aws_s3_object.config\n");
  EXPECT_EQ(Content("app/settings.env"), "A=1\n");
  EXPECT_EQ(Head("app/settings.env")["ContentType"], "text/plain");
  std::map<std::string, std::string> tags = Tags("app/settings.env");
  EXPECT_EQ(tags["Name"], "settings");
  EXPECT_EQ(tags["reconcile:address"], "aws_s3_object.config");
  // The ETag is the body's MD5 (printf 'A=1\n' | md5sum)
  EXPECT_EQ(Attr("aws_s3_object.config", "etag"), "7b9ee9647aa60af266c790de3f659403");
  EXPECT_EQ(Attr("aws_s3_object.config", "id"), "app/settings.env");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // New content from a file, with SSE, and a new tag update the object in place
  std::string file = stack_dir() + "/settings.env";
  RunShell("printf 'A=2\\nB=3\\n' > " + file);
  WriteStack(ObjectStack("app/settings.env",
                         "source = \"" + file + "\"\ncontent_type = \"text/plain\"\nserver_side_encryption = \"AES256\"",
                         "tags = { Name = \"settings-2\" }"));
  EXPECT_EQ(Changes(Apply()), "update aws_s3_object.config\n");
  EXPECT_EQ(Content("app/settings.env"), "A=2\nB=3\n");
  EXPECT_EQ(Head("app/settings.env")["ServerSideEncryption"], "AES256");
  EXPECT_EQ(Tags("app/settings.env")["Name"], "settings-2");
  EXPECT_EQ(Tags("app/settings.env")["reconcile:stack"], "awstest");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A changed source file plans an update
  RunShell("printf 'A=4\\n' > " + file);
  EXPECT_EQ(Changes(Apply()), "update aws_s3_object.config\n");
  EXPECT_EQ(Content("app/settings.env"), "A=4\n");

  // An object changed in S3 is drift: its ETag no longer the body's, it is put back
  RunShell("printf 'outside' > " + stack_dir() + "/outside");
  AwsCli("s3api put-object --bucket acme-files --key app/settings.env --body " + stack_dir() + "/outside");
  EXPECT_EQ(Changes(Apply()), "update aws_s3_object.config\n");
  EXPECT_EQ(Content("app/settings.env"), "A=4\n");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new key replaces the object
  WriteStack(ObjectStack("app/other.env", "content_base64 = \"QT01Cg==\""));
  Plan replaced = Apply();
  EXPECT_EQ(ChangeFor(replaced, "aws_s3_object.config").action, Action::kReplace);
  EXPECT_EQ(Content("app/other.env"), "A=5\n");
  EXPECT_EQ(Content("app/settings.env"), "");

  // Import by bucket/key: the body is not read back, so the first apply records
  // it without putting the object again (its ETag is the body's); then nothing changes
  ASSERT_FALSE(RemoveFromState("aws_s3_object.config").HasErrors());
  Import("aws_s3_object.config", "acme-files/app/other.env");
  EXPECT_EQ(Attr("aws_s3_object.config", "etag"), "5928fadbee94c02e6017dbc0f619bd40");
  aws::CallStats::Reset();
  EXPECT_EQ(Changes(Apply()), "update aws_s3_object.config\n");
  EXPECT_EQ(aws::CallStats::Calls("s3", "PutObject"), 0u) << aws::CallStats::Format();
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy deletes it
  Destroy();
  EXPECT_NE(AwsStatus("s3api head-bucket --bucket acme-files"), 0);
}

TEST_F(AwsS3ObjectTest, ObjectCreateIsAdoptedOrRefusedByItsTags) {
  // Given an object create that reached S3 but was never recorded
  WriteStack(std::string(kBucket));
  Apply();
  WriteStack(ObjectStack("k", "content = \"x\""));
  Value planned = Value::Map({{"bucket", Value::String("acme-files")},
                              {"key", Value::String("k")},
                              {"content", Value::String("x")}});
  EXPECT_EQ(InterruptedCreate("aws_s3_object", "aws_s3_object.config", planned), "k");

  // When applied again, it is adopted: nothing to change
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_s3_object.config", "etag"), "9dd4e461268c8034f5c8564e155c67a6");

  // An object put outside reconcile is not overwritten
  AwsCli("s3api put-object --bucket acme-files --key foreign --body " + stack_dir() + "/main.toml");
  WriteStack(ObjectStack("k", "content = \"x\"") +
             "[resource.aws_s3_object.foreign]\nbucket = \"acme-files\"\nkey = \"foreign\"\ncontent = \"mine\"\n");
  Diagnostics refused = ApplyAllowingErrors();
  EXPECT_NE(refused.ToString().find("S3 object \"s3://acme-files/foreign\" exists and is not managed by reconcile"),
            std::string::npos)
      << refused.ToString();
  EXPECT_NE(Content("foreign"), "mine");
}

TEST_F(AwsS3ObjectTest, ObjectInVersionedBucketGetsNewVersionsAndLeavesNoneBehind) {
  // Given an object in a versioned bucket
  std::string stack = std::string(kBucket) +
                      "[resource.aws_s3_bucket_versioning.files]\nbucket = \"${aws_s3_bucket.files.id}\"\n"
                      "versioning_configuration = { status = \"Enabled\" }\n\n"
                      "[resource.aws_s3_object.config]\nbucket = \"${aws_s3_bucket_versioning.files.id}\"\n"
                      "key = \"v.txt\"\n";
  WriteStack(stack + "content = \"one\"\n");
  Apply();
  std::string first = Attr("aws_s3_object.config", "version_id");
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(Head("v.txt")["VersionId"], first);

  // When its content changes, S3 holds a new version, recorded as version_id
  WriteStack(stack + "content = \"two\"\n");
  EXPECT_EQ(Changes(Apply()), "update aws_s3_object.config\n");
  std::string second = Attr("aws_s3_object.config", "version_id");
  EXPECT_NE(second, first);
  EXPECT_EQ(Head("v.txt")["VersionId"], second);
  EXPECT_EQ(AwsCli("s3api list-object-versions --bucket acme-files")["Versions"].size(), 2u);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // When destroyed, every version goes, so the bucket can go too
  Destroy();
  EXPECT_NE(AwsStatus("s3api head-bucket --bucket acme-files"), 0);
}

std::string PolicyStack(const std::string& action, int days, const std::string& prefix) {
  return std::string(kBucket) +
         "[resource.aws_s3_bucket_policy.files]\nbucket = \"${aws_s3_bucket.files.id}\"\n"
         "policy = '${jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", "
         "Principal = { AWS = \"arn:aws:iam::123456789012:root\" }, Action = \"" +
         action +
         "\", Resource = \"arn:aws:s3:::acme-files/*\" }] })}'\n\n"
         "[resource.aws_s3_bucket_lifecycle_configuration.files]\nbucket = \"${aws_s3_bucket.files.id}\"\n"
         "[[resource.aws_s3_bucket_lifecycle_configuration.files.rule]]\nid = \"logs\"\nstatus = \"Enabled\"\n"
         "filter = { prefix = \"" +
         prefix + "\" }\nexpiration = { days = " + std::to_string(days) +
         " }\nnoncurrent_version_expiration = { noncurrent_days = 30 }\n"
         "transition = [{ days = 30, storage_class = \"STANDARD_IA\" }, { days = 60, storage_class = \"GLACIER\" }]\n";
}

TEST_F(AwsS3ObjectTest, BucketPolicyAndLifecycleCreateNoOpUpdateDriftImportDelete) {
  // Given a bucket policy and a lifecycle rule
  WriteStack(PolicyStack("s3:GetObject", 90, "logs/"));
  EXPECT_EQ(Changes(Apply()),
            "create aws_s3_bucket.files\ncreate aws_s3_bucket_lifecycle_configuration.files\n"
            "create aws_s3_bucket_policy.files\n");
  json policy = json::parse(AwsCli("s3api get-bucket-policy --bucket acme-files")["Policy"].get<std::string>());
  EXPECT_EQ(policy["Statement"][0]["Action"], "s3:GetObject");
  json rule = AwsCli("s3api get-bucket-lifecycle-configuration --bucket acme-files")["Rules"][0];
  EXPECT_EQ(rule["ID"], "logs");
  EXPECT_EQ(rule["Filter"]["Prefix"], "logs/");
  EXPECT_EQ(rule["Expiration"]["Days"], 90);
  EXPECT_EQ(rule["NoncurrentVersionExpiration"]["NoncurrentDays"], 30);
  EXPECT_EQ(rule["Transitions"].size(), 2u);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new action and new days update both in place
  WriteStack(PolicyStack("s3:PutObject", 120, "old/"));
  EXPECT_EQ(Changes(Apply()),
            "update aws_s3_bucket_lifecycle_configuration.files\nupdate aws_s3_bucket_policy.files\n");
  policy = json::parse(AwsCli("s3api get-bucket-policy --bucket acme-files")["Policy"].get<std::string>());
  EXPECT_EQ(policy["Statement"][0]["Action"], "s3:PutObject");
  rule = AwsCli("s3api get-bucket-lifecycle-configuration --bucket acme-files")["Rules"][0];
  EXPECT_EQ(rule["Expiration"]["Days"], 120);
  EXPECT_EQ(rule["Filter"]["Prefix"], "old/");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A policy deleted outside reconcile is recreated
  AwsCli("s3api delete-bucket-policy --bucket acme-files");
  EXPECT_EQ(Changes(Apply()), "create aws_s3_bucket_policy.files\n");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import by bucket name matches the configuration; an interrupted create is found again
  ASSERT_FALSE(RemoveFromState("aws_s3_bucket_lifecycle_configuration.files").HasErrors());
  Import("aws_s3_bucket_lifecycle_configuration.files", "acme-files");
  ASSERT_FALSE(RemoveFromState("aws_s3_bucket_policy.files").HasErrors());
  PendingCreate("aws_s3_bucket_policy", "aws_s3_bucket_policy.files",
                Value::Map({{"bucket", Value::String("acme-files")}}));
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Dropping them deletes both from the bucket
  WriteStack(std::string(kBucket));
  EXPECT_EQ(Changes(Apply()),
            "delete aws_s3_bucket_lifecycle_configuration.files\ndelete aws_s3_bucket_policy.files\n");
  EXPECT_NE(AwsStatus("s3api get-bucket-policy --bucket acme-files"), 0);
  EXPECT_NE(AwsStatus("s3api get-bucket-lifecycle-configuration --bucket acme-files"), 0);
}

}  // namespace
}  // namespace reconcile::testing
