#include "state/local_backend.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <thread>

#include "reconcile/state.h"

namespace reconcile {

namespace {

constexpr const char* kStateSuffix = ".json";
constexpr const char* kBackupSuffix = ".json.backup";
constexpr const char* kPendingSuffix = ".pending.json";
constexpr const char* kLockSuffix = ".lock";

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// "user@host" for lock information.
std::string CurrentUserAtHost() {
  std::string user;
  if (const char* env = std::getenv("USER"); env && *env) user = env;
  if (user.empty()) {
    if (const passwd* pw = ::getpwuid(::getuid())) user = pw->pw_name;
  }
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return (user.empty() ? "unknown" : user) + "@" + host;
}

// Sleeps before the next lock attempt; the delay doubles up to a second, with jitter.
void SleepBeforeRetry(std::chrono::milliseconds* backoff, std::chrono::steady_clock::time_point deadline) {
  static thread_local std::minstd_rand random(std::random_device{}());
  auto jitter = std::chrono::milliseconds(random() % (backoff->count() / 2 + 1));
  auto wait = std::min<std::chrono::steady_clock::duration>(*backoff + jitter,
                                                            deadline - std::chrono::steady_clock::now());
  if (wait > std::chrono::steady_clock::duration::zero()) std::this_thread::sleep_for(wait);
  *backoff = std::min(*backoff * 2, std::chrono::milliseconds(1000));
}

LockInfo HolderOf(const std::string& lock_path) {
  LockInfo holder;
  if (!LockInfo::FromJson(files::LockFile::ReadContent(lock_path), &holder)) holder = LockInfo{};
  return holder;
}

// A journal with no operations (or an empty document) means "remove the journal".
bool IsEmptyJournal(const std::string& document, Diagnostics* diags) {
  if (document.find_first_not_of(" \t\r\n") == std::string::npos) return true;
  // A sealed journal (src/encryption) is never empty: empty ones are not sealed.
  if (document.starts_with("{\"reconcile_encrypted\":")) return false;
  std::map<std::string, PendingOperation> pending;
  diags->Append(ParsePending(document, &pending));
  return !diags->HasErrors() && pending.empty();
}

}  // namespace

Diagnostics CheckWorkspaceName(const std::string& workspace) {
  Diagnostics diags;
  bool ok = !workspace.empty() && workspace.size() <= 90 && std::isalnum(static_cast<unsigned char>(workspace[0])) &&
            !EndsWith(workspace, ".pending");
  for (char c : workspace)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  if (!ok)
    diags.Error("invalid workspace name \"" + workspace + "\"",
                "a workspace name has letters, digits, '-', '_' and '.', starts with a letter or digit, "
                "has at most 90 characters and does not end in \".pending\"");
  return diags;
}

LocalBackend::~LocalBackend() {
  for (auto& [workspace, held] : held_) held.file.RemoveAndRelease();
}

std::string LocalBackend::PathFor(const std::string& workspace, const char* suffix) const {
  return dir_ + "/" + workspace + suffix;
}

Diagnostics LocalBackend::Check() { return files::EnsureDirectory(dir_); }

Diagnostics LocalBackend::ListWorkspaces(std::vector<std::string>* out) {
  Diagnostics diags;
  std::vector<std::string> names = {"default"};
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    std::string file = it->path().filename().string();
    std::string name;
    if (EndsWith(file, kPendingSuffix)) {
      name = file.substr(0, file.size() - std::string_view(kPendingSuffix).size());
    } else if (EndsWith(file, kStateSuffix)) {
      name = file.substr(0, file.size() - std::string_view(kStateSuffix).size());
    }
    if (!name.empty() && !CheckWorkspaceName(name).HasErrors()) names.push_back(name);
  }
  if (ec && ec != std::errc::no_such_file_or_directory)
    diags.Error("cannot list workspaces in " + dir_, ec.message());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  *out = std::move(names);
  return diags;
}

Diagnostics LocalBackend::DeleteWorkspace(const std::string& workspace) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::lock_guard<std::mutex> guard(mutex_);
  files::LockFile lock;
  if (auto held = held_.find(workspace); held != held_.end()) {
    lock = std::move(held->second.file);
    held_.erase(held);
  } else {
    std::string error;
    std::string lock_path = PathFor(workspace, kLockSuffix);
    files::LockFile::Status status = lock.TryAcquire(lock_path, &error);
    if (status == files::LockFile::Status::kHeld) {
      diags.Error("cannot delete workspace \"" + workspace + "\": its state is locked",
                  "held by " + HolderOf(lock_path).Describe());
      return diags;
    }
    if (status == files::LockFile::Status::kFailed) {
      diags.Error("cannot delete workspace \"" + workspace + "\"", error);
      return diags;
    }
  }
  for (const char* suffix : {kStateSuffix, kBackupSuffix, kPendingSuffix})
    diags.Append(files::RemoveFile(PathFor(workspace, suffix)));
  known_.erase(workspace);
  lock.RemoveAndRelease();
  return diags;
}

Diagnostics LocalBackend::ReadState(const std::string& workspace, std::optional<std::string>* out) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::string content;
  std::string error;
  files::FileIdentity file;
  switch (files::ReadWholeFile(PathFor(workspace, kStateSuffix), &content, &error, &file)) {
    case files::ReadStatus::kMissing:
      out->reset();
      return diags;
    case files::ReadStatus::kFailed:
      diags.Error("cannot read the state of workspace \"" + workspace + "\"", error);
      return diags;
    case files::ReadStatus::kOk:
      break;
  }
  StateIdentity identity;
  if (PeekStateIdentity(content, &identity, nullptr)) {
    std::lock_guard<std::mutex> guard(mutex_);
    known_[workspace] = KnownState{file, std::move(identity)};
  }
  *out = std::move(content);
  return diags;
}

Diagnostics LocalBackend::StoredIdentity(const std::string& workspace, std::optional<StateIdentity>* out) {
  Diagnostics diags;
  std::string path = PathFor(workspace, kStateSuffix);
  files::FileIdentity file;
  if (!files::Identify(path, &file)) {
    out->reset();
    return diags;
  }
  if (auto known = known_.find(workspace); known != known_.end() && known->second.file == file) {
    *out = known->second.identity;
    return diags;
  }
  std::string content;
  std::string error;
  StateIdentity identity;
  if (files::ReadWholeFile(path, &content, &error, &file) != files::ReadStatus::kOk ||
      !PeekStateIdentity(content, &identity, &error)) {
    diags.Error("cannot check the stored state " + path + " before replacing it",
                error + "\nMove the file aside if it is damaged (its backup is " + PathFor(workspace, kBackupSuffix) +
                    ").");
    return diags;
  }
  known_[workspace] = KnownState{file, identity};
  *out = std::move(identity);
  return diags;
}

bool LocalBackend::StoredDocumentIs(const std::string& workspace, const std::string& document) {
  std::string content;
  std::string error;
  files::FileIdentity file;
  if (files::ReadWholeFile(PathFor(workspace, kStateSuffix), &content, &error, &file) != files::ReadStatus::kOk ||
      content != document)
    return false;
  StateIdentity identity;
  if (PeekStateIdentity(content, &identity, nullptr)) known_[workspace] = KnownState{file, std::move(identity)};
  return true;
}

Diagnostics LocalBackend::WriteState(const std::string& workspace, const StateWrite& write) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::lock_guard<std::mutex> guard(mutex_);
  std::optional<StateIdentity> stored;
  diags.Append(StoredIdentity(workspace, &stored));
  if (diags.HasErrors()) return diags;
  if (stored && stored->lineage != write.lineage) {
    diags.Error("refusing to replace the state of workspace \"" + workspace + "\": it has another lineage",
                "stored lineage " + stored->lineage + " (serial " + std::to_string(stored->serial) +
                    "), written lineage " + write.lineage + " (serial " + std::to_string(write.serial) +
                    "). The two are different states; push with --force only if you mean to replace it.");
    return diags;
  }
  if (stored && stored->serial >= write.serial) {
    if (stored->serial == write.serial && StoredDocumentIs(workspace, write.document)) return diags;
    std::string ours = std::to_string(write.serial);
    diags.Error("refusing to replace the state of workspace \"" + workspace + "\": the stored state is newer",
                stored->serial == write.serial
                    ? "stored serial " + ours + " (lineage " + stored->lineage + ") is another document with the "
                          "serial being written: another run wrote serial " + ours + " since this one read serial " +
                          std::to_string(write.serial - 1) + ". Plan again."
                    : "stored serial " + std::to_string(stored->serial) + " (lineage " + stored->lineage +
                          ") is higher than the written serial " + ours + " (lineage " + write.lineage +
                          "). Another run changed it since this one read it; plan again.");
    return diags;
  }
  diags.Append(files::EnsureDirectory(dir_));
  if (diags.HasErrors()) return diags;
  files::FileIdentity written;
  files::AtomicWriteOptions options;
  options.backup_path = PathFor(workspace, kBackupSuffix);
  diags.Append(files::WriteAtomically(PathFor(workspace, kStateSuffix), write.document, options, &written));
  if (!diags.HasErrors()) known_[workspace] = KnownState{written, StateIdentity{write.lineage, write.serial}};
  return diags;
}

Diagnostics LocalBackend::ReadPending(const std::string& workspace, std::optional<std::string>* out) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::string content;
  std::string error;
  switch (files::ReadWholeFile(PathFor(workspace, kPendingSuffix), &content, &error)) {
    case files::ReadStatus::kMissing:
      out->reset();
      break;
    case files::ReadStatus::kFailed:
      diags.Error("cannot read the pending-operation journal of workspace \"" + workspace + "\"", error);
      break;
    case files::ReadStatus::kOk:
      *out = std::move(content);
      break;
  }
  return diags;
}

Diagnostics LocalBackend::WritePending(const std::string& workspace, const std::string& document) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::string path = PathFor(workspace, kPendingSuffix);
  if (IsEmptyJournal(document, &diags)) {
    diags.Append(files::RemoveFile(path));
    if (!diags.HasErrors()) files::SyncDirectory(dir_);
    return diags;
  }
  if (diags.HasErrors()) return diags;
  diags.Append(files::EnsureDirectory(dir_));
  if (!diags.HasErrors()) diags.Append(files::WriteAtomically(path, document));
  return diags;
}

Diagnostics LocalBackend::TryLock(const std::string& workspace, LockInfo& info, bool* held, LockInfo* holder) {
  Diagnostics diags;
  std::string lock_path = PathFor(workspace, kLockSuffix);
  files::LockFile lock;
  std::string error;
  switch (lock.TryAcquire(lock_path, &error)) {
    case files::LockFile::Status::kHeld:
      *held = true;
      *holder = HolderOf(lock_path);
      return diags;
    case files::LockFile::Status::kFailed:
      diags.Error("cannot lock the state of workspace \"" + workspace + "\"", error);
      return diags;
    case files::LockFile::Status::kAcquired:
      break;
  }
  *held = false;
  if (info.id.empty()) info.id = NewLineage();
  info.path = PathFor(workspace, kStateSuffix);
  if (info.who.empty()) info.who = CurrentUserAtHost();
  if (info.created.empty()) info.created = NowRfc3339();
  if (!lock.WriteContent(info.ToJson(), &error)) {
    lock.RemoveAndRelease();
    diags.Error("cannot lock the state of workspace \"" + workspace + "\"", error);
    return diags;
  }
  std::lock_guard<std::mutex> guard(mutex_);
  held_[workspace] = HeldLock{std::move(lock), info.id};
  return diags;
}

Diagnostics LocalBackend::Lock(const std::string& workspace, LockInfo& info, std::chrono::milliseconds timeout) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (!diags.HasErrors()) diags.Append(files::EnsureDirectory(dir_));
  if (diags.HasErrors()) return diags;
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + timeout;
  std::chrono::milliseconds backoff(50);
  while (true) {
    bool held = false;
    LockInfo holder;
    diags.Append(TryLock(workspace, info, &held, &holder));
    if (diags.HasErrors() || !held) return diags;
    if (std::chrono::steady_clock::now() >= deadline) {
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
      diags.Error("state is locked",
                  "workspace \"" + workspace + "\" is locked by another run: " + holder.Describe() +
                      (timeout.count() > 0 ? " (waited " + std::to_string(waited.count()) + " ms)" : "") +
                      ".\nWait for that run to finish, or give a --lock-timeout to wait for it.");
      return diags;
    }
    SleepBeforeRetry(&backoff, deadline);
  }
}

Diagnostics LocalBackend::Unlock(const std::string& workspace, const std::string& lock_id) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::lock_guard<std::mutex> guard(mutex_);
  auto held = held_.find(workspace);
  if (held == held_.end()) {
    LockInfo holder = HolderOf(PathFor(workspace, kLockSuffix));
    diags.Error("cannot unlock workspace \"" + workspace + "\": this run does not hold its lock",
                holder.id.empty() ? "it is not locked" : "it is locked by " + holder.Describe());
    return diags;
  }
  if (held->second.id != lock_id) {
    diags.Error("cannot unlock workspace \"" + workspace + "\": lock ID " + lock_id + " does not match",
                "the lock is held with ID " + held->second.id);
    return diags;
  }
  held->second.file.RemoveAndRelease();
  held_.erase(held);
  return diags;
}

Diagnostics LocalBackend::ForceUnlock(const std::string& workspace, const std::string& lock_id) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::string lock_path = PathFor(workspace, kLockSuffix);
  LockInfo holder = HolderOf(lock_path);
  if (holder.id.empty()) {
    diags.Error("cannot force-unlock workspace \"" + workspace + "\": it is not locked");
    return diags;
  }
  if (holder.id != lock_id) {
    diags.Error("cannot force-unlock workspace \"" + workspace + "\": lock ID " + lock_id + " does not match",
                "the lock is " + holder.Describe());
    return diags;
  }
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (held_.count(workspace) != 0) {
      held_[workspace].file.RemoveAndRelease();
      held_.erase(workspace);
      return diags;
    }
  }
  // A flock dies with its process: if we can take it, the holder is gone and
  // only its lock information was left behind.
  files::LockFile lock;
  std::string error;
  switch (lock.TryAcquire(lock_path, &error)) {
    case files::LockFile::Status::kAcquired:
      lock.RemoveAndRelease();
      return diags;
    case files::LockFile::Status::kHeld:
      diags.Error("cannot force-unlock workspace \"" + workspace + "\": the run holding the lock is still running",
                  "held by " + holder.Describe() +
                      ".\nA local lock is released by the operating system when the process holding it exits; "
                      "stop that run (or let it finish) instead.");
      return diags;
    case files::LockFile::Status::kFailed:
      diags.Error("cannot force-unlock workspace \"" + workspace + "\"", error);
      return diags;
  }
  return diags;
}

std::unique_ptr<Backend> MakeLocalBackend(const std::string& state_dir) {
  return std::make_unique<LocalBackend>(state_dir);
}

std::unique_ptr<Backend> MakeLocalBackendFromConfig(const BackendConfig& config, Diagnostics* diags) {
  std::string dir = config.stack_dir + "/.reconcile/state";
  if (config.settings.is_map()) {
    for (const auto& [key, value] : config.settings.AsMap()) {
      if (key != "path") {
        diags->Error("[backend.local]: unknown setting \"" + key + "\"", "the local backend takes: path");
        return nullptr;
      }
      if (!value.is_string() || value.AsString().empty()) {
        diags->Error("[backend.local]: path must be a non-empty string",
                     "found " + std::string(value.kind_name()) + "; path is the directory of the state files");
        return nullptr;
      }
      const std::string& path = value.AsString();
      dir = path[0] == '/' ? path : config.stack_dir + "/" + path;
    }
  } else if (!config.settings.is_null()) {
    diags->Error("[backend.local] must be a table", "found " + std::string(config.settings.kind_name()));
    return nullptr;
  }
  return MakeLocalBackend(dir);
}

}  // namespace reconcile
