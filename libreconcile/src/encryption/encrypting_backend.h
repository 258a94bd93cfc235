// A Backend that keeps every document it stores in the encryption envelope:
// the engine reads and writes state and journal through it, so S3 object
// versions, local backups (copies of the stored bytes) and the journal are
// all sealed. Without encryption configured it passes documents through and
// refuses encrypted ones with a clear error.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "encryption/envelope.h"
#include "reconcile/backend.h"

namespace reconcile::encryption {

class EncryptingBackend : public Backend {
 public:
  EncryptingBackend(std::unique_ptr<Backend> owned, Backend* inner, std::shared_ptr<DocumentCipher> cipher,
                    std::string stack);

  // The backend documents are stored in (for what only it knows: the S3
  // backend's client and lock settings).
  Backend* inner() const { return inner_; }

  std::string Name() const override { return inner_->Name(); }
  Diagnostics ListWorkspaces(std::vector<std::string>* out) override { return inner_->ListWorkspaces(out); }
  Diagnostics DeleteWorkspace(const std::string& workspace) override { return inner_->DeleteWorkspace(workspace); }

  Diagnostics ReadState(const std::string& workspace, std::optional<std::string>* out) override;
  Diagnostics WriteState(const std::string& workspace, const StateWrite& write) override;
  Diagnostics ReadPending(const std::string& workspace, std::optional<std::string>* out) override;
  Diagnostics WritePending(const std::string& workspace, const std::string& document) override;

  Diagnostics Lock(const std::string& workspace, LockInfo& info, std::chrono::milliseconds timeout) override {
    return inner_->Lock(workspace, info, timeout);
  }
  Diagnostics Unlock(const std::string& workspace, const std::string& lock_id) override {
    return inner_->Unlock(workspace, lock_id);
  }
  Diagnostics ForceUnlock(const std::string& workspace, const std::string& lock_id) override {
    return inner_->ForceUnlock(workspace, lock_id);
  }
  // History (`reconcile history`): versions are listed as the backend keeps
  // them, read back opened, and kept (local backend) sealed like the state.
  Diagnostics ListStateVersions(const std::string& workspace, std::size_t limit,
                                std::vector<StateVersion>* out) override {
    return inner_->ListStateVersions(workspace, limit, out);
  }
  Diagnostics ReadStateVersion(const std::string& workspace, const std::string& id, std::string* document) override;
  Diagnostics KeepStateVersion(const std::string& workspace, const StateWrite& write) override;

  Diagnostics Bootstrap(std::vector<std::string>* report) override { return inner_->Bootstrap(report); }
  Diagnostics Check() override { return inner_->Check(); }
  std::chrono::milliseconds MinWriteInterval() const override { return inner_->MinWriteInterval(); }

 private:
  DocumentBinding Binding(const std::string& kind, const std::string& workspace) const;
  // The state document of `write` sealed, or the bytes last sealed for the
  // same workspace and document (a retried write, or the version kept after
  // it, sends the same bytes without another data key).
  Diagnostics SealState(const std::string& workspace, const StateWrite& write, StateWrite* sealed);

  std::unique_ptr<Backend> owned_;
  Backend* inner_;
  std::shared_ptr<DocumentCipher> cipher_;
  std::string stack_;

  // The last state written: a retry of the same write sends the same bytes
  // (the backend accepts exactly the stored document again).
  std::mutex last_mutex_;
  std::string last_workspace_, last_plaintext_, last_sealed_;
};

}  // namespace reconcile::encryption
