// Where state lives (a local directory, or S3 with a DynamoDB or S3 lock) and
// how it is locked. The engine talks to storage only through this interface.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile {

// Terraform-compatible lock information (its JSON field names are ID,
// Operation, Info, Who, Version, Created, Path).
struct LockInfo {
  std::string id;         // UUID of this lock
  std::string operation;  // "plan", "apply", ...
  std::string info;
  std::string who;        // user@host
  std::string version;    // tool version
  std::string created;    // RFC 3339
  std::string path;       // what is locked

  std::string ToJson() const;
  static bool FromJson(const std::string& json, LockInfo* out);
  // "ID: ..., Operation: apply, Who: ..., Created: ..." for messages.
  std::string Describe() const;
};

// A state document with the identity the backend checks before replacing the
// stored one.
struct StateWrite {
  std::string document;
  std::string lineage;
  std::uint64_t serial = 0;
};

// One earlier version of a workspace's state document (`reconcile history`).
struct StateVersion {
  std::string id;        // the backend's name for it: an S3 version id, a local file name
  std::string modified;  // RFC 3339, when the backend knows it
};

// Storage and locking for the state of each workspace. Implementations are
// used from one thread at a time, except WritePending/WriteState which the
// engine may call from its writer thread while other calls are idle.
class Backend {
 public:
  virtual ~Backend() = default;

  virtual std::string Name() const = 0;  // "local", "s3"

  // Workspace names that have state ("default" always included).
  virtual Diagnostics ListWorkspaces(std::vector<std::string>* out) = 0;
  // Removes a workspace's state, journal and lock entries.
  virtual Diagnostics DeleteWorkspace(const std::string& workspace) = 0;

  // Reads the state document; nullopt when the workspace has none.
  virtual Diagnostics ReadState(const std::string& workspace, std::optional<std::string>* out) = 0;
  // Replaces the state document. Refused (with an error naming both) unless
  // the write is based on the stored state: the same lineage and a higher
  // serial (writers add one to the serial they read, so two writers that
  // started from the same serial conflict). Writing exactly the stored
  // document again (a retry of a write that landed) succeeds.
  virtual Diagnostics WriteState(const std::string& workspace, const StateWrite& write) = 0;

  // The pending-operation journal: written synchronously before and after
  // each create/delete call, so it is always durable.
  virtual Diagnostics ReadPending(const std::string& workspace, std::optional<std::string>* out) = 0;
  virtual Diagnostics WritePending(const std::string& workspace, const std::string& document) = 0;

  // Takes the workspace lock, retrying with backoff until `timeout`. When it is
  // held, the error names the holder (who, operation, since when, ID). On
  // success info.id/path are filled in.
  virtual Diagnostics Lock(const std::string& workspace, LockInfo& info,
                           std::chrono::milliseconds timeout) = 0;
  // Releases the lock only if it still carries `lock_id`.
  virtual Diagnostics Unlock(const std::string& workspace, const std::string& lock_id) = 0;
  // Releases a lock left by another process, if its ID is `lock_id`.
  virtual Diagnostics ForceUnlock(const std::string& workspace, const std::string& lock_id) = 0;

  // Creates what the backend needs when missing (`init --bootstrap`): for S3,
  // the bucket (versioned, encrypted, public access blocked) and the lock
  // table. Idempotent. `report` receives one line per action taken or skipped.
  virtual Diagnostics Bootstrap(std::vector<std::string>* report) {
    (void)report;
    return {};
  }
  // Versions of the workspace's state document, newest first, at most `limit`
  // (the current one included). A backend that keeps none lists none.
  virtual Diagnostics ListStateVersions(const std::string& workspace, std::size_t limit,
                                        std::vector<StateVersion>* out) {
    (void)workspace;
    (void)limit;
    out->clear();
    return {};
  }
  // Reads one version ListStateVersions listed.
  virtual Diagnostics ReadStateVersion(const std::string& workspace, const std::string& id,
                                       std::string* document) {
    (void)workspace;
    (void)document;
    Diagnostics diags;
    diags.Error("The " + Name() + " backend keeps no state versions", "Cannot read version " + id + ".");
    return diags;
  }
  // Called once an apply wrote its final state (`write`): a backend whose
  // storage keeps no versions by itself (local) keeps this one. S3 object
  // versions need nothing.
  virtual Diagnostics KeepStateVersion(const std::string& workspace, const StateWrite& write) {
    (void)workspace;
    (void)write;
    return {};
  }
  // Checks that the backend is reachable and usable (`init`).
  virtual Diagnostics Check() { return {}; }

  // The least time between two WriteState calls during an apply (the final
  // write is always made). Zero means write after every change.
  virtual std::chrono::milliseconds MinWriteInterval() const { return {}; }
};

// Options for creating a backend from a stack's [backend.*] block.
struct BackendConfig {
  std::string type;        // "local" or "s3"
  Value settings;          // the evaluated block (a map)
  std::string stack_dir;   // absolute path of the stack
};

// Creates the backend named by config.type; errors name the block's problem.
std::unique_ptr<Backend> MakeBackend(const BackendConfig& config, Diagnostics* diags);

// The local backend: `<stack>/.reconcile/state/<workspace>.json` (or under
// settings.path), atomic writes, flock locks.
std::unique_ptr<Backend> MakeLocalBackend(const std::string& state_dir);

}  // namespace reconcile
