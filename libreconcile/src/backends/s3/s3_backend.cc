// The S3 backend's state, journal and workspaces; locking is in s3_backend_lock.cc.
#include "backends/s3/s3_backend.h"

#include <algorithm>
#include <thread>

#include "backends/s3/content_digest.h"
#include "backends/s3/dynamodb_lock_store.h"
#include "backends/s3/s3_lock_store.h"
#include "backends/s3/state_bucket.h"
#include "reconcile/state.h"
#include "state/local_backend.h"

namespace reconcile::s3 {

namespace {

constexpr const char* kPendingSuffix = ".pending";
constexpr const char* kLineageMetadata = "reconcile-lineage";
constexpr const char* kSerialMetadata = "reconcile-serial";
constexpr const char* kDigestMetadata = "reconcile-digest";
constexpr int kWriteAttempts = 3;

// An AWS failure as a diagnostic whose summary starts with what we were doing.
Diagnostic Failure(const aws::AwsError& error, const std::string& doing) {
  Diagnostic d = error.ToDiagnostic();
  d.summary = doing + ": " + d.summary;
  return d;
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

// The identity recorded in a state object's metadata, if both parts are there.
std::optional<StateIdentity> IdentityFromMetadata(const std::map<std::string, std::string>& metadata) {
  auto lineage = metadata.find(kLineageMetadata);
  auto serial = metadata.find(kSerialMetadata);
  if (lineage == metadata.end() || serial == metadata.end()) return std::nullopt;
  std::optional<std::uint64_t> value = ParseSerial(serial->second);
  if (!value) return std::nullopt;
  return StateIdentity{lineage->second, *value};
}

// The MD5 a state object's metadata says its body has ("" when not recorded).
std::string DigestFromMetadata(const std::map<std::string, std::string>& metadata) {
  auto digest = metadata.find(kDigestMetadata);
  return digest == metadata.end() ? "" : digest->second;
}

// True when `object` is a whole state that is newer than the one `digest`
// records: its metadata gives its own MD5 (which its body has) and a higher
// serial than the digest's. That is a write stopped between the object and
// its digest, not a stale read (which shows an older object).
bool NewerThanDigest(const StoredObject& object, const std::string& actual_md5, const StateDigest& digest) {
  std::optional<StateIdentity> identity = IdentityFromMetadata(object.metadata);
  return digest.serial && identity && DigestFromMetadata(object.metadata) == actual_md5 &&
         identity->serial > *digest.serial;
}

std::string StoredIdentityText(const StateIdentity& identity) {
  return "lineage " + identity.lineage + ", serial " + std::to_string(identity.serial);
}

// Refuses a write over a state of another lineage or with the same or a
// higher serial.
Diagnostics CheckReplaceable(const std::string& workspace, const std::string& url, const StateIdentity& stored,
                             const StateWrite& write) {
  Diagnostics diags;
  std::string both = "stored at " + url + ": " + StoredIdentityText(stored) + "; written: lineage " + write.lineage +
                     ", serial " + std::to_string(write.serial) + ".";
  if (stored.lineage != write.lineage) {
    diags.Error("refusing to replace the state of workspace \"" + workspace + "\": it has another lineage",
                both + "\nThe two are different states; push with --force only if you mean to replace it.");
  } else if (stored.serial >= write.serial) {
    diags.Error("refusing to replace the state of workspace \"" + workspace + "\": the stored state is newer",
                both + (stored.serial == write.serial ? "\nAnother run wrote that serial since this one read serial " +
                                                            std::to_string(write.serial - 1) + "; plan again."
                                                      : "\nAnother run changed it since this one read it; plan again."));
  }
  return diags;
}

}  // namespace

S3Backend::S3Backend(S3BackendSettings settings, std::shared_ptr<aws::AwsClient> client)
    : settings_(std::move(settings)),
      client_(std::move(client)),
      objects_(client_, settings_.bucket, Encryption{settings_.encrypt, settings_.kms_key_id}) {
  if (settings_.lock == LockKind::kS3Object) {
    locks_ = std::make_unique<S3LockStore>(objects_);
  } else {
    locks_ = std::make_unique<DynamoDbLockStore>(client_, settings_.lock_table, settings_.bucket);
  }
}

std::string S3Backend::StatePath(const std::string& workspace) const {
  if (workspace == "default") return settings_.key;
  return settings_.workspace_key_prefix + "/" + workspace + "/" + settings_.key;
}

Diagnostics S3Backend::ListWorkspaces(std::vector<std::string>* out) {
  Diagnostics diags;
  std::string prefix = settings_.workspace_key_prefix + "/";
  aws::AwsResult<std::vector<std::string>> keys = objects_.List(prefix);
  if (!keys.ok()) {
    diags.Add(Failure(keys.error(), "cannot list the workspaces in " + objects_.Url(prefix)));
    return diags;
  }
  std::vector<std::string> names = {"default"};
  for (const std::string& key : keys.value()) {
    std::string rest = key.substr(prefix.size());
    std::size_t slash = rest.find('/');
    if (slash == std::string::npos) continue;
    std::string object = rest.substr(slash + 1);
    std::string name = rest.substr(0, slash);
    bool is_workspace_object = object == settings_.key || object == settings_.key + kPendingSuffix;
    if (is_workspace_object && !CheckWorkspaceName(name).HasErrors()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  *out = std::move(names);
  return diags;
}

Diagnostics S3Backend::DeleteWorkspace(const std::string& workspace) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::string path = StatePath(workspace);
  aws::AwsResult<std::optional<LockEntry>> lock = locks_->Read(path);
  if (!lock.ok()) {
    diags.Add(Failure(lock.error(), "cannot delete workspace \"" + workspace + "\""));
    return diags;
  }
  std::optional<HeldLock> ours;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    if (auto held = held_.find(workspace); held != held_.end()) ours = held->second;
  }
  if (lock.value() && (!ours || ours->entry.info_json != lock.value()->info_json)) {
    LockInfo holder;
    LockInfo::FromJson(lock.value()->info_json, &holder);
    diags.Error("cannot delete workspace \"" + workspace + "\": its state is locked", "held by " + holder.Describe());
    return diags;
  }
  // The digest goes first: a state without a digest reads, a digest without
  // its state would be a stale read.
  if (aws::AwsResult<aws::Done> digest = locks_->DeleteDigest(path); !digest.ok()) {
    diags.Add(Failure(digest.error(), "cannot delete the state digest in " + locks_->DigestLocation(path)));
    return diags;
  }
  for (const std::string& key : {path, path + kPendingSuffix}) {
    aws::AwsResult<aws::Done> deleted = objects_.Delete(key);
    if (!deleted.ok()) diags.Add(Failure(deleted.error(), "cannot delete " + objects_.Url(key)));
  }
  std::lock_guard<std::mutex> guard(mutex_);
  known_.erase(path);
  if (ours && !diags.HasErrors()) {
    (void)locks_->DeleteIfUnchanged(path, ours->entry);
    held_.erase(workspace);
  }
  return diags;
}

Diagnostics S3Backend::ReadMatchingDigest(const std::string& workspace, const std::string& path,
                                          std::optional<StoredObject>* out) {
  Diagnostics diags;
  auto deadline = std::chrono::steady_clock::now() + settings_.stale_read_timeout;
  while (true) {
    aws::AwsResult<std::optional<StoredObject>> object = objects_.Get(path);
    if (!object.ok()) {
      diags.Add(Failure(object.error(), "cannot read the state of workspace \"" + workspace + "\""));
      return diags;
    }
    aws::AwsResult<std::optional<StateDigest>> digest = locks_->ReadDigest(path);
    if (!digest.ok()) {
      diags.Add(Failure(digest.error(), "cannot read the state digest in " + locks_->DigestLocation(path)));
      return diags;
    }
    std::string actual = Md5Hex(object.value() ? object.value()->body : std::string());
    const std::optional<StateDigest>& expected = digest.value();
    if (!expected || expected->md5_hex.empty() || expected->md5_hex == actual ||
        (object.value() && NewerThanDigest(*object.value(), actual, *expected))) {
      *out = std::move(object.value());
      return diags;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      std::string serials;
      if (std::optional<StateIdentity> identity = object.value() ? IdentityFromMetadata(object.value()->metadata)
                                                                  : std::nullopt;
          identity && expected->serial)
        serials = " (the object has serial " + std::to_string(identity->serial) + ", the digest is of serial " +
                  std::to_string(*expected->serial) + ")";
      diags.Error("stale read: the state of workspace \"" + workspace + "\" in S3 does not match its digest",
                  objects_.Url(path) + (object.value() ? " has MD5 " + actual : " does not exist") +
                      ", but the digest in " + locks_->DigestLocation(path) + " is " + expected->md5_hex + serials +
                      ".\nS3 may still be serving an older version of the state: wait a minute and try again. If "
                      "it persists, check the state object by hand and set the digest to " + actual + ".");
      return diags;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

Diagnostics S3Backend::ReadState(const std::string& workspace, std::optional<std::string>* out) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::string path = StatePath(workspace);
  std::optional<StoredObject> object;
  diags.Append(ReadMatchingDigest(workspace, path, &object));
  if (diags.HasErrors()) return diags;
  std::lock_guard<std::mutex> guard(mutex_);
  StateIdentity identity;
  if (object && PeekStateIdentity(object->body, &identity, nullptr)) {
    known_[path] = KnownState{object->etag, std::move(identity), Md5Hex(object->body)};
  } else {
    known_.erase(path);
  }
  if (object) {
    *out = std::move(object->body);
  } else {
    out->reset();
  }
  return diags;
}

Diagnostics S3Backend::StoredState(const std::string& workspace, const std::string& path,
                                   std::optional<KnownState>* out, bool* remembered) {
  Diagnostics diags;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    *remembered = known_.count(path) != 0;
    if (*remembered) {
      *out = known_.at(path);
      return diags;
    }
  }
  aws::AwsResult<std::optional<StoredObject>> head = objects_.Head(path);
  if (!head.ok()) {
    diags.Add(Failure(head.error(), "cannot check the stored state of workspace \"" + workspace + "\""));
    return diags;
  }
  if (!head.value()) {
    out->reset();
    return diags;
  }
  if (std::optional<StateIdentity> identity = IdentityFromMetadata(head.value()->metadata)) {
    *out = KnownState{head.value()->etag, std::move(*identity), DigestFromMetadata(head.value()->metadata)};
    return diags;
  }
  // Written by another tool (no metadata): read the document itself.
  aws::AwsResult<std::optional<StoredObject>> object = objects_.Get(path);
  StateIdentity identity;
  std::string error = object.ok() ? "" : object.error().ToString();
  if (!object.ok() || !object.value() || !PeekStateIdentity(object.value()->body, &identity, &error)) {
    diags.Error("cannot check the stored state " + objects_.Url(path) + " before replacing it",
                error + "\nRestore a good version of the object (the bucket keeps its versions).");
    return diags;
  }
  *out = KnownState{object.value()->etag, std::move(identity), Md5Hex(object.value()->body)};
  return diags;
}

Diagnostics S3Backend::PutState(const std::string& path, const StateWrite& write,
                                const std::optional<KnownState>& stored, bool* condition_failed) {
  Diagnostics diags;
  std::string digest = Md5Hex(write.document);
  PutOptions options{.metadata = {{kLineageMetadata, write.lineage},
                                  {kSerialMetadata, std::to_string(write.serial)},
                                  {kDigestMetadata, digest}}};
  if (stored) {
    options.if_match = stored->etag;
  } else {
    options.if_none_match = true;
  }
  aws::AwsResult<std::string> etag = objects_.Put(path, write.document, options);
  std::lock_guard<std::mutex> guard(mutex_);
  *condition_failed = !etag.ok() && IsConditionFailure(etag.error());
  if (!etag.ok()) {
    known_.erase(path);
    if (!*condition_failed) {
      diags.Add(Failure(etag.error(), "cannot write the state to " + objects_.Url(path)));
      // No answer (or a 5xx) may still have stored it.
      if (etag.error().IsTransport() || etag.error().http_status >= 500)
        unconfirmed_[path] = KnownState{"", StateIdentity{write.lineage, write.serial}, digest};
    }
    return diags;
  }
  unconfirmed_.erase(path);
  known_[path] = KnownState{etag.value(), StateIdentity{write.lineage, write.serial}, digest};
  return diags;
}

bool S3Backend::Unconfirmed(const std::string& path, const KnownState& stored) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto it = unconfirmed_.find(path);
  return it != unconfirmed_.end() && it->second.identity.lineage == stored.identity.lineage &&
         it->second.identity.serial == stored.identity.serial && it->second.digest == stored.digest;
}

Diagnostics S3Backend::WriteState(const std::string& workspace, const StateWrite& write) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::lock_guard<std::mutex> one_writer(write_mutex_);
  std::string path = StatePath(workspace);
  for (int attempt = 1; attempt <= kWriteAttempts; ++attempt) {
    std::optional<KnownState> stored;
    bool remembered = false;
    diags.Append(StoredState(workspace, path, &stored, &remembered));
    if (diags.HasErrors()) return diags;
    // A write repeated after it landed (its answer was lost) finds itself in
    // what S3 holds now (not in what this backend remembers).
    bool landed = stored && !remembered && stored->identity.lineage == write.lineage &&
                  stored->identity.serial == write.serial && stored->digest == Md5Hex(write.document);
    // A state stored by an earlier write of ours whose answer was lost, at the
    // serial being written (with another document, since), is ours to replace.
    bool ours = stored && Unconfirmed(path, *stored);
    if (!landed) {
      if (stored && !ours) diags.Append(CheckReplaceable(workspace, objects_.Url(path), stored->identity, write));
      if (diags.HasErrors()) return diags;
      bool condition_failed = false;
      diags.Append(PutState(path, write, stored, &condition_failed));
      if (diags.HasErrors()) return diags;
      if (condition_failed) continue;  // changed since we looked: look again
    }
    // The state is written whatever happens to its digest: a digest left
    // behind is one serial older, which readers recognise (NewerThanDigest)
    // and the next write puts right.
    if (aws::AwsResult<aws::Done> digest = locks_->WriteDigest(path, {Md5Hex(write.document), write.serial});
        !digest.ok()) {
      Diagnostic warning = Failure(digest.error(), "the state was written but its digest was not (" +
                                                       locks_->DigestLocation(path) + ")");
      warning.severity = Severity::kWarning;
      warning.detail += "\nReaders still accept the state (its own metadata carries its digest and serial); the "
                        "next write records the digest.";
      diags.Add(std::move(warning));
    }
    return diags;
  }
  diags.Error("cannot write the state of workspace \"" + workspace + "\": it kept changing while being written",
              objects_.Url(path) + " changed under each of " + std::to_string(kWriteAttempts) +
                  " attempts; another run is writing it without holding the lock.");
  return diags;
}

Diagnostics S3Backend::ReadPending(const std::string& workspace, std::optional<std::string>* out) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::string key = StatePath(workspace) + kPendingSuffix;
  aws::AwsResult<std::optional<StoredObject>> object = objects_.Get(key);
  if (!object.ok()) {
    diags.Add(Failure(object.error(), "cannot read the pending-operation journal " + objects_.Url(key)));
  } else if (object.value()) {
    *out = std::move(object.value()->body);
  } else {
    out->reset();
  }
  return diags;
}

Diagnostics S3Backend::WritePending(const std::string& workspace, const std::string& document) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::string key = StatePath(workspace) + kPendingSuffix;
  if (IsEmptyJournal(document, &diags)) {
    aws::AwsResult<aws::Done> deleted = objects_.Delete(key);
    if (!deleted.ok()) diags.Add(Failure(deleted.error(), "cannot clear the pending-operation journal " + objects_.Url(key)));
    return diags;
  }
  if (diags.HasErrors()) return diags;
  aws::AwsResult<std::string> etag = objects_.Put(key, document, PutOptions{});
  if (!etag.ok()) diags.Add(Failure(etag.error(), "cannot write the pending-operation journal " + objects_.Url(key)));
  return diags;
}

Diagnostics S3Backend::Bootstrap(std::vector<std::string>* report) {
  Diagnostics diags = BootstrapBucket(objects_, report);
  if (!diags.HasErrors()) diags.Append(locks_->Bootstrap(report));
  return diags;
}

Diagnostics S3Backend::Check() {
  Diagnostics diags = CheckBucket(objects_);
  if (!diags.HasErrors()) diags.Append(locks_->Check());
  return diags;
}

std::unique_ptr<Backend> MakeS3Backend(const S3BackendSettings& settings, Diagnostics* diags) {
  aws::ClientConfig config{.region = settings.region, .profile = settings.profile, .endpoints = settings.endpoints};
  aws::AwsResult<std::shared_ptr<aws::AwsClient>> client = aws::AwsClient::Create(std::move(config));
  if (!client.ok()) {
    Diagnostic d = client.error().ToDiagnostic();
    d.summary = "[backend.s3]: cannot set up the AWS client: " + d.summary;
    if (client.error().Is("NoRegion")) d.detail += "\nexpected region = \"us-west-2\" (for example) in [backend.s3]";
    diags->Add(std::move(d));
    return nullptr;
  }
  return std::make_unique<S3Backend>(settings, client.value());
}

}  // namespace reconcile::s3

namespace reconcile {

std::unique_ptr<Backend> MakeS3BackendFromConfig(const BackendConfig& config, Diagnostics* diags) {
  s3::S3BackendSettings settings;
  diags->Append(s3::ParseS3BackendSettings(config.settings, &settings));
  if (diags->HasErrors()) return nullptr;
  return s3::MakeS3Backend(settings, diags);
}

}  // namespace reconcile
