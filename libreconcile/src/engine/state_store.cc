#include "engine/state_store.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "state/atomic_file.h"

namespace reconcile::engine {

StateStore::StateStore(Backend& backend, std::string workspace, std::string tool_version)
    : backend_(backend), workspace_(std::move(workspace)), tool_version_(std::move(tool_version)) {}

StateStore::~StateStore() {
  (void)Flush();
  (void)Unlock();
}

namespace {

std::string WhoAmI() {
  const char* user = std::getenv("USER");
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(user ? user : "unknown") + "@" + host;
}

}  // namespace

Diagnostics StateStore::Lock(const std::string& operation, std::chrono::milliseconds timeout) {
  LockInfo info;
  info.id = NewLineage();
  info.operation = operation;
  info.who = WhoAmI();
  info.version = tool_version_;
  info.created = NowRfc3339();
  Diagnostics diags = backend_.Lock(workspace_, info, timeout);
  if (!diags.HasErrors()) lock_id_ = info.id;
  return diags;
}

Diagnostics StateStore::Unlock() {
  if (lock_id_.empty()) return {};
  Diagnostics diags = backend_.Unlock(workspace_, lock_id_);
  lock_id_.clear();
  return diags;
}

Diagnostics StateStore::Load() {
  Diagnostics diags;
  std::optional<std::string> document;
  diags.Append(backend_.ReadState(workspace_, &document));
  if (diags.HasErrors()) return diags;
  std::lock_guard<std::mutex> lock(mutex_);
  state_ = State{};
  existed_ = document.has_value();
  if (document) {
    diags.Append(ParseState(*document, &state_));
    if (diags.HasErrors()) return diags;
  } else {
    state_.lineage = NewLineage();
  }
  std::optional<std::string> journal;
  diags.Append(backend_.ReadPending(workspace_, &journal));
  if (journal) diags.Append(ParsePending(*journal, &state_.pending));
  return diags;
}

State StateStore::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_;
}

void StateStore::Update(const std::function<void(State&)>& change) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    change(state_);
    ++change_seq_;
  }
  cv_.notify_all();
}

Diagnostics StateStore::WriteJournalLocked() {
  std::map<std::string, PendingOperation> pending;
  std::uint64_t seq = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending = state_.pending;
    seq = journal_seq_;
  }
  Diagnostics diags = backend_.WritePending(workspace_, SerializePending(pending));
  if (!diags.HasErrors()) {
    std::lock_guard<std::mutex> lock(mutex_);
    journal_written_seq_ = std::max(journal_written_seq_, seq);
  }
  return diags;
}

Diagnostics StateStore::WriteJournalCovering(std::uint64_t seq) {
  std::lock_guard<std::mutex> journal(journal_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (journal_written_seq_ >= seq) return {};
  }
  return WriteJournalLocked();
}

Diagnostics StateStore::BeginPending(const PendingOperation& op) {
  bool unrecorded = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    unrecorded = ended_.count(op.address) != 0;
  }
  // Replacing an entry is clearing it: the result it guards (a delete before
  // the create of a replacement, a create before the delete of the replaced
  // object) must be in the stored state first.
  if (unrecorded) {
    Diagnostics diags = WriteSnapshot();
    if (diags.HasErrors()) return diags;
  }
  std::uint64_t seq = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    state_.pending[op.address] = op;
    ended_.erase(op.address);
    seq = ++journal_seq_;
  }
  return WriteJournalCovering(seq);
}

void StateStore::EndPending(const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  ended_[address] = change_seq_;
}

Diagnostics StateStore::MarkOutcomeUnknown(const std::string& address) {
  std::uint64_t seq = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = state_.pending.find(address);
    if (it == state_.pending.end()) return {};
    it->second.outcome_unknown = true;
    ended_.erase(address);
    seq = ++journal_seq_;
  }
  return WriteJournalCovering(seq);
}

std::optional<ResourceInstanceState> StateStore::FindResource(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = state_.resources.find(address);
  if (it == state_.resources.end()) return std::nullopt;
  return it->second;
}

std::optional<PendingOperation> StateStore::FindPending(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = state_.pending.find(address);
  if (it == state_.pending.end()) return std::nullopt;
  return it->second;
}

Diagnostics StateStore::ClearPending(const std::vector<std::string>& addresses) {
  std::uint64_t seq = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& a : addresses) {
      state_.pending.erase(a);
      ended_.erase(a);
    }
    seq = ++journal_seq_;
  }
  return WriteJournalCovering(seq);
}

Diagnostics StateStore::WriteSnapshot() {
  std::lock_guard<std::mutex> one_writer(write_mutex_);
  StateWrite write;
  std::uint64_t seq = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    seq = change_seq_;
    state_.serial += 1;
    state_.tool_version = tool_version_;
    write.document = SerializeState(state_);
    write.lineage = state_.lineage;
    write.serial = state_.serial;
  }
  Diagnostics diags = backend_.WriteState(workspace_, write);
  if (diags.HasErrors()) {
    std::lock_guard<std::mutex> lock(mutex_);
    last_write_ = std::chrono::steady_clock::now();
    state_.serial -= 1;
    return diags;
  }
  std::uint64_t journal_seq = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    last_write_ = std::chrono::steady_clock::now();
    written_seq_ = seq;
    for (auto it = ended_.begin(); it != ended_.end();) {
      if (it->second <= seq) {
        state_.pending.erase(it->first);
        it = ended_.erase(it);
        journal_seq = ++journal_seq_;
      } else {
        ++it;
      }
    }
  }
  if (journal_seq != 0) diags.Append(WriteJournalCovering(journal_seq));
  existed_ = true;
  return diags;
}

Diagnostics StateStore::WriteNow() { return WriteSnapshot(); }

Diagnostics StateStore::KeepUnwritten(const std::string& path, const DocumentSealer& seal) {
  std::string document;
  State copy;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    copy = state_;
    copy.tool_version = tool_version_;
    document = SerializeState(copy);
  }
  Diagnostics diags = seal ? seal(copy, &document) : Diagnostics();
  if (!diags.HasErrors()) diags.Append(files::EnsureDirectory(files::DirectoryOf(path)));
  if (!diags.HasErrors()) diags.Append(files::WriteAtomically(path, document));
  if (diags.HasErrors()) {
    diags.Error("The state of workspace \"" + workspace_ + "\" could not be saved anywhere",
                "Neither the backend nor " + path + " took it. What this run changed is in the pending-operation "
                "journal where it could be written; the next plan or refresh looks those objects up.");
    return diags;
  }
  diags.Error("The state of workspace \"" + workspace_ + "\" could not be written; it was kept in " + path,
              "Once the backend is reachable again, run `reconcile state push " + path +
                  "` to record what this run did, then plan again. Do not apply before that: the stored state "
                  "does not know the objects this run made.");
  return diags;
}

void StateStore::StartWriter() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (writer_running_) return;
  writer_running_ = true;
  stop_ = false;
  writer_ = std::thread([this] { WriterLoop(); });
}

void StateStore::WriterLoop() {
  const auto interval = backend_.MinWriteInterval();
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || change_seq_ != written_seq_; });
    if (stop_) return;
    auto next = last_write_ + interval;
    if (interval.count() > 0 && std::chrono::steady_clock::now() < next) {
      cv_.wait_until(lock, next, [this] { return stop_; });
      if (stop_) return;
    }
    lock.unlock();
    Diagnostics diags = WriteSnapshot();
    lock.lock();
    if (diags.HasErrors()) {
      write_errors_.Append(diags);
      return;
    }
  }
}

bool StateStore::write_failed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return write_errors_.HasErrors();
}

Diagnostics StateStore::Flush() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!writer_running_) return {};
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();
  Diagnostics diags;
  bool dirty = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    writer_running_ = false;
    diags.Append(write_errors_);
    write_errors_ = Diagnostics();
    dirty = change_seq_ != written_seq_ || !ended_.empty();
  }
  if (dirty) diags.Append(WriteSnapshot());
  return diags;
}

}  // namespace reconcile::engine
