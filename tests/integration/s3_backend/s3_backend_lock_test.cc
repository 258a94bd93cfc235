// The S3 backend's locks against moto, taken from separate processes: a held
// lock names its holder, --lock-timeout waits, force-unlock, a wrong ID cannot
// unlock. Every test runs with the DynamoDB lock and with lock = "s3".
#include <thread>

#include <gmock/gmock.h>

#include "s3_backend_fixture.h"
#include "support/temp_dir.h"

namespace reconcile::s3::testing {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class S3BackendLockTest : public S3BackendTest {
 protected:
  void SetUp() override {
    S3BackendTest::SetUp();
    if (!HasFatalFailure()) Bootstrap();
  }

  // The LockInfo stored in the lock entry of `path`, read through the aws CLI.
  LockInfo StoredLock(const std::string& path) const {
    std::string json;
    if (lock() == LockKind::kDynamoDb) {
      nlohmann::json key = {{"LockID", {{"S", std::string(kBucket) + "/" + path}}}};
      nlohmann::json got = AwsCliJson(endpoint_, {"dynamodb", "get-item", "--table-name", kTable, "--key",
                                                  key.dump(), "--consistent-read"});
      if (got.is_object() && got.contains("Item")) json = got["Item"]["Info"]["S"].get<std::string>();
    } else {
      reconcile::testing::TempDir tmp;
      std::string out;
      if (RunAwsCli(endpoint_, {"s3api", "get-object", "--bucket", kBucket, "--key", path + ".lock",
                                tmp.path() + "/lock"}, &out) == 0)
        json = tmp.Read("lock");
    }
    LockInfo info;
    if (!json.empty()) {
      EXPECT_TRUE(LockInfo::FromJson(json, &info)) << json;
    }
    return info;
  }
};

TEST_P(S3BackendLockTest, ALockHeldByAnotherProcessNamesItsHolder) {
  // Given another process holds the lock of prod
  LockHolderProcess holder(lock(), endpoint_, "prod");
  ASSERT_EQ(holder.lock_id().size(), 36u) << holder.lock_id();

  // Then the lock entry is Terraform's: Info JSON with ID, Operation, Who, Path
  LockInfo stored = StoredLock("env:/prod/web/state.json");
  EXPECT_EQ(stored.id, holder.lock_id());
  EXPECT_EQ(stored.operation, "apply");
  EXPECT_EQ(stored.who, "child@test");
  EXPECT_EQ(stored.path, "acme-state/env:/prod/web/state.json");
  EXPECT_EQ(stored.created.size(), 20u);

  // When we ask for it without waiting / Then it fails at once naming who, what, since when and the ID
  LockInfo info;
  info.operation = "plan";
  Diagnostics diags = backend_->Lock("prod", info, milliseconds(0));
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags[0].summary, "state is locked");
  EXPECT_THAT(diags[0].detail, StartsWith("workspace \"prod\" is locked by another run: ID: " + holder.lock_id() +
                                          ", Operation: apply, Who: child@test, Created: " + stored.created + ".\n"));
  EXPECT_THAT(diags[0].detail, HasSubstr("`reconcile force-unlock " + holder.lock_id() + "`"));

  // And another workspace is locked separately
  LockInfo other;
  EXPECT_FALSE(backend_->Lock("default", other, milliseconds(0)).HasErrors());
}

TEST_P(S3BackendLockTest, LockTimeoutWaitsUntilTheHolderUnlocks) {
  LockHolderProcess holder(lock(), endpoint_, "default");
  ASSERT_EQ(holder.lock_id().size(), 36u) << holder.lock_id();
  LockInfo info;
  ASSERT_TRUE(backend_->Lock("default", info, milliseconds(0)).HasErrors());

  // When we wait up to a minute while the holder finishes
  Diagnostics diags;
  LockInfo waited;
  waited.operation = "apply";
  std::thread waiter([&] { diags = backend_->Lock("default", waited, milliseconds(60000)); });
  std::this_thread::sleep_for(milliseconds(500));  // let the waiter find the lock held
  holder.Unlock();
  waiter.join();

  // Then we hold the lock
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(StoredLock(kKey).id, waited.id);
  EXPECT_NE(waited.id, holder.lock_id());
  EXPECT_FALSE(backend_->Unlock("default", waited.id).HasErrors());
  EXPECT_EQ(StoredLock(kKey).id, "");
}

TEST_P(S3BackendLockTest, LockTimeoutGivesUpWhileTheHolderKeepsIt) {
  LockHolderProcess holder(lock(), endpoint_, "default");
  ASSERT_EQ(holder.lock_id().size(), 36u) << holder.lock_id();
  LockInfo info;
  Diagnostics diags = backend_->Lock("default", info, milliseconds(700));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "state is locked");
  EXPECT_THAT(diags[0].detail, HasSubstr(" (waited "));
}

TEST_P(S3BackendLockTest, ForceUnlockRemovesTheLockOfARunThatDied) {
  // Given a run that took the lock and died without unlocking
  LockHolderProcess holder(lock(), endpoint_, "default");
  std::string dead_id = holder.lock_id();
  ASSERT_EQ(dead_id.size(), 36u) << dead_id;
  holder.ExitWithoutUnlocking();
  LockInfo info;
  ASSERT_TRUE(backend_->Lock("default", info, milliseconds(0)).HasErrors());

  // When force-unlocking with another ID / Then it is refused and the lock stays
  Diagnostics diags = backend_->ForceUnlock("default", "not-the-id");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot force-unlock workspace \"default\": lock ID not-the-id does not match");
  EXPECT_THAT(diags[0].detail, StartsWith("the lock is held by ID: " + dead_id + ", Operation: apply, Who: child@test"));
  EXPECT_EQ(StoredLock(kKey).id, dead_id);

  // When force-unlocking with its ID / Then the lock is gone and we can take it
  diags = backend_->ForceUnlock("default", dead_id);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(StoredLock(kKey).id, "");
  EXPECT_FALSE(backend_->Lock("default", info, milliseconds(0)).HasErrors());

  // And force-unlocking what is not locked says so
  diags = NewBackend()->ForceUnlock("prod", dead_id);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot force-unlock workspace \"prod\": it is not locked");
}

TEST_P(S3BackendLockTest, TheWrongIdCannotUnlock) {
  LockInfo held;
  ASSERT_FALSE(backend_->Lock("default", held, milliseconds(0)).HasErrors());

  Diagnostics diags = backend_->Unlock("default", "wrong-id");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot unlock workspace \"default\": lock ID wrong-id does not match");
  EXPECT_EQ(diags[0].detail, "the lock is held by " + held.Describe());

  // The lock is still held: another process cannot take it
  LockHolderProcess other(lock(), endpoint_, "default");
  EXPECT_THAT(other.lock_id(), StartsWith("ERROR: "));
  EXPECT_THAT(other.lock_id(), HasSubstr("ID: " + held.id));

  EXPECT_FALSE(backend_->Unlock("default", held.id).HasErrors());
  diags = backend_->Unlock("default", held.id);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot unlock workspace \"default\": it is not locked");
}

TEST_P(S3BackendLockTest, DeletingALockedWorkspaceIsRefused) {
  ASSERT_FALSE(backend_->WriteState("prod", StateAt("12121212-1212-4121-8121-121212121212", 1)).HasErrors());
  LockHolderProcess holder(lock(), endpoint_, "prod");
  ASSERT_EQ(holder.lock_id().size(), 36u) << holder.lock_id();
  Diagnostics diags = backend_->DeleteWorkspace("prod");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot delete workspace \"prod\": its state is locked");
  std::optional<std::string> read;
  ASSERT_FALSE(backend_->ReadState("prod", &read).HasErrors());
  EXPECT_TRUE(read.has_value());
}

TEST_P(S3BackendLockTest, OnlyOneOfManyProcessesGetsTheLock) {
  // Given six processes asking for the same lock at once
  std::vector<std::unique_ptr<LockHolderProcess>> racers;
  for (int i = 0; i < 6; ++i) racers.push_back(std::make_unique<LockHolderProcess>(lock(), endpoint_, "default"));
  // Then exactly one holds it and the others were told who
  int winners = 0;
  std::string winner_id;
  for (auto& racer : racers) {
    if (racer->lock_id().starts_with("ERROR: ")) continue;
    ++winners;
    winner_id = racer->lock_id();
  }
  ASSERT_EQ(winners, 1);
  for (auto& racer : racers) {
    if (racer->lock_id() != winner_id) {
      EXPECT_THAT(racer->lock_id(), HasSubstr("ID: " + winner_id));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Locks, S3BackendLockTest, ::testing::Values(LockKind::kDynamoDb, LockKind::kS3Object),
                         LockKindName);

}  // namespace
}  // namespace reconcile::s3::testing
