// The S3 backend's locking: a lock entry in its LockStore, created only when
// absent and removed only while it still carries the expected lock ID.
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <thread>

#include "backends/s3/s3_backend.h"
#include "reconcile/state.h"
#include "state/local_backend.h"

namespace reconcile::s3 {

namespace {

// "user@host" for lock information.
std::string CurrentUserAtHost() {
  std::string user;
  if (const char* env = std::getenv("USER"); env != nullptr && *env != '\0') user = env;
  if (user.empty()) {
    if (const passwd* pw = ::getpwuid(::getuid())) user = pw->pw_name;
  }
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return (user.empty() ? "unknown" : user) + "@" + host;
}

// Sleeps before the next lock attempt; the delay doubles up to two seconds,
// with jitter, and never passes the deadline.
void SleepBeforeRetry(std::chrono::milliseconds* backoff, std::chrono::steady_clock::time_point deadline) {
  static thread_local std::minstd_rand random(std::random_device{}());
  auto jitter = std::chrono::milliseconds(random() % (backoff->count() / 2 + 1));
  auto wait = std::min<std::chrono::steady_clock::duration>(*backoff + jitter, deadline - std::chrono::steady_clock::now());
  if (wait > std::chrono::steady_clock::duration::zero()) std::this_thread::sleep_for(wait);
  *backoff = std::min(*backoff * 2, std::chrono::milliseconds(2000));
}

// The holder named by a lock entry; empty for an empty entry (the lock vanished).
LockInfo ParseHolder(const LockEntry& entry) {
  LockInfo holder;
  if (entry.info_json.empty()) return holder;
  if (!LockInfo::FromJson(entry.info_json, &holder)) holder = LockInfo{.info = "unreadable lock: " + entry.info_json};
  return holder;
}

Diagnostic Failure(const aws::AwsError& error, const std::string& doing) {
  Diagnostic d = error.ToDiagnostic();
  d.summary = doing + ": " + d.summary;
  return d;
}

}  // namespace

S3Backend::~S3Backend() {
  for (const auto& [workspace, held] : held_) (void)locks_->DeleteIfUnchanged(StatePath(workspace), held.entry);
}

Diagnostics S3Backend::TryLock(const std::string& workspace, LockInfo& info, bool* acquired, LockInfo* holder) {
  Diagnostics diags;
  std::string path = StatePath(workspace);
  aws::AwsResult<LockAttempt> attempt = locks_->TryCreate(path, info.ToJson());
  if (!attempt.ok()) {
    diags.Add(Failure(attempt.error(), "cannot lock the state of workspace \"" + workspace + "\""));
    return diags;
  }
  *holder = ParseHolder(attempt->entry);
  // A create retried after a lost answer finds our own entry: that is ours too.
  *acquired = attempt->acquired || (!attempt->entry.info_json.empty() && holder->id == info.id);
  if (*acquired) {
    std::lock_guard<std::mutex> guard(mutex_);
    held_[workspace] = HeldLock{info.id, attempt->entry};
  }
  return diags;
}

Diagnostics S3Backend::Lock(const std::string& workspace, LockInfo& info, std::chrono::milliseconds timeout) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  if (info.id.empty()) info.id = NewLineage();
  if (info.who.empty()) info.who = CurrentUserAtHost();
  if (info.created.empty()) info.created = NowRfc3339();
  info.path = settings_.bucket + "/" + StatePath(workspace);
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + timeout;
  std::chrono::milliseconds backoff(100);
  int vanished = 0;
  while (true) {
    bool acquired = false;
    LockInfo holder;
    diags.Append(TryLock(workspace, info, &acquired, &holder));
    if (diags.HasErrors() || acquired) return diags;
    // An empty holder means the lock was released between our put and our read: try again at once.
    if (holder.id.empty() && holder.info.empty() && ++vanished <= 3) continue;
    if (std::chrono::steady_clock::now() >= deadline) {
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
      diags.Error("state is locked",
                  "workspace \"" + workspace + "\" is locked by another run: " + holder.Describe() +
                      (timeout.count() > 0 ? " (waited " + std::to_string(waited.count()) + " ms)" : "") +
                      ".\nThe lock is the " + locks_->LockLocation(StatePath(workspace)) +
                      ".\nWait for that run to finish, or give a --lock-timeout to wait for it; if that run died, "
                      "`reconcile force-unlock " + holder.id + "` removes its lock.");
      return diags;
    }
    SleepBeforeRetry(&backoff, deadline);
  }
}

Diagnostics S3Backend::ReleaseLock(const std::string& workspace, const std::string& lock_id, const std::string& verb) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::string path = StatePath(workspace);
  std::string cannot = "cannot " + verb + " workspace \"" + workspace + "\"";
  aws::AwsResult<std::optional<LockEntry>> current = locks_->Read(path);
  if (!current.ok()) {
    diags.Add(Failure(current.error(), cannot));
    return diags;
  }
  if (!current.value()) {
    diags.Error(cannot + ": it is not locked", "no lock entry in the " + locks_->LockLocation(path) +
                                                   (verb == "unlock" ? "; was it force-unlocked?" : ""));
    return diags;
  }
  LockInfo holder = ParseHolder(*current.value());
  if (holder.id != lock_id) {
    diags.Error(cannot + ": lock ID " + lock_id + " does not match", "the lock is held by " + holder.Describe());
    return diags;
  }
  aws::AwsResult<bool> deleted = locks_->DeleteIfUnchanged(path, *current.value());
  if (!deleted.ok()) {
    diags.Add(Failure(deleted.error(), cannot));
    return diags;
  }
  if (!deleted.value()) {
    diags.Error(cannot + ": the lock changed while it was being released",
                "another run took or replaced the lock in the " + locks_->LockLocation(path) + "; nothing was removed");
    return diags;
  }
  std::lock_guard<std::mutex> guard(mutex_);
  held_.erase(workspace);
  return diags;
}

Diagnostics S3Backend::Unlock(const std::string& workspace, const std::string& lock_id) {
  return ReleaseLock(workspace, lock_id, "unlock");
}

Diagnostics S3Backend::ForceUnlock(const std::string& workspace, const std::string& lock_id) {
  return ReleaseLock(workspace, lock_id, "force-unlock");
}

}  // namespace reconcile::s3
