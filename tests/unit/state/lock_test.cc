#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "reconcile/backend.h"
#include "support/temp_dir.h"

namespace reconcile {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using testing::TempDir;

// Takes the lock of `workspace` in a child process and holds it until told to
// unlock ('u') or to exit without unlocking ('x'), as a crashed run would.
class LockHolderProcess {
 public:
  LockHolderProcess(const std::string& dir, const std::string& workspace) {
    int ready[2];
    int command[2];
    EXPECT_EQ(::pipe(ready), 0);
    EXPECT_EQ(::pipe(command), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(ready[0]);
      ::close(command[1]);
      RunChild(dir, workspace, ready[1], command[0]);
    }
    ::close(ready[1]);
    ::close(command[0]);
    command_fd_ = command[1];
    char buf[128] = {};
    ssize_t n = ::read(ready[0], buf, sizeof buf - 1);
    ::close(ready[0]);
    id_ = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
  }
  ~LockHolderProcess() {
    if (pid_ > 0) Tell('x');
  }

  const std::string& lock_id() const { return id_; }
  void Unlock() { Tell('u'); }
  void ExitWithoutUnlocking() { Tell('x'); }

 private:
  [[noreturn]] static void RunChild(const std::string& dir, const std::string& workspace, int ready, int command) {
    std::unique_ptr<Backend> backend = MakeLocalBackend(dir);
    LockInfo info;
    info.operation = "apply";
    info.who = "child@test";
    Diagnostics diags = backend->Lock(workspace, info, milliseconds(0));
    std::string reply = diags.HasErrors() ? "ERROR" : info.id;
    (void)!::write(ready, reply.data(), reply.size());
    char c = 'x';
    (void)!::read(command, &c, 1);
    if (c == 'u') backend->Unlock(workspace, info.id);
    ::_exit(0);  // no destructors: 'x' leaves the lock file as a crash would
  }

  void Tell(char c) {
    (void)!::write(command_fd_, &c, 1);
    ::close(command_fd_);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  pid_t pid_ = -1;
  int command_fd_ = -1;
  std::string id_;
};

class LockTest : public ::testing::Test {
 protected:
  std::string LockPath() const { return dir_ + "/default.lock"; }

  TempDir tmp_;
  std::string dir_ = tmp_.path() + "/state";
};

TEST_F(LockTest, ASecondBackendIsToldWhoHoldsTheLock) {
  // Given one backend holds the lock
  std::unique_ptr<Backend> first = MakeLocalBackend(dir_);
  std::unique_ptr<Backend> second = MakeLocalBackend(dir_);
  LockInfo held;
  held.operation = "apply";
  held.who = "alice@laptop";
  ASSERT_FALSE(first->Lock("default", held, milliseconds(0)).HasErrors());
  EXPECT_EQ(held.id.size(), 36u);
  EXPECT_EQ(held.path, dir_ + "/default.json");
  EXPECT_EQ(held.created.size(), 20u);
  EXPECT_EQ(tmp_.Read("state/default.lock"), held.ToJson());

  // When another asks for it without waiting / Then it fails at once naming the holder
  LockInfo wanted;
  Diagnostics diags = second->Lock("default", wanted, milliseconds(0));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "state is locked");
  EXPECT_EQ(diags[0].detail, "workspace \"default\" is locked by another run: ID: " + held.id +
                                 ", Operation: apply, Who: alice@laptop, Created: " + held.created +
                                 ".\nWait for that run to finish, or give a --lock-timeout to wait for it.");

  // When the holder unlocks / Then the lock file is gone and the other can lock
  ASSERT_FALSE(first->Unlock("default", held.id).HasErrors());
  EXPECT_FALSE(fs::exists(LockPath()));
  EXPECT_FALSE(second->Lock("default", wanted, milliseconds(0)).HasErrors());
  EXPECT_NE(wanted.id, held.id);
}

TEST_F(LockTest, WorkspacesAreLockedSeparately) {
  std::unique_ptr<Backend> first = MakeLocalBackend(dir_);
  std::unique_ptr<Backend> second = MakeLocalBackend(dir_);
  LockInfo a;
  LockInfo b;
  ASSERT_FALSE(first->Lock("default", a, milliseconds(0)).HasErrors());
  EXPECT_FALSE(second->Lock("prod", b, milliseconds(0)).HasErrors());
}

TEST_F(LockTest, AnotherProcessHoldingTheLockIsNamed) {
  LockHolderProcess holder(dir_, "default");
  ASSERT_EQ(holder.lock_id().size(), 36u) << holder.lock_id();
  std::unique_ptr<Backend> backend = MakeLocalBackend(dir_);
  LockInfo info;
  Diagnostics diags = backend->Lock("default", info, milliseconds(0));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "state is locked");
  EXPECT_NE(diags[0].detail.find("ID: " + holder.lock_id() + ", Operation: apply, Who: child@test, Created: "),
            std::string::npos)
      << diags[0].detail;
}

TEST_F(LockTest, TimeoutExpiresWhileTheHolderKeepsTheLock) {
  LockHolderProcess holder(dir_, "default");
  std::unique_ptr<Backend> backend = MakeLocalBackend(dir_);
  LockInfo info;
  Diagnostics diags = backend->Lock("default", info, milliseconds(300));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "state is locked");
  EXPECT_NE(diags[0].detail.find("(waited "), std::string::npos) << diags[0].detail;
}

TEST_F(LockTest, TimeoutWaitsUntilTheHolderUnlocks) {
  // Given another process holds the lock
  LockHolderProcess holder(dir_, "default");
  std::unique_ptr<Backend> backend = MakeLocalBackend(dir_);
  // When we wait up to a minute while the holder finishes
  Diagnostics diags;
  LockInfo info;
  std::thread waiter([&] { diags = backend->Lock("default", info, milliseconds(60000)); });
  std::this_thread::sleep_for(milliseconds(200));  // let the waiter find the lock held
  holder.Unlock();
  waiter.join();
  // Then we get the lock
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(info.id.size(), 36u);
  EXPECT_NE(info.id, holder.lock_id());
}

TEST_F(LockTest, TheWrongIdCannotUnlock) {
  std::unique_ptr<Backend> first = MakeLocalBackend(dir_);
  std::unique_ptr<Backend> second = MakeLocalBackend(dir_);
  LockInfo held;
  ASSERT_FALSE(first->Lock("default", held, milliseconds(0)).HasErrors());

  Diagnostics diags = first->Unlock("default", "wrong-id");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot unlock workspace \"default\": lock ID wrong-id does not match");
  EXPECT_EQ(diags[0].detail, "the lock is held with ID " + held.id);

  diags = second->Unlock("default", held.id);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot unlock workspace \"default\": this run does not hold its lock");
  EXPECT_EQ(diags[0].detail, "it is locked by " + held.Describe());

  diags = second->ForceUnlock("default", "wrong-id");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot force-unlock workspace \"default\": lock ID wrong-id does not match");

  LockInfo wanted;
  EXPECT_TRUE(second->Lock("default", wanted, milliseconds(0)).HasErrors());  // still held
}

TEST_F(LockTest, ForceUnlockRefusesWhileTheHolderRuns) {
  LockHolderProcess holder(dir_, "default");
  std::unique_ptr<Backend> backend = MakeLocalBackend(dir_);
  Diagnostics diags = backend->ForceUnlock("default", holder.lock_id());
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary,
            "cannot force-unlock workspace \"default\": the run holding the lock is still running");
  LockInfo info;
  EXPECT_TRUE(backend->Lock("default", info, milliseconds(0)).HasErrors());
}

TEST_F(LockTest, AHolderThatDiedLeavesNoLockAndForceUnlockClearsItsInfo) {
  // Given a run that took the lock and died without unlocking
  std::string dead_id;
  {
    LockHolderProcess holder(dir_, "default");
    dead_id = holder.lock_id();
    holder.ExitWithoutUnlocking();
  }
  LockInfo left;
  ASSERT_TRUE(LockInfo::FromJson(tmp_.Read("state/default.lock"), &left));
  EXPECT_EQ(left.id, dead_id);
  // When we force-unlock with its ID / Then the lock file is gone
  std::unique_ptr<Backend> backend = MakeLocalBackend(dir_);
  Diagnostics diags = backend->ForceUnlock("default", dead_id);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_FALSE(fs::exists(LockPath()));
  // And a second force-unlock finds nothing to do
  diags = backend->ForceUnlock("default", dead_id);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot force-unlock workspace \"default\": it is not locked");
}

TEST_F(LockTest, AHolderThatDiedDoesNotBlockTheNextRun) {
  {
    LockHolderProcess holder(dir_, "default");
    holder.ExitWithoutUnlocking();
  }
  std::unique_ptr<Backend> backend = MakeLocalBackend(dir_);
  LockInfo info;
  info.operation = "plan";
  ASSERT_FALSE(backend->Lock("default", info, milliseconds(0)).HasErrors());
  EXPECT_EQ(tmp_.Read("state/default.lock"), info.ToJson());
}

TEST_F(LockTest, ForceUnlockReleasesThisBackendsOwnLock) {
  std::unique_ptr<Backend> first = MakeLocalBackend(dir_);
  std::unique_ptr<Backend> second = MakeLocalBackend(dir_);
  LockInfo held;
  ASSERT_FALSE(first->Lock("default", held, milliseconds(0)).HasErrors());
  ASSERT_FALSE(first->ForceUnlock("default", held.id).HasErrors());
  LockInfo wanted;
  EXPECT_FALSE(second->Lock("default", wanted, milliseconds(0)).HasErrors());
}

TEST_F(LockTest, DestroyingTheBackendReleasesItsLocks) {
  std::unique_ptr<Backend> first = MakeLocalBackend(dir_);
  LockInfo held;
  ASSERT_FALSE(first->Lock("default", held, milliseconds(0)).HasErrors());
  first.reset();
  EXPECT_FALSE(fs::exists(LockPath()));
  std::unique_ptr<Backend> second = MakeLocalBackend(dir_);
  LockInfo wanted;
  EXPECT_FALSE(second->Lock("default", wanted, milliseconds(0)).HasErrors());
}

TEST(LockInfo, JsonUsesTerraformFieldNames) {
  LockInfo info{"id-1", "apply", "note", "bob@host", "0.1.0", "2026-11-23T09:30:00Z", "/s/default.json"};
  EXPECT_EQ(info.ToJson(),
            R"({"ID":"id-1","Operation":"apply","Info":"note","Who":"bob@host","Version":"0.1.0",)"
            R"("Created":"2026-11-23T09:30:00Z","Path":"/s/default.json"})");
  LockInfo parsed;
  ASSERT_TRUE(LockInfo::FromJson(info.ToJson(), &parsed));
  EXPECT_EQ(parsed.ToJson(), info.ToJson());
  EXPECT_EQ(info.Describe(), "ID: id-1, Operation: apply, Who: bob@host, Created: 2026-11-23T09:30:00Z, Info: note");
}

TEST(LockInfo, FromJsonRejectsWhatIsNotLockInfo) {
  LockInfo parsed;
  EXPECT_FALSE(LockInfo::FromJson("", &parsed));
  EXPECT_FALSE(LockInfo::FromJson("[1]", &parsed));
  EXPECT_FALSE(LockInfo::FromJson(R"({"ID": 5})", &parsed));
  ASSERT_TRUE(LockInfo::FromJson(R"({"ID": "x", "Extra": 1})", &parsed));
  EXPECT_EQ(parsed.id, "x");
  EXPECT_EQ(parsed.who, "");
}

}  // namespace
}  // namespace reconcile
