// The pending journal's group commit: operations that begin while a journal
// write is under way are recorded together by the next write, and none
// returns before a successful write holds it.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/state_store.h"

namespace reconcile::testing {
namespace {

// A backend whose first journal write waits at a gate (and may fail); it
// keeps the last journal written successfully.
class GatedJournalBackend final : public Backend {
 public:
  explicit GatedJournalBackend(bool fail_first) : fail_first_(fail_first) {}

  std::string Name() const override { return "gated"; }
  Diagnostics ListWorkspaces(std::vector<std::string>*) override { return {}; }
  Diagnostics DeleteWorkspace(const std::string&) override { return {}; }
  Diagnostics ReadState(const std::string&, std::optional<std::string>*) override { return {}; }
  Diagnostics WriteState(const std::string&, const StateWrite&) override { return {}; }
  Diagnostics ReadPending(const std::string&, std::optional<std::string>*) override { return {}; }
  Diagnostics Lock(const std::string&, LockInfo&, std::chrono::milliseconds) override { return {}; }
  Diagnostics Unlock(const std::string&, const std::string&) override { return {}; }
  Diagnostics ForceUnlock(const std::string&, const std::string&) override { return {}; }

  Diagnostics WritePending(const std::string&, const std::string& document) override {
    std::unique_lock<std::mutex> lock(mutex_);
    int call = ++writes_;
    if (call == 1) {
      entered_ = true;
      cv_.notify_all();
      cv_.wait(lock, [this] { return open_; });
      if (fail_first_) {
        Diagnostics diags;
        diags.Error("journal write failed");
        return diags;
      }
    }
    written_ = document;
    return {};
  }

  void WaitForFirstWrite() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return entered_; });
  }
  void OpenGate() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }
  int writes() {
    std::lock_guard<std::mutex> lock(mutex_);
    return writes_;
  }
  bool Recorded(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    return written_.find("\"" + address + "\"") != std::string::npos;
  }

 private:
  const bool fail_first_;
  std::mutex mutex_;
  std::condition_variable cv_;
  int writes_ = 0;
  bool entered_ = false;
  bool open_ = false;
  std::string written_;
};

struct Outcome {
  bool failed = false;
  bool recorded_on_return = false;
};

// One operation begins and holds the first journal write at the gate; seven
// more begin meanwhile; then the gate opens.
std::vector<Outcome> BeginEight(GatedJournalBackend& backend) {
  engine::StateStore store(backend, "default", "test");
  std::vector<Outcome> outcomes(8);
  auto begin = [&](int i) {
    std::string address = "fake_thing.t" + std::to_string(i);
    Diagnostics diags = store.BeginPending({address, "fake_thing", "fake", "create", "", "", {}, {}});
    outcomes[i].failed = diags.HasErrors();
    outcomes[i].recorded_on_return = backend.Recorded(address);
  };
  std::vector<std::thread> threads;
  threads.emplace_back(begin, 0);
  backend.WaitForFirstWrite();
  for (int i = 1; i < 8; ++i) threads.emplace_back(begin, i);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let them queue
  backend.OpenGate();
  for (std::thread& t : threads) t.join();
  return outcomes;
}

TEST(StateStoreJournal, OperationsBegunDuringAWriteShareTheNextOne) {
  GatedJournalBackend backend(/*fail_first=*/false);
  std::vector<Outcome> outcomes = BeginEight(backend);
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_FALSE(outcomes[i].failed) << i;
    EXPECT_TRUE(outcomes[i].recorded_on_return) << i;
  }
  // One write per operation would be 8; the seven waiting share one.
  EXPECT_LT(backend.writes(), 8);
}

TEST(StateStoreJournal, AFailedWriteCoversNobody) {
  GatedJournalBackend backend(/*fail_first=*/true);
  std::vector<Outcome> outcomes = BeginEight(backend);
  // The operation whose write failed hears of it; every other one returns
  // only once a later write that succeeded holds it.
  EXPECT_TRUE(outcomes[0].failed);
  for (std::size_t i = 1; i < outcomes.size(); ++i) {
    EXPECT_FALSE(outcomes[i].failed) << i;
    EXPECT_TRUE(outcomes[i].recorded_on_return) << i;
  }
}

// A backend that logs, in order, every state write (with its serial and the
// addresses it records) and every journal write (with the entries it holds).
class RecordingBackend final : public Backend {
 public:
  std::vector<std::string> log;
  bool fail_state_writes = false;

  std::string Name() const override { return "recording"; }
  Diagnostics ListWorkspaces(std::vector<std::string>*) override { return {}; }
  Diagnostics DeleteWorkspace(const std::string&) override { return {}; }
  Diagnostics ReadState(const std::string&, std::optional<std::string>*) override { return {}; }
  Diagnostics ReadPending(const std::string&, std::optional<std::string>*) override { return {}; }
  Diagnostics Lock(const std::string&, LockInfo&, std::chrono::milliseconds) override { return {}; }
  Diagnostics Unlock(const std::string&, const std::string&) override { return {}; }
  Diagnostics ForceUnlock(const std::string&, const std::string&) override { return {}; }
  // The writer thread never writes on its own: only forced and final writes happen.
  std::chrono::milliseconds MinWriteInterval() const override { return std::chrono::hours(24 * 365); }

  Diagnostics WriteState(const std::string&, const StateWrite& write) override {
    Diagnostics diags;
    if (fail_state_writes) {
      diags.Error("state write failed");
      return diags;
    }
    State state;
    diags.Append(ParseState(write.document, &state));
    std::string entry = "state " + std::to_string(write.serial) + ":";
    for (const auto& [address, instance] : state.resources) entry += " " + address;
    log.push_back(entry);
    return diags;
  }
  Diagnostics WritePending(const std::string&, const std::string& document) override {
    std::map<std::string, PendingOperation> pending;
    Diagnostics diags = ParsePending(document, &pending);
    std::string entry = "journal:";
    for (const auto& [address, op] : pending) entry += " " + op.action + " " + address;
    log.push_back(entry);
    return diags;
  }
};

PendingOperation PendingOf(const std::string& action, const std::string& address) {
  return {address, "fake_thing", "fake", action, "", "token", {}, {}};
}

TEST(StateStoreJournal, AnEntryIsReplacedOnlyOnceAStateWriteRecordsTheOperationItGuarded) {
  // Given the delete of a replacement has ended, its result not yet written
  RecordingBackend backend;
  engine::StateStore store(backend, "default", "test");
  ASSERT_FALSE(store.Load().HasErrors());
  store.Update([](State& s) {
    ResourceInstanceState& a = s.resources["fake_thing.a"];
    a = {"fake_thing.a", "managed", "fake_thing", "fake", Value::Map({{"id", Value::String("thing-1")}}), {}, 0,
         false, {}};
  });
  ASSERT_FALSE(store.WriteNow().HasErrors());
  store.StartWriter();
  ASSERT_FALSE(store.BeginPending(PendingOf("delete", "fake_thing.a")).HasErrors());
  store.Update([](State& s) { s.resources.erase("fake_thing.a"); });
  store.EndPending("fake_thing.a");

  // When the create of the same address begins
  ASSERT_FALSE(store.BeginPending(PendingOf("create", "fake_thing.a")).HasErrors());

  // Then the state without the old object is written before the create replaces the delete's entry
  EXPECT_EQ(backend.log, (std::vector<std::string>{"state 1: fake_thing.a", "journal: delete fake_thing.a",
                                                   "state 2:", "journal:", "journal: create fake_thing.a"}));
  store.EndPending("fake_thing.a");
  ASSERT_FALSE(store.Flush().HasErrors());
}

TEST(StateStoreJournal, AnEntryStaysWhenTheStateWriteThatWouldRecordItFails) {
  RecordingBackend backend;
  engine::StateStore store(backend, "default", "test");
  ASSERT_FALSE(store.Load().HasErrors());
  store.StartWriter();
  ASSERT_FALSE(store.BeginPending(PendingOf("delete", "fake_thing.a")).HasErrors());
  store.EndPending("fake_thing.a");
  backend.fail_state_writes = true;

  // The next operation on the address cannot begin, and the final write fails
  EXPECT_TRUE(store.BeginPending(PendingOf("create", "fake_thing.a")).HasErrors());
  EXPECT_TRUE(store.Flush().HasErrors());

  // And the journal never lost the delete
  EXPECT_EQ(backend.log, (std::vector<std::string>{"journal: delete fake_thing.a"}));
  ASSERT_TRUE(store.FindPending("fake_thing.a").has_value());
  EXPECT_EQ(store.FindPending("fake_thing.a")->action, "delete");
}

TEST(StateStoreJournal, AnUnknownOutcomeStaysInTheJournalAfterTheFinalWrite) {
  RecordingBackend backend;
  engine::StateStore store(backend, "default", "test");
  ASSERT_FALSE(store.Load().HasErrors());
  store.StartWriter();
  ASSERT_FALSE(store.BeginPending(PendingOf("create", "fake_thing.a")).HasErrors());
  ASSERT_FALSE(store.BeginPending(PendingOf("create", "fake_thing.b")).HasErrors());
  store.EndPending("fake_thing.a");
  ASSERT_FALSE(store.MarkOutcomeUnknown("fake_thing.b").HasErrors());
  ASSERT_FALSE(store.Flush().HasErrors());
  ASSERT_FALSE(backend.log.empty());
  EXPECT_EQ(backend.log.back(), "journal: create fake_thing.b");
  EXPECT_TRUE(store.FindPending("fake_thing.b")->outcome_unknown);
  EXPECT_FALSE(store.FindPending("fake_thing.a").has_value());
}

}  // namespace
}  // namespace reconcile::testing
