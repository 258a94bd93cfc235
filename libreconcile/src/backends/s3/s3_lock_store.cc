#include "backends/s3/s3_lock_store.h"

namespace reconcile::s3 {

namespace {

constexpr const char* kSerialMetadata = "reconcile-serial";

std::string Trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

}  // namespace

aws::AwsResult<LockAttempt> S3LockStore::TryCreate(const std::string& state_path, const std::string& info_json) {
  PutOptions create{.if_none_match = true};
  aws::AwsResult<std::string> etag = objects_.Put(LockKey(state_path), info_json, create);
  if (etag.ok()) {
    // Read the lock back: a store whose conditional write is not atomic
    // (moto under concurrent requests lets two through) shows the later
    // writer's lock, and then that writer holds it, not us.
    aws::AwsResult<std::optional<LockEntry>> stored = Read(state_path);
    if (!stored.ok()) return stored.error();
    if (!stored.value() || stored.value()->info_json == info_json)
      return LockAttempt{.acquired = true, .entry = {info_json, etag.value()}};
    return LockAttempt{.acquired = false, .entry = *stored.value()};
  }
  if (!IsConditionFailure(etag.error())) return etag.error();
  aws::AwsResult<std::optional<LockEntry>> holder = Read(state_path);
  if (!holder.ok()) return holder.error();
  return LockAttempt{.acquired = false, .entry = holder.value().value_or(LockEntry{})};
}

aws::AwsResult<std::optional<LockEntry>> S3LockStore::Read(const std::string& state_path) {
  aws::AwsResult<std::optional<StoredObject>> object = objects_.Get(LockKey(state_path));
  if (!object.ok()) return object.error();
  if (!object.value()) return std::optional<LockEntry>();
  return std::optional<LockEntry>(LockEntry{object.value()->body, object.value()->etag});
}

aws::AwsResult<bool> S3LockStore::DeleteIfUnchanged(const std::string& state_path, const LockEntry& expected) {
  aws::AwsResult<aws::Done> deleted = objects_.Delete(LockKey(state_path), expected.version);
  if (deleted.ok()) return true;
  if (IsConditionFailure(deleted.error())) return false;
  return deleted.error();
}

aws::AwsResult<std::optional<StateDigest>> S3LockStore::ReadDigest(const std::string& state_path) {
  aws::AwsResult<std::optional<StoredObject>> object = objects_.Get(DigestKey(state_path));
  if (!object.ok()) return object.error();
  if (!object.value()) return std::optional<StateDigest>();
  StateDigest digest{Trimmed(object.value()->body), std::nullopt};
  if (auto serial = object.value()->metadata.find(kSerialMetadata); serial != object.value()->metadata.end())
    digest.serial = ParseSerial(serial->second);
  return std::optional<StateDigest>(std::move(digest));
}

aws::AwsResult<aws::Done> S3LockStore::WriteDigest(const std::string& state_path, const StateDigest& digest) {
  PutOptions options{.content_type = "text/plain"};
  if (digest.serial) options.metadata[kSerialMetadata] = std::to_string(*digest.serial);
  aws::AwsResult<std::string> etag = objects_.Put(DigestKey(state_path), digest.md5_hex, options);
  if (!etag.ok()) return etag.error();
  return aws::Done{};
}

aws::AwsResult<aws::Done> S3LockStore::DeleteDigest(const std::string& state_path) {
  return objects_.Delete(DigestKey(state_path));
}

std::string S3LockStore::LockLocation(const std::string& state_path) const {
  return "object " + objects_.Url(LockKey(state_path));
}

std::string S3LockStore::DigestLocation(const std::string& state_path) const {
  return "object " + objects_.Url(DigestKey(state_path));
}

Diagnostics S3LockStore::Bootstrap(std::vector<std::string>* report) {
  report->push_back("Locks are objects beside the state in bucket \"" + objects_.bucket() + "\"; no lock table needed.");
  return {};
}

}  // namespace reconcile::s3
