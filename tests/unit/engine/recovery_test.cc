// Never take, lose or duplicate a resource: client tokens kept in the
// journal, creates and deletes whose outcome is unknown, replacements
// interrupted at every step, and journal entries that leave only once a state
// write recorded them.
#include <sys/stat.h>

#include <filesystem>

#include "engine_fixture.h"
#include "faulty_backend.h"

namespace reconcile::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kThing = "[resource.fake_thing.a]\nname = \"a\"\n";

class RecoveryTest : public EngineTest {
 protected:
  std::string StateDir() const { return dir_.path() + "/.reconcile/state"; }

  // The pending-operation journal on disk (empty when there is none).
  std::map<std::string, PendingOperation> Journal() {
    std::map<std::string, PendingOperation> pending;
    std::string text = dir_.Read(".reconcile/state/default.pending.json");
    if (!text.empty()) {
      EXPECT_FALSE(ParsePending(text, &pending).HasErrors());
    }
    return pending;
  }

  // Every file of the local backend, by name: what a kill leaves on disk.
  std::map<std::string, std::string> StateFiles() const {
    std::map<std::string, std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(StateDir(), ec)) {
      std::string name = entry.path().filename().string();
      if (name.find(".tmp") == std::string::npos) files[name] = dir_.Read(".reconcile/state/" + name);
    }
    return files;
  }

  void RestoreStateFiles(const std::map<std::string, std::string>& files) {
    fs::remove_all(StateDir());
    for (const auto& [name, content] : files) dir_.Write(".reconcile/state/" + name, content);
  }

  // Objects in the cloud owned by `address`.
  std::vector<Value> Owned(const std::string& address) const {
    std::vector<Value> out;
    for (const auto& [id, object] : cloud_->Objects())
      if (object.Find("owner")->AsString() == address) out.push_back(object);
    return out;
  }

  // Exactly one object of `address` exists, named `name`, and the state
  // records it (current, nothing deposed), with nothing left pending.
  void ExpectExactlyOneRecorded(const std::string& address, const std::string& name) {
    std::vector<Value> owned = Owned(address);
    ASSERT_EQ(owned.size(), 1u) << "objects of " << address;
    EXPECT_EQ(owned[0].Find("name")->AsString(), name);
    State state = ReadState();
    ASSERT_EQ(state.resources.count(address), 1u);
    EXPECT_EQ(ObjectId(state.resources.at(address).attributes), ObjectId(owned[0]));
    EXPECT_TRUE(state.resources.at(address).deposed.empty());
    EXPECT_TRUE(Journal().empty());
  }

  std::shared_ptr<FaultyBackend> UseFaultyBackend() {
    auto backend = std::make_shared<FaultyBackend>(MakeLocalBackend(StateDir()));
    backend_ = backend;
    return backend;
  }

  Diagnostics ApplyExpectingFailure() {
    Plan plan;
    ApplySummary summary;
    Diagnostics diags = Open()->PlanAndApply({}, {}, &plan, &summary);
    EXPECT_TRUE(diags.HasErrors()) << "the apply was expected to fail";
    return diags;
  }

  // Applies `after` over `before` once to learn the provider calls it makes,
  // then, for every step of them, starts again from `before` and takes that
  // step as the moment of a kill -9: the state files and the cloud are put
  // back as they were then, and the next apply must end with exactly one
  // object of fake_thing.a, named "v2" and recorded, and a plan with nothing
  // to do.
  void KillAtEveryStepOfTheReplacement(const std::string& before, const std::string& after) {
    auto start_over = [&] {
      fs::remove_all(dir_.path() + "/.reconcile");
      cloud_->Restore({});
      Stack(before);
      MustApply();
      Stack(after);
    };
    start_over();
    std::vector<std::string> steps;
    cloud_->on_step = [&](const std::string& step) { steps.push_back(step); };
    MustApply();
    cloud_->on_step = nullptr;
    ASSERT_EQ(steps.size(), 4u);  // before/after the create and the delete
    for (const std::string& kill : steps) {
      SCOPED_TRACE("killed at \"" + kill + "\"");
      start_over();
      std::map<std::string, std::string> files;
      FakeCloud::Contents contents;
      bool taken = false;
      cloud_->on_step = [&](const std::string& step) {
        if (step != kill || taken) return;
        files = StateFiles();
        contents = cloud_->Snapshot();
        taken = true;
      };
      MustApply();
      cloud_->on_step = nullptr;
      ASSERT_TRUE(taken);
      RestoreStateFiles(files);
      cloud_->Restore(contents);

      MustApply();
      ExpectExactlyOneRecorded("fake_thing.a", "v2");
      EXPECT_FALSE(MustPlan().HasChanges());
    }
  }
};

constexpr const char* kV1CreateFirst =
    "[resource.fake_thing.a]\nname = \"v1\"\nlifecycle = { create_before_destroy = true }\n";
constexpr const char* kV2CreateFirst =
    "[resource.fake_thing.a]\nname = \"v2\"\nlifecycle = { create_before_destroy = true }\n";
constexpr const char* kV1 = "[resource.fake_thing.a]\nname = \"v1\"\n";
constexpr const char* kV2 = "[resource.fake_thing.a]\nname = \"v2\"\n";

// ---- client tokens ----------------------------------------------------------------

TEST_F(RecoveryTest, AClientTokenIsANonceFixedInTheJournalAndReusedByTheNextRun) {
  // Given a create that makes its object but fails with an unknown outcome,
  // and lookups that cannot see the object yet (an eventually consistent API)
  Stack(kThing);
  cloud_->UnknownOutcomeOn("fake_thing.a", /*took_effect=*/true);
  cloud_->lookups_find_nothing = true;
  ApplyExpectingFailure();

  // Then its journal entry stays, marked, holding the token the call was sent
  std::map<std::string, PendingOperation> pending = Journal();
  ASSERT_EQ(pending.count("fake_thing.a"), 1u);
  const PendingOperation entry = pending.at("fake_thing.a");
  EXPECT_TRUE(entry.outcome_unknown);
  ASSERT_EQ(cloud_->CreateTokens().size(), 1u);
  EXPECT_EQ(entry.client_token, cloud_->CreateTokens()[0]);
  EXPECT_EQ(entry.client_token.size(), 36u);  // a random UUID, not lineage:serial:address
  EXPECT_EQ(entry.client_token.find("fake_thing.a"), std::string::npos);

  // When the next run applies (the lookup still finds nothing)
  cloud_->ClearFailures();
  MustApply();

  // Then its create is a retry sending the same token, so no second object is made
  EXPECT_EQ(cloud_->CreateTokens(), (std::vector<std::string>{entry.client_token, entry.client_token}));
  ExpectExactlyOneRecorded("fake_thing.a", "a");
}

TEST_F(RecoveryTest, ACreateOfAnotherPlannedStateIsNotARetryAndGetsANewToken) {
  // Given a create left pending with an unknown outcome that made nothing
  Stack(kThing);
  cloud_->UnknownOutcomeOn("fake_thing.a", /*took_effect=*/false);
  ApplyExpectingFailure();
  std::string first = Journal().at("fake_thing.a").client_token;
  // When the configuration changes what the create asks for, and it applies
  cloud_->ClearFailures();
  Stack("[resource.fake_thing.a]\nname = \"b\"\n");
  MustApply();
  // Then the create is a new operation with a new token
  ASSERT_EQ(cloud_->CreateTokens().size(), 2u);
  EXPECT_NE(cloud_->CreateTokens()[1], first);
  ExpectExactlyOneRecorded("fake_thing.a", "b");
}

// ---- unknown outcomes ----------------------------------------------------------------

TEST_F(RecoveryTest, ACreateWithAnUnknownOutcomeIsLookedUpAndAdoptedByTheNextPlan) {
  // Given a create that made its object but answered with an unknown outcome
  Stack(kThing);
  cloud_->UnknownOutcomeOn("fake_thing.a", /*took_effect=*/true);
  Diagnostics failed = ApplyExpectingFailure();
  EXPECT_NE(failed.ToString().find("The create of fake_thing.a may have taken effect"), std::string::npos)
      << failed.ToString();
  EXPECT_TRUE(ReadState().resources.empty());
  cloud_->ClearFailures();

  // When planning
  Plan plan = MustPlan();

  // Then the plan lists it as an unknown outcome, and finds the object: nothing to create
  ASSERT_EQ(plan.pending.size(), 1u);
  EXPECT_TRUE(plan.pending[0].outcome_unknown);
  EXPECT_EQ(Find(plan, "fake_thing.a")->action, Action::kNoOp);
  std::string shown = RenderPlan(plan, {});
  EXPECT_NE(shown.find("  # fake_thing.a: create started " + plan.pending[0].started +
                       " and failed without saying whether it took effect\n"),
            std::string::npos)
      << shown;

  // And the apply records the object without creating another
  MustApply();
  EXPECT_EQ(cloud_->creates, 1);
  ExpectExactlyOneRecorded("fake_thing.a", "a");
}

TEST_F(RecoveryTest, RefreshClearsACreateWithAnUnknownOutcomeThatMadeNothing) {
  Stack(kThing);
  cloud_->UnknownOutcomeOn("fake_thing.a", /*took_effect=*/false);
  ApplyExpectingFailure();
  ASSERT_EQ(Journal().size(), 1u);
  cloud_->ClearFailures();

  Diagnostics diags = Open()->Refresh();

  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_TRUE(Journal().empty());
  EXPECT_TRUE(ReadState().resources.empty());
  EXPECT_EQ(cloud_->size(), 0u);
}

TEST_F(RecoveryTest, ADeleteWithAnUnknownOutcomeIsSettledByReadingTheObjectBack) {
  for (bool took_effect : {true, false}) {
    SCOPED_TRACE(took_effect ? "the delete happened" : "the delete did not happen");
    fs::remove_all(dir_.path() + "/.reconcile");
    cloud_->Restore({});
    cloud_->deletes = 0;
    // Given a delete that answered with an unknown outcome
    Stack(std::string(kThing) + "[resource.fake_thing.b]\nname = \"b\"\n");
    MustApply();
    Stack(kThing);
    cloud_->UnknownOutcomeOn("fake_thing.b", took_effect);
    ApplyExpectingFailure();
    // Then the object stays recorded and its entry stays, marked
    EXPECT_EQ(ReadState().resources.count("fake_thing.b"), 1u);
    ASSERT_EQ(Journal().count("fake_thing.b"), 1u);
    EXPECT_TRUE(Journal().at("fake_thing.b").outcome_unknown);
    cloud_->ClearFailures();

    // When the next apply runs
    MustApply();

    // Then a delete that happened is recorded without another call; one that did not is made
    EXPECT_EQ(cloud_->deletes, took_effect ? 1 : 2);
    EXPECT_TRUE(Owned("fake_thing.b").empty());
    EXPECT_EQ(ReadState().resources.count("fake_thing.b"), 0u);
    ExpectExactlyOneRecorded("fake_thing.a", "a");
  }
}

// ---- replacements -------------------------------------------------------------------

TEST_F(RecoveryTest, CreateBeforeDestroyKilledAtAnyStepEndsWithOneObject) {
  KillAtEveryStepOfTheReplacement(kV1CreateFirst, kV2CreateFirst);
}

TEST_F(RecoveryTest, CreateBeforeDestroyKilledAtAnyStepEndsWithOneObjectWhenStateIsWrittenLate) {
  // The writer thread never gets to write during the apply (S3's one-second
  // interval at its worst): only the writes the journal forces happen.
  UseFaultyBackend()->min_write_interval = std::chrono::hours(24 * 365);
  KillAtEveryStepOfTheReplacement(kV1CreateFirst, kV2CreateFirst);
}

TEST_F(RecoveryTest, DestroyThenCreateKilledAtAnyStepEndsWithOneObject) {
  KillAtEveryStepOfTheReplacement(kV1, kV2);
}

TEST_F(RecoveryTest, DestroyThenCreateKilledAtAnyStepEndsWithOneObjectWhenStateIsWrittenLate) {
  UseFaultyBackend()->min_write_interval = std::chrono::hours(24 * 365);
  KillAtEveryStepOfTheReplacement(kV1, kV2);
}

TEST_F(RecoveryTest, AReplacementWhoseCreateHasAnUnknownOutcomeEndsWithOneObject) {
  // Given a create_before_destroy replacement whose new object was made but
  // whose create answered with an unknown outcome
  Stack(kV1CreateFirst);
  MustApply();
  std::string old_id = cloud_->IdOf("fake_thing.a");
  Stack(kV2CreateFirst);
  cloud_->UnknownOutcomeOn("fake_thing.a", /*took_effect=*/true);
  ApplyExpectingFailure();
  // Then the old object stays current and the journal keeps the create, naming it
  EXPECT_EQ(ObjectId(ReadState().resources.at("fake_thing.a").attributes), old_id);
  ASSERT_EQ(Journal().count("fake_thing.a"), 1u);
  EXPECT_EQ(ObjectId(Journal().at("fake_thing.a").prior_state), old_id);
  EXPECT_EQ(cloud_->size(), 2u);
  cloud_->ClearFailures();

  // When planning / Then the new object is found and becomes current; the old one is to be destroyed
  Plan plan = MustPlan();
  EXPECT_NE(RenderPlan(plan, {}).find("create of the replacement of " + old_id + " (create_before_destroy)"),
            std::string::npos);
  const PlannedChange* change = Find(plan, "fake_thing.a");
  EXPECT_EQ(change->action, Action::kNoOp);
  ASSERT_EQ(change->deposed.size(), 1u);
  EXPECT_EQ(ObjectId(change->deposed[0]), old_id);

  // And the apply ends with the one new object
  MustApply();
  EXPECT_EQ(cloud_->creates, 2);
  ExpectExactlyOneRecorded("fake_thing.a", "v2");
}

// ---- state writes -------------------------------------------------------------------

TEST_F(RecoveryTest, AnAdoptedObjectLeavesTheJournalOnlyOnceAStateWriteRecordsIt) {
  // Given an object made by a create whose outcome was unknown
  std::shared_ptr<FaultyBackend> backend = UseFaultyBackend();
  Stack(kThing);
  cloud_->UnknownOutcomeOn("fake_thing.a", /*took_effect=*/true);
  ApplyExpectingFailure();
  cloud_->ClearFailures();

  // When a refresh adopts it but cannot write the state
  backend->fail_state_writes = true;
  Diagnostics diags = Open()->Refresh();

  // Then the journal keeps the entry: nothing records the object yet
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_EQ(Journal().count("fake_thing.a"), 1u);
  EXPECT_TRUE(ReadState().resources.empty());

  // When the backend is back / Then the refresh records it and only then clears the entry
  backend->fail_state_writes = false;
  diags = Open()->Refresh();
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  ExpectExactlyOneRecorded("fake_thing.a", "a");
}

TEST_F(RecoveryTest, ASettlementThatCannotBeWrittenStopsTheApplyAndKeepsTheJournal) {
  std::shared_ptr<FaultyBackend> backend = UseFaultyBackend();
  Stack(kThing);
  cloud_->UnknownOutcomeOn("fake_thing.a", /*took_effect=*/true);
  ApplyExpectingFailure();
  cloud_->ClearFailures();

  backend->fail_state_writes = true;
  ApplyExpectingFailure();

  EXPECT_EQ(Journal().count("fake_thing.a"), 1u);
  EXPECT_EQ(cloud_->creates, 1);
  backend->fail_state_writes = false;
  MustApply();
  ExpectExactlyOneRecorded("fake_thing.a", "a");
}

TEST_F(RecoveryTest, WhenTheFinalStateWriteFailsTheStateIsKeptInAnErroredFileToPush) {
  // Given a backend that stops taking state writes (journal writes still go
  // through) once the create has made its object
  std::shared_ptr<FaultyBackend> backend = UseFaultyBackend();
  cloud_->on_step = [&](const std::string& step) {
    if (step == "after create fake_thing.a") backend->fail_state_writes = true;
  };
  Stack(kThing);

  // When applying
  Diagnostics diags = ApplyExpectingFailure();

  // Then the error names the file the state was kept in, and the command to push it
  std::string path = dir_.path() + "/.reconcile/errored-default.json";
  const Diagnostic* kept = nullptr;
  for (const Diagnostic& d : diags)
    if (d.summary == "The state of workspace \"default\" could not be written; it was kept in " + path) kept = &d;
  ASSERT_NE(kept, nullptr) << diags.ToString();
  EXPECT_NE(kept->detail.find("run `reconcile state push " + path + "`"), std::string::npos) << kept->detail;
  // And the file is private and records the object
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  State errored;
  ASSERT_FALSE(ParseState(dir_.Read(".reconcile/errored-default.json"), &errored).HasErrors());
  ASSERT_EQ(errored.resources.count("fake_thing.a"), 1u) << dir_.Read(".reconcile/errored-default.json");
  EXPECT_EQ(ObjectId(errored.resources.at("fake_thing.a").attributes), cloud_->IdOf("fake_thing.a"));
  // And the journal still holds the create, which no stored state records
  EXPECT_EQ(Journal().count("fake_thing.a"), 1u);

  // When the backend is back and the file is pushed
  cloud_->on_step = nullptr;
  backend->fail_state_writes = false;
  diags = Open()->PushState(dir_.Read(".reconcile/errored-default.json"), false);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();

  // Then the next plan has nothing to do, and the apply settles the journal without a second object
  Plan plan = MustPlan();
  EXPECT_EQ(Find(plan, "fake_thing.a")->action, Action::kNoOp);
  MustApply();
  EXPECT_EQ(cloud_->creates, 1);
  ExpectExactlyOneRecorded("fake_thing.a", "a");
}

TEST_F(RecoveryTest, WithoutTheErroredFileTheJournalStillLeadsToTheObject) {
  // Given an apply whose state writes failed once its create was made, its errored file lost
  std::shared_ptr<FaultyBackend> backend = UseFaultyBackend();
  cloud_->on_step = [&](const std::string& step) {
    if (step == "after create fake_thing.a") backend->fail_state_writes = true;
  };
  Stack(kThing);
  ApplyExpectingFailure();
  cloud_->on_step = nullptr;
  ASSERT_TRUE(fs::remove(dir_.path() + "/.reconcile/errored-default.json"));
  ASSERT_EQ(cloud_->size(), 1u);
  backend->fail_state_writes = false;
  // When applying again / Then the pending create is looked up and adopted, not made twice
  MustApply();
  EXPECT_EQ(cloud_->creates, 1);
  ExpectExactlyOneRecorded("fake_thing.a", "a");
}

}  // namespace
}  // namespace reconcile::testing
