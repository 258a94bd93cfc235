// Where the S3 backend keeps lock entries and state digests: a DynamoDB table
// (Terraform's format) or objects beside the state in the bucket.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "reconcile/diagnostics.h"

namespace reconcile::s3 {

// A lock entry as stored: the LockInfo JSON and the version a conditional
// delete must still find (the S3 object's ETag; DynamoDB compares the JSON).
struct LockEntry {
  std::string info_json;
  std::string version;
};

// What is recorded beside the state at a path: the MD5 (hex) of the last
// state written there and, when reconcile wrote it, that state's serial. The
// serial lets a reader tell a state newer than its digest (a write stopped
// between the object and the digest) from a stale read of an older one.
struct StateDigest {
  std::string md5_hex;
  std::optional<std::uint64_t> serial;  // nullopt: written by Terraform or an older reconcile
};

// A serial written as decimal text (object metadata, DynamoDB numbers);
// nullopt when the text is not one.
inline std::optional<std::uint64_t> ParseSerial(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The outcome of one attempt to create a lock entry.
struct LockAttempt {
  bool acquired = false;
  LockEntry entry;  // ours when acquired, else the holder's (empty if it vanished meanwhile)
};

// Lock entries and digests, keyed by the state's object key (its "path").
class LockStore {
 public:
  virtual ~LockStore() = default;

  // Creates the lock entry of `state_path` holding `info_json` unless one exists.
  virtual aws::AwsResult<LockAttempt> TryCreate(const std::string& state_path, const std::string& info_json) = 0;
  // The current lock entry of `state_path`, or nullopt when it is not locked.
  virtual aws::AwsResult<std::optional<LockEntry>> Read(const std::string& state_path) = 0;
  // Deletes the lock entry only while it is still `expected`; false when another entry replaced it.
  virtual aws::AwsResult<bool> DeleteIfUnchanged(const std::string& state_path, const LockEntry& expected) = 0;

  // The digest recorded with the last state written at `state_path`, or nullopt.
  virtual aws::AwsResult<std::optional<StateDigest>> ReadDigest(const std::string& state_path) = 0;
  virtual aws::AwsResult<aws::Done> WriteDigest(const std::string& state_path, const StateDigest& digest) = 0;
  virtual aws::AwsResult<aws::Done> DeleteDigest(const std::string& state_path) = 0;

  // Where the lock and the digest of `state_path` live, for messages.
  virtual std::string LockLocation(const std::string& state_path) const = 0;
  virtual std::string DigestLocation(const std::string& state_path) const = 0;

  // Creates what the store needs when missing; one report line per action taken or skipped.
  virtual Diagnostics Bootstrap(std::vector<std::string>* report) = 0;
  // Checks the store is there and usable.
  virtual Diagnostics Check() = 0;
};

}  // namespace reconcile::s3
