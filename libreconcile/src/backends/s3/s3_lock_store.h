// Locks and digests as objects beside the state (lock = "s3"):
// `<path>.lock` holds the LockInfo JSON and is created with If-None-Match: *,
// deleted with If-Match on its ETag; `<path>.md5` holds the state's MD5 (and
// its serial as x-amz-meta-reconcile-serial).
#pragma once

#include "backends/s3/lock_store.h"
#include "backends/s3/object_store.h"

namespace reconcile::s3 {

class S3LockStore final : public LockStore {
 public:
  explicit S3LockStore(const ObjectStore& objects) : objects_(objects) {}

  aws::AwsResult<LockAttempt> TryCreate(const std::string& state_path, const std::string& info_json) override;
  aws::AwsResult<std::optional<LockEntry>> Read(const std::string& state_path) override;
  aws::AwsResult<bool> DeleteIfUnchanged(const std::string& state_path, const LockEntry& expected) override;
  aws::AwsResult<std::optional<StateDigest>> ReadDigest(const std::string& state_path) override;
  aws::AwsResult<aws::Done> WriteDigest(const std::string& state_path, const StateDigest& digest) override;
  aws::AwsResult<aws::Done> DeleteDigest(const std::string& state_path) override;
  std::string LockLocation(const std::string& state_path) const override;
  std::string DigestLocation(const std::string& state_path) const override;
  Diagnostics Bootstrap(std::vector<std::string>* report) override;
  Diagnostics Check() override { return {}; }  // the bucket check covers it

  static std::string LockKey(const std::string& state_path) { return state_path + ".lock"; }
  static std::string DigestKey(const std::string& state_path) { return state_path + ".md5"; }

 private:
  const ObjectStore& objects_;
};

}  // namespace reconcile::s3
