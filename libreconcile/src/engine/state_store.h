// The state of one workspace while an operation runs: locked in the backend,
// read once, changed in memory as operations finish, and written back by a
// writer thread (at once for local state, at most once per
// Backend::MinWriteInterval for S3) plus a final write. Pending operations go
// to the backend's journal synchronously, and an entry leaves the journal (or
// is replaced by the next operation on its address) only after a state write
// that records its result succeeded. Journal writes are group commits:
// operations that begin while a journal write is under way wait for the next
// one, which records them all (one write per burst, not per resource).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "reconcile/backend.h"
#include "reconcile/engine.h"
#include "reconcile/state.h"

namespace reconcile::engine {

class StateStore {
 public:
  StateStore(Backend& backend, std::string workspace, std::string tool_version);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  Diagnostics Lock(const std::string& operation, std::chrono::milliseconds timeout);
  Diagnostics Unlock();
  bool locked() const { return !lock_id_.empty(); }
  Backend& backend() const { return backend_; }

  // Reads the state document and the pending journal.
  Diagnostics Load();
  bool existed() const { return existed_; }

  // A copy of the current state (cheap: values share storage).
  State Snapshot() const;
  // Changes the state in memory and schedules a write.
  void Update(const std::function<void(State&)>& change);

  // Records an operation about to call the provider; durable on return. When
  // an earlier operation on the same address ended but no state write holds
  // its result yet, the state is written first.
  Diagnostics BeginPending(const PendingOperation& op);
  // The operation's outcome is in the state; its journal entry goes after the
  // next state write.
  void EndPending(const std::string& address);
  // The call ended without saying whether it took effect: the entry stays,
  // marked, until a later lookup settles it. Durable on return.
  Diagnostics MarkOutcomeUnknown(const std::string& address);
  // The recorded instance at `address`, if there is one.
  std::optional<ResourceInstanceState> FindResource(const std::string& address) const;
  // The journal entry of `address`, if there is one.
  std::optional<PendingOperation> FindPending(const std::string& address) const;
  // Clears journal entries at once (after they were reconciled and the result
  // written).
  Diagnostics ClearPending(const std::vector<std::string>& addresses);

  // Starts the writer thread (apply).
  void StartWriter();
  // Stops the writer and writes whatever is not yet written, then the journal.
  Diagnostics Flush();
  // True once a background write failed (the applier stops starting work).
  bool write_failed() const;

  // Writes the current state synchronously (serial + 1).
  Diagnostics WriteNow();

  // Turns a serialized state into the bytes kept on disk (encryption).
  using DocumentSealer = std::function<Diagnostics(const State& state, std::string* document)>;

  // After a failed final write: keeps the state in memory in `path` (0600),
  // sealed by `seal` when given, so no result is lost, and returns the error
  // that says how to push it.
  Diagnostics KeepUnwritten(const std::string& path, const DocumentSealer& seal = {});

 private:
  Diagnostics WriteSnapshot();
  // Writes the journal as it is now (journal_mutex_ held).
  Diagnostics WriteJournalLocked();
  // Returns once a successful journal write recorded change `seq` of the
  // pending operations: an earlier caller's write, or one made here.
  Diagnostics WriteJournalCovering(std::uint64_t seq);
  void WriterLoop();

  Backend& backend_;
  std::string workspace_;
  std::string tool_version_;
  std::string lock_id_;
  bool existed_ = false;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable cv_;
  State state_;
  std::uint64_t change_seq_ = 0;   // bumped by every Update
  std::uint64_t written_seq_ = 0;  // change_seq_ of the last successful write
  std::uint64_t journal_seq_ = 0;          // bumped by every change of state_.pending
  std::uint64_t journal_written_seq_ = 0;  // journal_seq_ of the last successful journal write
  std::map<std::string, std::uint64_t> ended_;  // pending address -> change_seq_ at end
  bool stop_ = false;
  bool writer_running_ = false;
  Diagnostics write_errors_;
  std::thread writer_;
  std::chrono::steady_clock::time_point last_write_{};
  std::mutex write_mutex_;  // one backend write at a time
  std::mutex journal_mutex_;  // one journal write at a time
};

}  // namespace reconcile::engine
