// The [backend.s3] block: where the state lives in S3 and how it is locked.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::s3 {

// Which store holds the lock entries and the state digests.
enum class LockKind {
  kDynamoDb,  // lock_table: items LockID = <bucket>/<path> (Terraform's format)
  kS3Object,  // lock = "s3": objects <path>.lock written with If-None-Match: *
};

struct S3BackendSettings {
  std::string bucket;
  std::string key;                              // the default workspace's state object
  std::string region;                           // empty = the AWS environment / profile
  std::string profile;                          // the backend's own credentials
  LockKind lock = LockKind::kDynamoDb;
  std::string lock_table;                       // with LockKind::kDynamoDb
  std::string workspace_key_prefix = "env:";    // other workspaces: <prefix>/<workspace>/<key>
  bool encrypt = false;                         // SSE-S3 (AES256), or SSE-KMS with kms_key_id
  std::string kms_key_id;
  std::map<std::string, std::string> endpoints;  // "s3", "dynamodb" -> URL

  // Not a [backend.s3] setting: how long a read retries while the state does
  // not match its recorded digest before reporting a stale read.
  std::chrono::milliseconds stale_read_timeout{5000};
};

// Reads an evaluated [backend.s3] block. Every problem is reported, each
// naming the setting and what it expects; *out is only valid without errors.
Diagnostics ParseS3BackendSettings(const Value& block, S3BackendSettings* out);

}  // namespace reconcile::s3
