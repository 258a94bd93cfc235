// Terraform's DynamoDB lock format: an item LockID = "<bucket>/<path>" with
// Info = the LockInfo JSON, put with attribute_not_exists(LockID), and an item
// LockID = "<bucket>/<path>-md5" with Digest = the state's MD5 (and, an
// attribute Terraform ignores, Serial = the state's serial).
#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "backends/s3/lock_store.h"

namespace reconcile::s3 {

class DynamoDbLockStore final : public LockStore {
 public:
  DynamoDbLockStore(std::shared_ptr<aws::AwsClient> client, std::string table, std::string bucket)
      : client_(std::move(client)), table_(std::move(table)), bucket_(std::move(bucket)) {}

  aws::AwsResult<LockAttempt> TryCreate(const std::string& state_path, const std::string& info_json) override;
  aws::AwsResult<std::optional<LockEntry>> Read(const std::string& state_path) override;
  aws::AwsResult<bool> DeleteIfUnchanged(const std::string& state_path, const LockEntry& expected) override;
  aws::AwsResult<std::optional<StateDigest>> ReadDigest(const std::string& state_path) override;
  aws::AwsResult<aws::Done> WriteDigest(const std::string& state_path, const StateDigest& digest) override;
  aws::AwsResult<aws::Done> DeleteDigest(const std::string& state_path) override;
  std::string LockLocation(const std::string& state_path) const override;
  std::string DigestLocation(const std::string& state_path) const override;
  Diagnostics Bootstrap(std::vector<std::string>* report) override;
  Diagnostics Check() override;

 private:
  std::string LockId(const std::string& state_path) const { return bucket_ + "/" + state_path; }
  std::string DigestId(const std::string& state_path) const { return LockId(state_path) + "-md5"; }
  // The item with this LockID (read consistently), or nullopt when there is none.
  aws::AwsResult<std::optional<nlohmann::json>> ReadItem(const std::string& lock_id);
  // Polls DescribeTable until the table is ACTIVE.
  Diagnostics WaitUntilActive();

  std::shared_ptr<aws::AwsClient> client_;
  std::string table_;
  std::string bucket_;
};

}  // namespace reconcile::s3
