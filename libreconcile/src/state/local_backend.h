// The local backend: state files in a directory, locked with flock.
//
//   <dir>/<workspace>.json          the state document (0600)
//   <dir>/<workspace>.json.backup   the version it replaced
//   <dir>/<workspace>.pending.json  the pending-operation journal (only while non-empty)
//   <dir>/<workspace>.lock          flock'ed while locked; holds the LockInfo JSON
//   <dir>/history/<workspace>/<serial>.json  the state after each of the last 50 applies
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "reconcile/backend.h"
#include "state/atomic_file.h"
#include "state/lock_file.h"
#include "state/state_identity.h"

namespace reconcile {

// How many applies' states the local backend keeps per workspace.
inline constexpr std::size_t kLocalVersionsKept = 50;

class LocalBackend final : public Backend {
 public:
  explicit LocalBackend(std::string state_dir) : dir_(std::move(state_dir)) {}
  // Releases (and removes) every lock still held.
  ~LocalBackend() override;

  std::string Name() const override { return "local"; }
  Diagnostics ListWorkspaces(std::vector<std::string>* out) override;
  Diagnostics DeleteWorkspace(const std::string& workspace) override;
  Diagnostics ReadState(const std::string& workspace, std::optional<std::string>* out) override;
  Diagnostics WriteState(const std::string& workspace, const StateWrite& write) override;
  Diagnostics ReadPending(const std::string& workspace, std::optional<std::string>* out) override;
  Diagnostics WritePending(const std::string& workspace, const std::string& document) override;
  Diagnostics Lock(const std::string& workspace, LockInfo& info, std::chrono::milliseconds timeout) override;
  Diagnostics Unlock(const std::string& workspace, const std::string& lock_id) override;
  Diagnostics ForceUnlock(const std::string& workspace, const std::string& lock_id) override;
  Diagnostics Check() override;
  // History: the last kLocalVersionsKept applies' states under <dir>/history/<workspace>/.
  Diagnostics ListStateVersions(const std::string& workspace, std::size_t limit,
                                std::vector<StateVersion>* out) override;
  Diagnostics ReadStateVersion(const std::string& workspace, const std::string& id,
                               std::string* document) override;
  Diagnostics KeepStateVersion(const std::string& workspace, const StateWrite& write) override;

  const std::string& state_dir() const { return dir_; }

 private:
  // A lock this backend holds.
  struct HeldLock {
    files::LockFile file;
    std::string id;
  };
  // The stored state as of our last read or write, so a write checks the
  // stored identity without re-reading an unchanged file.
  struct KnownState {
    files::FileIdentity file;
    StateIdentity identity;
  };

  std::string PathFor(const std::string& workspace, const char* suffix) const;
  // The identity of the stored state, if there is one.
  Diagnostics StoredIdentity(const std::string& workspace, std::optional<StateIdentity>* out);
  // True when the stored state is exactly `document` (a write that is
  // repeated after it landed); known_ is brought up to date.
  bool StoredDocumentIs(const std::string& workspace, const std::string& document);
  // One attempt at the lock; *holder is filled when another run holds it.
  Diagnostics TryLock(const std::string& workspace, LockInfo& info, bool* held, LockInfo* holder);

  std::string dir_;
  std::mutex mutex_;  // guards held_ and known_
  std::map<std::string, HeldLock> held_;
  std::map<std::string, KnownState> known_;
};

// Checks a workspace name: letters, digits, '-', '_' and '.', starting with a
// letter or digit, at most 90 characters, not ending in ".pending".
Diagnostics CheckWorkspaceName(const std::string& workspace);

// "local" from a [backend.local] block: `path` (relative to the stack) or
// <stack>/.reconcile/state.
std::unique_ptr<Backend> MakeLocalBackendFromConfig(const BackendConfig& config, Diagnostics* diags);

}  // namespace reconcile
