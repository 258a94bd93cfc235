// The S3 backend against moto: bootstrap, the object layout of workspaces,
// digests, lineage/serial refusal, the pending journal. Every test runs with
// the DynamoDB lock and with lock = "s3"; the aws CLI is the independent check.
#include "s3_backend_fixture.h"

#include <algorithm>

#include <gmock/gmock.h>

#include "backends/s3/content_digest.h"
#include "reconcile/state.h"
#include "support/temp_dir.h"

namespace reconcile::s3::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class S3BackendStateTest : public S3BackendTest {};

TEST_P(S3BackendStateTest, BootstrapCreatesTheBucketAndLockTableFromNothingAndThenSkipsThem) {
  // Given nothing exists: the check says the bucket is missing
  Diagnostics check = backend_->Check();
  ASSERT_EQ(check.size(), 1u) << check.ToString();
  EXPECT_EQ(check[0].summary, "S3 bucket \"acme-state\" does not exist");
  EXPECT_EQ(check[0].detail,
            "create it with `reconcile init --bootstrap`, or set [backend.s3] bucket to an existing bucket");

  // When bootstrapping
  std::vector<std::string> report;
  Diagnostics diags = backend_->Bootstrap(&report);

  // Then each step is taken and reported
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  std::vector<std::string> expected = {
      "Created S3 bucket \"acme-state\" in us-east-1.",
      "Turned on versioning of bucket \"acme-state\".",
      "Set default encryption of bucket \"acme-state\" (AES256).",
      "Blocked public access to bucket \"acme-state\".",
  };
  expected.push_back(lock() == LockKind::kDynamoDb
                         ? "Created DynamoDB lock table \"reconcile-locks\" (LockID string hash key, on-demand billing)."
                         : "Locks are objects beside the state in bucket \"acme-state\"; no lock table needed.");
  EXPECT_EQ(report, expected);

  // And the aws CLI sees the bucket versioned, encrypted and closed to the public
  EXPECT_EQ(AwsCliJson(endpoint_, {"s3api", "get-bucket-versioning", "--bucket", kBucket})["Status"], "Enabled");
  nlohmann::json encryption = AwsCliJson(endpoint_, {"s3api", "get-bucket-encryption", "--bucket", kBucket});
  EXPECT_EQ(encryption["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
                      ["SSEAlgorithm"],
            "AES256");
  nlohmann::json block = AwsCliJson(endpoint_, {"s3api", "get-public-access-block", "--bucket", kBucket});
  EXPECT_EQ(block["PublicAccessBlockConfiguration"],
            nlohmann::json({{"BlockPublicAcls", true}, {"IgnorePublicAcls", true}, {"BlockPublicPolicy", true},
                            {"RestrictPublicBuckets", true}}));
  if (lock() == LockKind::kDynamoDb) {
    nlohmann::json table = AwsCliJson(endpoint_, {"dynamodb", "describe-table", "--table-name", kTable})["Table"];
    EXPECT_EQ(table["KeySchema"], nlohmann::json::parse(R"([{"AttributeName":"LockID","KeyType":"HASH"}])"));
    EXPECT_EQ(table["AttributeDefinitions"], nlohmann::json::parse(R"([{"AttributeName":"LockID","AttributeType":"S"}])"));
    EXPECT_EQ(table["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST");
  }
  EXPECT_FALSE(backend_->Check().HasErrors()) << backend_->Check().ToString();

  // When bootstrapping again (from a new backend) / Then every step is skipped
  std::vector<std::string> again;
  ASSERT_FALSE(NewBackend()->Bootstrap(&again).HasErrors());
  std::vector<std::string> skipped = {
      "S3 bucket \"acme-state\" already exists.",
      "Versioning of bucket \"acme-state\" is already on.",
      "Bucket \"acme-state\" already has default encryption (AES256).",
      "Public access to bucket \"acme-state\" is already blocked.",
  };
  skipped.push_back(lock() == LockKind::kDynamoDb
                        ? "DynamoDB lock table \"reconcile-locks\" already exists."
                        : "Locks are objects beside the state in bucket \"acme-state\"; no lock table needed.");
  EXPECT_EQ(again, skipped);
}

TEST_P(S3BackendStateTest, CheckNamesAMissingLockTable) {
  if (lock() != LockKind::kDynamoDb) GTEST_SKIP() << "only the DynamoDB lock has a table";
  // Given the bucket exists but the table does not
  AwsCliJson(endpoint_, {"s3api", "create-bucket", "--bucket", kBucket});
  // When checking / Then the table is named
  Diagnostics diags = backend_->Check();
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags[0].summary, "DynamoDB lock table \"reconcile-locks\" does not exist in us-east-1");
}

TEST_P(S3BackendStateTest, WorkspacesLiveAtTerraformsKeys) {
  Bootstrap();
  // When writing the state of `default` and `prod`
  StateWrite default_state = StateAt("11111111-1111-4111-8111-111111111111", 1);
  StateWrite prod_state = StateAt("22222222-2222-4222-8222-222222222222", 3);
  ASSERT_FALSE(backend_->WriteState("default", default_state).HasErrors());
  ASSERT_FALSE(backend_->WriteState("prod", prod_state).HasErrors());

  // Then the aws CLI finds them at `key` and `env:/prod/key`
  std::vector<std::string> expected = {"env:/prod/web/state.json", "web/state.json"};
  if (lock() == LockKind::kS3Object) expected = {"env:/prod/web/state.json", "env:/prod/web/state.json.md5",
                                                 "web/state.json", "web/state.json.md5"};
  EXPECT_EQ(BucketKeys(), expected);
  reconcile::testing::TempDir tmp;
  AwsCliJson(endpoint_, {"s3api", "get-object", "--bucket", kBucket, "--key", "env:/prod/web/state.json", tmp.path() + "/prod"});
  EXPECT_EQ(tmp.Read("prod"), prod_state.document);
  nlohmann::json head = AwsCliJson(endpoint_, {"s3api", "head-object", "--bucket", kBucket, "--key", "env:/prod/web/state.json"});
  EXPECT_EQ(head["Metadata"], nlohmann::json({{"reconcile-lineage", prod_state.lineage},
                                             {"reconcile-serial", "3"},
                                             {"reconcile-digest", Md5Hex(prod_state.document)}}));
  // And the recorded digest is the object's MD5 (its ETag, unencrypted)
  EXPECT_EQ(head["ETag"], "\"" + RecordedDigest("env:/prod/web/state.json") + "\"");

  // And both read back, and both are listed
  std::optional<std::string> read;
  ASSERT_FALSE(NewBackend()->ReadState("prod", &read).HasErrors());
  EXPECT_EQ(read, prod_state.document);
  ASSERT_FALSE(NewBackend()->ReadState("default", &read).HasErrors());
  EXPECT_EQ(read, default_state.document);
  std::vector<std::string> names;
  ASSERT_FALSE(NewBackend()->ListWorkspaces(&names).HasErrors());
  EXPECT_EQ(names, (std::vector<std::string>{"default", "prod"}));
  ASSERT_FALSE(NewBackend()->ReadState("staging", &read).HasErrors());
  EXPECT_EQ(read, std::nullopt);
}

TEST_P(S3BackendStateTest, ADigestMismatchIsAStaleRead) {
  Bootstrap();
  StateWrite state = StateAt("33333333-3333-4333-8333-333333333333", 2);
  ASSERT_FALSE(backend_->WriteState("prod", state).HasErrors());
  std::string path = "env:/prod/web/state.json";
  std::string good = RecordedDigest(path);
  ASSERT_EQ(good.size(), 32u);

  // Given the digest no longer matches the stored state
  TamperDigest(path, "0123456789abcdef0123456789abcdef");

  // When reading / Then it retries briefly, then reports a stale read naming both digests
  std::optional<std::string> read;
  Diagnostics diags = NewBackend()->ReadState("prod", &read);
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags[0].summary, "stale read: the state of workspace \"prod\" in S3 does not match its digest");
  EXPECT_THAT(diags[0].detail, StartsWith("s3://acme-state/env:/prod/web/state.json has MD5 " + good +
                                          ", but the digest in "));
  EXPECT_THAT(diags[0].detail, HasSubstr(" is 0123456789abcdef0123456789abcdef.\n"));

  // When the digest is put right / Then the state reads again
  TamperDigest(path, good);
  ASSERT_FALSE(NewBackend()->ReadState("prod", &read).HasErrors());
  EXPECT_EQ(read, state.document);
}

TEST_P(S3BackendStateTest, AWriteNeverReplacesANewerStateOrAnotherLineage) {
  Bootstrap();
  const std::string lineage = "44444444-4444-4444-8444-444444444444";
  ASSERT_FALSE(backend_->WriteState("default", StateAt(lineage, 5)).HasErrors());

  // A lower serial is refused, by this backend and by a fresh one (which checks by HEAD)
  for (Backend* writer : {backend_.get(), NewBackend().release()}) {
    std::unique_ptr<Backend> owned(writer == backend_.get() ? nullptr : writer);
    Diagnostics diags = writer->WriteState("default", StateAt(lineage, 4));
    ASSERT_EQ(diags.size(), 1u) << diags.ToString();
    EXPECT_EQ(diags[0].summary, "refusing to replace the state of workspace \"default\": the stored state is newer");
    EXPECT_EQ(diags[0].detail, "stored at s3://acme-state/web/state.json: lineage " + lineage +
                                   ", serial 5; written: lineage " + lineage +
                                   ", serial 4.\nAnother run changed it since this one read it; plan again.");
    diags = writer->WriteState("default", StateAt("55555555-5555-4555-8555-555555555555", 9));
    ASSERT_EQ(diags.size(), 1u) << diags.ToString();
    EXPECT_EQ(diags[0].summary, "refusing to replace the state of workspace \"default\": it has another lineage");
  }

  // Given a backend that read serial 5, when another run writes serial 6 behind its back,
  // then its write of serial 5 is refused (its If-Match fails and it looks again)
  std::unique_ptr<Backend> stale = NewBackend();
  std::optional<std::string> read;
  ASSERT_FALSE(stale->ReadState("default", &read).HasErrors());
  ASSERT_FALSE(NewBackend()->WriteState("default", StateAt(lineage, 6)).HasErrors());
  Diagnostics diags = stale->WriteState("default", StateAt(lineage, 5));
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags[0].summary, "refusing to replace the state of workspace \"default\": the stored state is newer");

  // And a higher serial of the same lineage is written
  EXPECT_FALSE(stale->WriteState("default", StateAt(lineage, 7)).HasErrors());
  nlohmann::json head = AwsCliJson(endpoint_, {"s3api", "head-object", "--bucket", kBucket, "--key", kKey});
  EXPECT_EQ(head["Metadata"]["reconcile-serial"], "7");
}

// A state at `serial` that differs from StateAt's by an output.
StateWrite OtherStateAt(const std::string& lineage, std::uint64_t serial) {
  State state;
  state.lineage = lineage;
  state.serial = serial;
  state.outputs["writer"] = OutputState{Value::String("the other run"), false};
  return StateWrite{SerializeState(state), lineage, serial};
}

TEST_P(S3BackendStateTest, TwoWritersFromTheSameSerialConflict) {
  Bootstrap();
  // Given two runs that both read serial 3
  const std::string lineage = "45454545-4545-4545-8545-454545454545";
  ASSERT_FALSE(backend_->WriteState("default", StateAt(lineage, 3)).HasErrors());
  std::unique_ptr<Backend> first = NewBackend();
  std::unique_ptr<Backend> second = NewBackend();
  std::optional<std::string> read;
  ASSERT_FALSE(first->ReadState("default", &read).HasErrors());
  ASSERT_FALSE(second->ReadState("default", &read).HasErrors());

  // When both write serial 4, each its own document
  ASSERT_FALSE(first->WriteState("default", StateAt(lineage, 4)).HasErrors());
  Diagnostics diags = second->WriteState("default", OtherStateAt(lineage, 4));

  // Then the second is refused, naming both, and the first one's state stays
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags[0].summary, "refusing to replace the state of workspace \"default\": the stored state is newer");
  EXPECT_EQ(diags[0].detail, "stored at s3://acme-state/web/state.json: lineage " + lineage +
                                 ", serial 4; written: lineage " + lineage +
                                 ", serial 4.\nAnother run wrote that serial since this one read serial 3; plan "
                                 "again.");
  ASSERT_FALSE(NewBackend()->ReadState("default", &read).HasErrors());
  EXPECT_EQ(read, StateAt(lineage, 4).document);

  // And the first writer's write repeated (its answer lost, say) finds itself and succeeds
  EXPECT_FALSE(NewBackend()->WriteState("default", StateAt(lineage, 4)).HasErrors());
  EXPECT_EQ(RecordedDigest(kKey), Md5Hex(StateAt(lineage, 4).document));
}

TEST_P(S3BackendStateTest, AWriteStoppedBetweenTheStateAndItsDigestLeavesTheWorkspaceReadable) {
  Bootstrap();
  const std::string lineage = "56565656-5656-4656-8656-565656565656";
  const std::string path = "env:/prod/web/state.json";
  ASSERT_FALSE(backend_->WriteState("prod", StateAt(lineage, 3)).HasErrors());
  // Given serial 4 was put but the run was killed before its digest was
  // written: the digest still records serial 3
  ASSERT_FALSE(backend_->WriteState("prod", StateAt(lineage, 4)).HasErrors());
  TamperDigest(path, Md5Hex(StateAt(lineage, 3).document), 3);

  // When reading / Then the newer state reads (it is not taken for a stale read)
  std::optional<std::string> read;
  Diagnostics diags = NewBackend()->ReadState("prod", &read);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(read, StateAt(lineage, 4).document);

  // And the next write goes through and puts the digest right
  std::unique_ptr<Backend> next = NewBackend();
  ASSERT_FALSE(next->ReadState("prod", &read).HasErrors());
  ASSERT_FALSE(next->WriteState("prod", StateAt(lineage, 5)).HasErrors());
  EXPECT_EQ(RecordedDigest(path), Md5Hex(StateAt(lineage, 5).document));
  ASSERT_FALSE(NewBackend()->ReadState("prod", &read).HasErrors());
  EXPECT_EQ(read, StateAt(lineage, 5).document);
}

TEST_P(S3BackendStateTest, AStateOlderThanItsDigestIsStillAStaleRead) {
  Bootstrap();
  const std::string lineage = "67676767-6767-4767-8767-676767676767";
  const std::string path = "env:/prod/web/state.json";
  ASSERT_FALSE(backend_->WriteState("prod", StateAt(lineage, 3)).HasErrors());
  ASSERT_FALSE(backend_->WriteState("prod", StateAt(lineage, 4)).HasErrors());
  // Given S3 serves serial 3 (whole, with its metadata) while the digest records serial 4
  PutStateObject(path, StateAt(lineage, 3));

  // When reading / Then it is a stale read naming both serials
  std::optional<std::string> read;
  Diagnostics diags = NewBackend()->ReadState("prod", &read);
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags[0].summary, "stale read: the state of workspace \"prod\" in S3 does not match its digest");
  EXPECT_THAT(diags[0].detail, HasSubstr("(the object has serial 3, the digest is of serial 4)"));
}

TEST_P(S3BackendStateTest, AStateWrittenByAnotherToolIsCheckedFromItsContent) {
  Bootstrap();
  // Given a state uploaded with the aws CLI (no reconcile metadata) at serial 8
  const std::string lineage = "66666666-6666-4666-8666-666666666666";
  reconcile::testing::TempDir tmp;
  std::string file = tmp.Write("state.json", StateDocument(lineage, 8));
  AwsCliJson(endpoint_, {"s3api", "put-object", "--bucket", kBucket, "--key", kKey, "--body", file});
  // When writing serial 7 / Then it is refused
  Diagnostics diags = backend_->WriteState("default", StateAt(lineage, 7));
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags[0].summary, "refusing to replace the state of workspace \"default\": the stored state is newer");
  // And serial 9 is written
  EXPECT_FALSE(backend_->WriteState("default", StateAt(lineage, 9)).HasErrors());
}

TEST_P(S3BackendStateTest, ThePendingJournalIsAnObjectBesideTheStateWhileItHasOperations) {
  Bootstrap();
  PendingOperation create{.address = "random_id.a", .type = "random_id", .provider = "random", .action = "create",
                          .started = "2026-11-23T09:30:00Z", .client_token = "t1"};
  std::string journal = SerializePending({{create.address, create}});
  std::optional<std::string> read;
  // A journal that fails to parse is refused
  EXPECT_TRUE(backend_->WritePending("prod", "{not json").HasErrors());
  // When a journal with an operation is written
  Diagnostics diags = backend_->WritePending("prod", journal);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  // Then it is the object env:/prod/web/state.json.pending, and prod is a workspace
  EXPECT_EQ(BucketKeys(), (std::vector<std::string>{"env:/prod/web/state.json.pending"}));
  ASSERT_FALSE(NewBackend()->ReadPending("prod", &read).HasErrors());
  EXPECT_EQ(read, journal);
  std::vector<std::string> names;
  ASSERT_FALSE(backend_->ListWorkspaces(&names).HasErrors());
  EXPECT_EQ(names, (std::vector<std::string>{"default", "prod"}));
  // When an empty journal is written / Then the object is gone
  ASSERT_FALSE(backend_->WritePending("prod", SerializePending({})).HasErrors());
  EXPECT_EQ(BucketKeys(), std::vector<std::string>{});
  ASSERT_FALSE(backend_->ReadPending("prod", &read).HasErrors());
  EXPECT_EQ(read, std::nullopt);
}

TEST_P(S3BackendStateTest, DeletingAWorkspaceRemovesItsObjectsAndDigest) {
  Bootstrap();
  ASSERT_FALSE(backend_->WriteState("prod", StateAt("77777777-7777-4777-8777-777777777777", 1)).HasErrors());
  ASSERT_FALSE(backend_->WriteState("default", StateAt("88888888-8888-4888-8888-888888888888", 1)).HasErrors());
  PendingOperation create{.address = "random_id.a", .action = "create"};
  ASSERT_FALSE(backend_->WritePending("prod", SerializePending({{create.address, create}})).HasErrors());

  Diagnostics diags = backend_->DeleteWorkspace("prod");
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();

  std::vector<std::string> expected = {"web/state.json"};
  if (lock() == LockKind::kS3Object) expected.push_back("web/state.json.md5");
  EXPECT_EQ(BucketKeys(), expected);
  EXPECT_EQ(RecordedDigest("env:/prod/web/state.json"), "");
  std::vector<std::string> names;
  ASSERT_FALSE(backend_->ListWorkspaces(&names).HasErrors());
  EXPECT_EQ(names, std::vector<std::string>{"default"});
}

TEST_P(S3BackendStateTest, EncryptWritesEveryObjectWithSseS3) {
  Bootstrap();
  Value block = BackendBlock(lock(), endpoint_);
  block.Set("encrypt", Value::Bool(true));
  Diagnostics diags;
  std::unique_ptr<Backend> encrypted = MakeBackend(BackendConfig{"s3", block, "/nonexistent"}, &diags);
  ASSERT_NE(encrypted, nullptr) << diags.ToString();
  ASSERT_FALSE(encrypted->WriteState("default", StateAt("99999999-9999-4999-8999-999999999999", 1)).HasErrors());
  nlohmann::json head = AwsCliJson(endpoint_, {"s3api", "head-object", "--bucket", kBucket, "--key", kKey});
  EXPECT_EQ(head["ServerSideEncryption"], "AES256");
}

TEST_P(S3BackendStateTest, TheBackendSignsWithItsOwnProfileNotTheEnvironment) {
  Bootstrap();
  // Given valid credentials in the environment, and a credentials file with the profile "state-account"
  reconcile::testing::TempDir tmp;
  setenv("AWS_SHARED_CREDENTIALS_FILE",
         tmp.Write("credentials", "[state-account]\naws_access_key_id = AKIASTATEACCOUNT\n"
                                  "aws_secret_access_key = state-secret\n").c_str(), 1);
  setenv("AWS_CONFIG_FILE", tmp.Write("config", "").c_str(), 1);
  auto backend_with_profile = [&](const std::string& profile) {
    Value block = BackendBlock(lock(), endpoint_);
    block.Set("profile", Value::String(profile));
    Diagnostics diags;
    std::unique_ptr<Backend> backend = MakeBackend(BackendConfig{"s3", block, "/nonexistent"}, &diags);
    EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
    return backend;
  };
  // When the block names that profile / Then it works
  Diagnostics ok = backend_with_profile("state-account")->WriteState("default", StateAt("abababab-abab-4bab-8bab-abababababab", 1));
  // When it names a profile that does not exist / Then it fails although the environment has credentials
  Diagnostics missing = backend_with_profile("no-such-profile")->Check();
  unsetenv("AWS_SHARED_CREDENTIALS_FILE");
  unsetenv("AWS_CONFIG_FILE");
  EXPECT_FALSE(ok.HasErrors()) << ok.ToString();
  ASSERT_TRUE(missing.HasErrors());
  EXPECT_THAT(missing.ToString(), HasSubstr("no-such-profile"));
}

INSTANTIATE_TEST_SUITE_P(Locks, S3BackendStateTest, ::testing::Values(LockKind::kDynamoDb, LockKind::kS3Object),
                         LockKindName);

}  // namespace
}  // namespace reconcile::s3::testing
