// A backend for engine tests that wraps a real one (the local backend) and
// can fail state writes, or hold them back the way S3's one-second write
// interval does.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "reconcile/backend.h"

namespace reconcile::testing {

class FaultyBackend final : public Backend {
 public:
  explicit FaultyBackend(std::unique_ptr<Backend> inner) : inner_(std::move(inner)) {}

  // Every WriteState fails (without touching the stored state) while set.
  std::atomic<bool> fail_state_writes{false};
  // What MinWriteInterval answers: an hour stands for "the writer thread never
  // gets to write during the apply", S3's worst case.
  std::chrono::milliseconds min_write_interval{0};
  std::atomic<int> state_writes{0};  // successful ones

  std::string Name() const override { return "faulty"; }
  Diagnostics ListWorkspaces(std::vector<std::string>* out) override { return inner_->ListWorkspaces(out); }
  Diagnostics DeleteWorkspace(const std::string& w) override { return inner_->DeleteWorkspace(w); }
  Diagnostics ReadState(const std::string& w, std::optional<std::string>* out) override {
    return inner_->ReadState(w, out);
  }
  Diagnostics WriteState(const std::string& w, const StateWrite& write) override {
    if (fail_state_writes) {
      Diagnostics diags;
      diags.Error("cannot write the state: the backend is unreachable (injected)");
      return diags;
    }
    Diagnostics diags = inner_->WriteState(w, write);
    if (!diags.HasErrors()) ++state_writes;
    return diags;
  }
  Diagnostics ReadPending(const std::string& w, std::optional<std::string>* out) override {
    return inner_->ReadPending(w, out);
  }
  Diagnostics WritePending(const std::string& w, const std::string& document) override {
    return inner_->WritePending(w, document);
  }
  Diagnostics Lock(const std::string& w, LockInfo& info, std::chrono::milliseconds timeout) override {
    return inner_->Lock(w, info, timeout);
  }
  Diagnostics Unlock(const std::string& w, const std::string& id) override { return inner_->Unlock(w, id); }
  Diagnostics ForceUnlock(const std::string& w, const std::string& id) override {
    return inner_->ForceUnlock(w, id);
  }
  std::chrono::milliseconds MinWriteInterval() const override { return min_write_interval; }

 private:
  std::unique_ptr<Backend> inner_;
};

}  // namespace reconcile::testing
