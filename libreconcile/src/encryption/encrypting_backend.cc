#include "encryption/encrypting_backend.h"

#include <map>

#include "reconcile/state.h"

namespace reconcile::encryption {
namespace {

std::string StateOf(const std::string& workspace) { return "the state of workspace \"" + workspace + "\""; }

}  // namespace

EncryptingBackend::EncryptingBackend(std::unique_ptr<Backend> owned, Backend* inner,
                                     std::shared_ptr<DocumentCipher> cipher, std::string stack)
    : owned_(std::move(owned)), inner_(owned_ ? owned_.get() : inner), cipher_(std::move(cipher)),
      stack_(std::move(stack)) {}

DocumentBinding EncryptingBackend::Binding(const std::string& kind, const std::string& workspace) const {
  DocumentBinding b;
  b.kind = kind;
  b.stack = stack_;
  b.workspace = workspace;
  return b;
}

Diagnostics EncryptingBackend::ReadState(const std::string& workspace, std::optional<std::string>* out) {
  std::optional<std::string> stored;
  Diagnostics diags = inner_->ReadState(workspace, &stored);
  if (diags.HasErrors() || !stored) {
    *out = std::move(stored);
    return diags;
  }
  std::string plaintext;
  diags.Append(cipher_->Open(Binding("state", workspace), StateOf(workspace), *stored, &plaintext));
  if (!diags.HasErrors()) *out = std::move(plaintext);
  return diags;
}

Diagnostics EncryptingBackend::SealState(const std::string& workspace, const StateWrite& write,
                                         StateWrite* sealed) {
  *sealed = StateWrite{std::string(), write.lineage, write.serial};
  {
    std::lock_guard<std::mutex> lock(last_mutex_);
    if (last_workspace_ == workspace && last_plaintext_ == write.document) {
      sealed->document = last_sealed_;
      return {};
    }
  }
  DocumentBinding binding = Binding("state", workspace);
  binding.lineage = write.lineage;
  binding.serial = write.serial;
  Diagnostics diags = cipher_->Seal(binding, write.document, &sealed->document);
  if (diags.HasErrors()) return diags;
  std::lock_guard<std::mutex> lock(last_mutex_);
  last_workspace_ = workspace;
  last_plaintext_ = write.document;
  last_sealed_ = sealed->document;
  return diags;
}

Diagnostics EncryptingBackend::WriteState(const std::string& workspace, const StateWrite& write) {
  if (!cipher_->enabled()) return inner_->WriteState(workspace, write);
  StateWrite sealed;
  Diagnostics diags = SealState(workspace, write, &sealed);
  if (diags.HasErrors()) return diags;
  diags.Append(inner_->WriteState(workspace, sealed));
  return diags;
}

Diagnostics EncryptingBackend::ReadStateVersion(const std::string& workspace, const std::string& id,
                                                std::string* document) {
  std::string stored;
  Diagnostics diags = inner_->ReadStateVersion(workspace, id, &stored);
  if (diags.HasErrors()) return diags;
  diags.Append(cipher_->Open(Binding("state", workspace), "version " + id + " of " + StateOf(workspace), stored,
                             document));
  return diags;
}

Diagnostics EncryptingBackend::KeepStateVersion(const std::string& workspace, const StateWrite& write) {
  if (!cipher_->enabled()) return inner_->KeepStateVersion(workspace, write);
  StateWrite sealed;  // the bytes WriteState just stored, from the cache
  Diagnostics diags = SealState(workspace, write, &sealed);
  if (diags.HasErrors()) return diags;
  diags.Append(inner_->KeepStateVersion(workspace, sealed));
  return diags;
}

Diagnostics EncryptingBackend::ReadPending(const std::string& workspace, std::optional<std::string>* out) {
  std::optional<std::string> stored;
  Diagnostics diags = inner_->ReadPending(workspace, &stored);
  if (diags.HasErrors() || !stored) {
    *out = std::move(stored);
    return diags;
  }
  std::string plaintext;
  diags.Append(cipher_->Open(Binding("journal", workspace),
                             "the pending-operation journal of workspace \"" + workspace + "\"", *stored, &plaintext));
  if (!diags.HasErrors()) *out = std::move(plaintext);
  return diags;
}

Diagnostics EncryptingBackend::WritePending(const std::string& workspace, const std::string& document) {
  // An empty journal holds nothing to hide, and the backend removes it.
  std::map<std::string, PendingOperation> pending;
  bool empty = document.find_first_not_of(" \t\r\n") == std::string::npos ||
               (!ParsePending(document, &pending).HasErrors() && pending.empty());
  if (!cipher_->enabled() || empty) return inner_->WritePending(workspace, document);
  std::string sealed;
  Diagnostics diags = cipher_->Seal(Binding("journal", workspace), document, &sealed);
  if (!diags.HasErrors()) diags.Append(inner_->WritePending(workspace, sealed));
  return diags;
}

}  // namespace reconcile::encryption
