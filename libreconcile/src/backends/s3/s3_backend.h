// The S3 backend, in Terraform's layout:
//
//   <key>                                  state of the default workspace
//   <prefix>/<workspace>/<key>             state of any other workspace (prefix "env:")
//   <path>.pending                         its pending-operation journal (only while non-empty)
//   lock + digest                          in a LockStore: DynamoDB items LockID = <bucket>/<path>
//                                          and <bucket>/<path>-md5, or objects <path>.lock and <path>.md5
//
// A state object carries x-amz-meta-reconcile-lineage / -serial / -digest, so
// a write checks the stored identity with a HEAD (or not at all, when the ETag
// it last saw is still current) and replaces it with If-Match on that ETag,
// and a reader can tell a state newer than the recorded digest (a write
// stopped between the two) from a stale read.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "backends/s3/lock_store.h"
#include "backends/s3/object_store.h"
#include "backends/s3/s3_backend_settings.h"
#include "reconcile/backend.h"
#include "state/state_identity.h"

namespace reconcile::s3 {

class S3Backend final : public Backend {
 public:
  S3Backend(S3BackendSettings settings, std::shared_ptr<aws::AwsClient> client);
  // Releases every lock this backend still holds.
  ~S3Backend() override;

  std::string Name() const override { return "s3"; }
  Diagnostics ListWorkspaces(std::vector<std::string>* out) override;
  Diagnostics DeleteWorkspace(const std::string& workspace) override;
  Diagnostics ReadState(const std::string& workspace, std::optional<std::string>* out) override;
  Diagnostics WriteState(const std::string& workspace, const StateWrite& write) override;
  Diagnostics ReadPending(const std::string& workspace, std::optional<std::string>* out) override;
  Diagnostics WritePending(const std::string& workspace, const std::string& document) override;
  Diagnostics Lock(const std::string& workspace, LockInfo& info, std::chrono::milliseconds timeout) override;
  Diagnostics Unlock(const std::string& workspace, const std::string& lock_id) override;
  Diagnostics ForceUnlock(const std::string& workspace, const std::string& lock_id) override;
  Diagnostics Bootstrap(std::vector<std::string>* report) override;
  Diagnostics Check() override;
  // History: the object versions of the state (state_versions.cc).
  Diagnostics ListStateVersions(const std::string& workspace, std::size_t limit,
                                std::vector<StateVersion>* out) override;
  Diagnostics ReadStateVersion(const std::string& workspace, const std::string& id,
                               std::string* document) override;
  std::chrono::milliseconds MinWriteInterval() const override { return std::chrono::milliseconds(1000); }

  // The object key of a workspace's state.
  std::string StatePath(const std::string& workspace) const;
  // The backend's settings and AWS client (reading a Terraform state with the
  // same credentials and endpoints).
  const S3BackendSettings& settings() const { return settings_; }
  const std::shared_ptr<aws::AwsClient>& client() const { return client_; }

 private:
  // The stored state as of our last read or write: its ETag, identity and MD5
  // ("" when unknown).
  struct KnownState {
    std::string etag;
    StateIdentity identity;
    std::string digest;
  };
  // A lock this backend took.
  struct HeldLock {
    std::string id;
    LockEntry entry;
  };

  // The stored state's ETag and identity (nullopt when there is none), from
  // what we last saw (*remembered) or a HEAD (a GET for a state written
  // without metadata).
  Diagnostics StoredState(const std::string& workspace, const std::string& path, std::optional<KnownState>* out,
                          bool* remembered);
  // GETs the state until it matches its recorded digest or the stale-read timeout passes.
  Diagnostics ReadMatchingDigest(const std::string& workspace, const std::string& path,
                                 std::optional<StoredObject>* out);
  // One PUT of the state, conditioned on `stored`; false when the condition failed.
  Diagnostics PutState(const std::string& path, const StateWrite& write, const std::optional<KnownState>& stored,
                       bool* condition_failed);
  // True when `stored` is a state this backend PUT without learning whether
  // it was stored (a timeout, a lost connection, a 5xx).
  bool Unconfirmed(const std::string& path, const KnownState& stored);
  // One attempt at the lock; *holder is filled when another run holds it.
  Diagnostics TryLock(const std::string& workspace, LockInfo& info, bool* acquired, LockInfo* holder);
  // Removes the lock of `workspace` if it carries `lock_id` (Unlock and ForceUnlock).
  Diagnostics ReleaseLock(const std::string& workspace, const std::string& lock_id, const std::string& verb);

  S3BackendSettings settings_;
  std::shared_ptr<aws::AwsClient> client_;
  ObjectStore objects_;
  std::unique_ptr<LockStore> locks_;
  std::mutex write_mutex_;  // one WriteState at a time
  std::mutex mutex_;        // guards known_ and held_
  std::map<std::string, KnownState> known_;  // by state path
  std::map<std::string, KnownState> unconfirmed_;  // by state path: our last PUT whose answer was lost
  std::map<std::string, HeldLock> held_;     // by workspace
};

// Makes the backend from parsed settings: its own AWS client (region,
// profile, endpoints) and its lock store. Null with diagnostics on failure.
std::unique_ptr<Backend> MakeS3Backend(const S3BackendSettings& settings, Diagnostics* diags);

}  // namespace reconcile::s3

namespace reconcile {

// "s3" from a [backend.s3] block (registered in the backend factory's table).
std::unique_ptr<Backend> MakeS3BackendFromConfig(const BackendConfig& config, Diagnostics* diags);

}  // namespace reconcile
