// The objects of the state bucket: get, head, conditional put and delete,
// listing. Every write carries the backend's server-side encryption.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"

namespace reconcile::s3 {

// An object as stored: its ETag (the version token for If-Match) and its
// user metadata (x-amz-meta-<name>, names lowercased, prefix removed).
struct StoredObject {
  std::string body;  // empty for Head
  std::string etag;
  std::map<std::string, std::string> metadata;
};

// How a Put is conditioned and described.
struct PutOptions {
  std::string if_match;          // replace only the object with this ETag
  bool if_none_match = false;    // create only: fail when the object exists
  std::map<std::string, std::string> metadata;
  std::string content_type = "application/json";
};

// Server-side encryption of written objects.
struct Encryption {
  bool enabled = false;
  std::string kms_key_id;  // SSE-KMS with this key; SSE-S3 (AES256) when empty
};

// True when a conditional request lost: the object changed or exists
// (PreconditionFailed, HTTP 412, or S3's ConditionalRequestConflict).
bool IsConditionFailure(const aws::AwsError& error);

class ObjectStore {
 public:
  ObjectStore(std::shared_ptr<aws::AwsClient> client, std::string bucket, Encryption encryption)
      : client_(std::move(client)), bucket_(std::move(bucket)), encryption_(std::move(encryption)) {}

  // The object, or nullopt when there is none.
  aws::AwsResult<std::optional<StoredObject>> Get(const std::string& key) const;
  // The object's ETag and metadata without its body, or nullopt.
  aws::AwsResult<std::optional<StoredObject>> Head(const std::string& key) const;
  // Writes the object; returns its new ETag. A failed condition is an error
  // for which IsConditionFailure holds.
  aws::AwsResult<std::string> Put(const std::string& key, const std::string& body, const PutOptions& options) const;
  // Deletes the object (only the version with ETag `if_match` when given). An
  // object already gone is not an error.
  aws::AwsResult<aws::Done> Delete(const std::string& key, const std::string& if_match = {}) const;
  // Every key starting with `prefix`, in S3's order.
  aws::AwsResult<std::vector<std::string>> List(const std::string& prefix) const;

  // "s3://bucket/key", for messages.
  std::string Url(const std::string& key) const { return "s3://" + bucket_ + "/" + key; }
  const std::string& bucket() const { return bucket_; }
  const Encryption& encryption() const { return encryption_; }
  const aws::AwsClient& client() const { return *client_; }

 private:
  aws::AwsResult<std::optional<StoredObject>> Fetch(const char* operation, const char* method,
                                                    const std::string& key) const;

  std::shared_ptr<aws::AwsClient> client_;
  std::string bucket_;
  Encryption encryption_;
};

}  // namespace reconcile::s3
