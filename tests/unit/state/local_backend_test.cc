#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "reconcile/backend.h"
#include "reconcile/state.h"
#include "support/temp_dir.h"

namespace reconcile {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

StateWrite Document(const std::string& lineage, std::uint64_t serial, const std::string& marker = "") {
  State state;
  state.lineage = lineage;
  state.serial = serial;
  if (!marker.empty()) state.outputs["marker"] = OutputState{Value::String(marker), false};
  return StateWrite{SerializeState(state), lineage, serial};
}

int ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return static_cast<int>(st.st_mode & 0777);
}

class LocalBackendTest : public ::testing::Test {
 protected:
  TempDir tmp_;
  std::string dir_ = tmp_.path() + "/.reconcile/state";
  std::unique_ptr<Backend> backend_ = MakeLocalBackend(dir_);
};

TEST_F(LocalBackendTest, ReadsNothingBeforeTheFirstWrite) {
  std::optional<std::string> document = "sentinel";
  ASSERT_FALSE(backend_->ReadState("default", &document).HasErrors());
  EXPECT_FALSE(document.has_value());
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(LocalBackendTest, WritesTheDocument0600AndKeepsTheBackup) {
  // Given two successive writes
  StateWrite first = Document("L", 1, "first");
  StateWrite second = Document("L", 2, "second");
  ASSERT_FALSE(backend_->WriteState("default", first).HasErrors());
  Diagnostics diags = backend_->WriteState("default", second);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  // Then the state holds the second, the backup the first, both private
  std::optional<std::string> document;
  ASSERT_FALSE(backend_->ReadState("default", &document).HasErrors());
  EXPECT_EQ(document, second.document);
  EXPECT_EQ(tmp_.Read(".reconcile/state/default.json"), second.document);
  EXPECT_EQ(tmp_.Read(".reconcile/state/default.json.backup"), first.document);
  EXPECT_EQ(ModeOf(dir_ + "/default.json"), 0600);
  EXPECT_EQ(ModeOf(dir_), 0700);
  // And no temporary file is left behind
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir_)) files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"default.json", "default.json.backup"}));
}

TEST_F(LocalBackendTest, RefusesAWriteBasedOnAnOlderSerial) {
  ASSERT_FALSE(backend_->WriteState("default", Document("L", 5)).HasErrors());
  Diagnostics diags = backend_->WriteState("default", Document("L", 4));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "refusing to replace the state of workspace \"default\": the stored state is newer");
  EXPECT_EQ(diags[0].detail,
            "stored serial 5 (lineage L) is higher than the written serial 4 (lineage L). Another run changed it "
            "since this one read it; plan again.");
  // The same document again (a write repeated after it landed), or a higher serial, is accepted
  EXPECT_FALSE(backend_->WriteState("default", Document("L", 5)).HasErrors());
  EXPECT_FALSE(backend_->WriteState("default", Document("L", 6)).HasErrors());
}

TEST_F(LocalBackendTest, TwoWritersFromTheSameSerialConflict) {
  // Given two runs that both read serial 4
  ASSERT_FALSE(backend_->WriteState("default", Document("L", 4)).HasErrors());
  std::unique_ptr<Backend> other = MakeLocalBackend(dir_);
  std::optional<std::string> read;
  ASSERT_FALSE(other->ReadState("default", &read).HasErrors());
  // When both write serial 5, each its own document
  ASSERT_FALSE(backend_->WriteState("default", Document("L", 5, "first")).HasErrors());
  Diagnostics diags = other->WriteState("default", Document("L", 5, "second"));
  // Then the second is refused and the first one's state stays
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "refusing to replace the state of workspace \"default\": the stored state is newer");
  EXPECT_EQ(diags[0].detail,
            "stored serial 5 (lineage L) is another document with the serial being written: another run wrote "
            "serial 5 since this one read serial 4. Plan again.");
  EXPECT_EQ(tmp_.Read(".reconcile/state/default.json"), Document("L", 5, "first").document);
}

TEST_F(LocalBackendTest, RefusesAWriteOfAnotherLineage) {
  ASSERT_FALSE(backend_->WriteState("default", Document("lineage-a", 1)).HasErrors());
  Diagnostics diags = backend_->WriteState("default", Document("lineage-b", 9));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary,
            "refusing to replace the state of workspace \"default\": it has another lineage");
  EXPECT_NE(diags[0].detail.find("stored lineage lineage-a (serial 1), written lineage lineage-b (serial 9)"),
            std::string::npos)
      << diags[0].detail;
  EXPECT_EQ(tmp_.Read(".reconcile/state/default.json"), Document("lineage-a", 1).document);
}

TEST_F(LocalBackendTest, NoticesAWriteByAnotherBackendSinceItsOwn) {
  // Given this backend wrote serial 1 and another one (another process) then wrote serial 3
  ASSERT_FALSE(backend_->WriteState("default", Document("L", 1)).HasErrors());
  std::unique_ptr<Backend> other = MakeLocalBackend(dir_);
  ASSERT_FALSE(other->WriteState("default", Document("L", 3)).HasErrors());
  // When this backend writes serial 2 / Then it is refused: the file changed under it
  Diagnostics diags = backend_->WriteState("default", Document("L", 2));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "refusing to replace the state of workspace \"default\": the stored state is newer");
}

TEST_F(LocalBackendTest, RefusesToReplaceADamagedStateFile) {
  tmp_.Write(".reconcile/state/default.json", "{ not json");
  Diagnostics diags = backend_->WriteState("default", Document("L", 1));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot check the stored state " + dir_ + "/default.json before replacing it");
  EXPECT_EQ(tmp_.Read(".reconcile/state/default.json"), "{ not json");
}

TEST_F(LocalBackendTest, PendingJournalIsWrittenAndRemovedWhenEmpty) {
  std::map<std::string, PendingOperation> pending;
  pending["aws_vpc.main"] = PendingOperation{"aws_vpc.main", "aws_vpc", "aws", "create", "2026-11-23T09:30:00Z",
                                             "tok", Value::Map({{"id", Value::Unknown()}}), Value()};
  std::string journal = SerializePending(pending);
  ASSERT_FALSE(backend_->WritePending("dev", journal).HasErrors());
  EXPECT_EQ(ModeOf(dir_ + "/dev.pending.json"), 0600);
  std::optional<std::string> read;
  ASSERT_FALSE(backend_->ReadPending("dev", &read).HasErrors());
  EXPECT_EQ(read, journal);

  ASSERT_FALSE(backend_->WritePending("dev", SerializePending({})).HasErrors());
  EXPECT_FALSE(fs::exists(dir_ + "/dev.pending.json"));
  ASSERT_FALSE(backend_->ReadPending("dev", &read).HasErrors());
  EXPECT_FALSE(read.has_value());
}

TEST_F(LocalBackendTest, RefusesAMalformedJournal) {
  Diagnostics diags = backend_->WritePending("dev", "[1, 2]");
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_EQ(diags[0].summary, "pending-operation journal: top level: expected an object, found a list");
  EXPECT_FALSE(fs::exists(dir_ + "/dev.pending.json"));
}

TEST_F(LocalBackendTest, ListsWorkspacesFromTheFilesPresent) {
  std::vector<std::string> names;
  ASSERT_FALSE(backend_->ListWorkspaces(&names).HasErrors());
  EXPECT_EQ(names, std::vector<std::string>{"default"});

  ASSERT_FALSE(backend_->WriteState("prod", Document("P", 1)).HasErrors());
  ASSERT_FALSE(backend_->WriteState("prod", Document("P", 2)).HasErrors());  // leaves a backup
  ASSERT_FALSE(backend_->WriteState("dev.eu", Document("D", 1)).HasErrors());
  std::map<std::string, PendingOperation> pending = {{"a.b", PendingOperation{"a.b", "a", "a", "create", "", "", {}, {}}}};
  ASSERT_FALSE(backend_->WritePending("staging", SerializePending(pending)).HasErrors());
  LockInfo lock;
  ASSERT_FALSE(backend_->Lock("locked-only", lock, {}).HasErrors());

  ASSERT_FALSE(backend_->ListWorkspaces(&names).HasErrors());
  EXPECT_EQ(names, (std::vector<std::string>{"default", "dev.eu", "prod", "staging"}));
  ASSERT_FALSE(backend_->Unlock("locked-only", lock.id).HasErrors());
}

TEST_F(LocalBackendTest, DeleteWorkspaceRemovesEveryFile) {
  ASSERT_FALSE(backend_->WriteState("dev", Document("D", 1)).HasErrors());
  ASSERT_FALSE(backend_->WriteState("dev", Document("D", 2)).HasErrors());
  std::map<std::string, PendingOperation> pending = {{"a.b", PendingOperation{"a.b", "a", "a", "create", "", "", {}, {}}}};
  ASSERT_FALSE(backend_->WritePending("dev", SerializePending(pending)).HasErrors());
  ASSERT_FALSE(backend_->WriteState("prod", Document("P", 1)).HasErrors());

  Diagnostics diags = backend_->DeleteWorkspace("dev");
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir_)) files.push_back(entry.path().filename().string());
  EXPECT_EQ(files, std::vector<std::string>{"prod.json"});
  std::vector<std::string> names;
  ASSERT_FALSE(backend_->ListWorkspaces(&names).HasErrors());
  EXPECT_EQ(names, (std::vector<std::string>{"default", "prod"}));
  // A workspace deleted and made again starts a new lineage without complaint.
  EXPECT_FALSE(backend_->WriteState("dev", Document("D2", 1)).HasErrors());
}

TEST_F(LocalBackendTest, DeleteRefusesALockedWorkspace) {
  ASSERT_FALSE(backend_->WriteState("dev", Document("D", 1)).HasErrors());
  std::unique_ptr<Backend> other = MakeLocalBackend(dir_);
  LockInfo lock;
  lock.operation = "apply";
  ASSERT_FALSE(other->Lock("dev", lock, {}).HasErrors());
  Diagnostics diags = backend_->DeleteWorkspace("dev");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot delete workspace \"dev\": its state is locked");
  EXPECT_EQ(diags[0].detail, "held by " + lock.Describe());
  EXPECT_TRUE(fs::exists(dir_ + "/dev.json"));
}

TEST_F(LocalBackendTest, RejectsWorkspaceNamesThatAreNotFileNames) {
  for (const char* name : {"", "../x", "a/b", ".hidden", "x.pending", "sp ace"}) {
    std::optional<std::string> document;
    Diagnostics diags = backend_->ReadState(name, &document);
    ASSERT_EQ(diags.size(), 1u) << name;
    EXPECT_EQ(diags[0].summary, std::string("invalid workspace name \"") + name + "\"");
  }
}

}  // namespace
}  // namespace reconcile
