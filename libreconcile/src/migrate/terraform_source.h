// Where `import --from-terraform` reads a Terraform state: a local file, or an
// object of Terraform's S3 backend, read under Terraform's own lock (its
// DynamoDB item LockID = "<bucket>/<path>", and/or its S3 lockfile
// "<path>.tflock") so that no `terraform apply` changes it meanwhile.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "aws/client.h"
#include "reconcile/diagnostics.h"

namespace reconcile::migrate {

struct TerraformSourceOptions {
  std::string source;     // a path, or s3://BUCKET/KEY (KEY as in Terraform's backend block)
  std::string workspace;  // not "default": the object is <prefix>/<workspace>/<KEY>
  std::string workspace_key_prefix = "env:";  // Terraform's default
  // The client S3 and DynamoDB calls go through (the stack backend's, for its
  // credentials and endpoints); null makes one from the AWS environment.
  std::shared_ptr<aws::AwsClient> client;
  std::string lock_table;  // Terraform's dynamodb_table; empty: none
  bool lockfile = false;   // Terraform's use_lockfile
  bool lock = true;        // false: read without Terraform's lock (a stated choice)
  std::chrono::milliseconds lock_timeout{0};
  std::string operation = "reconcile import --from-terraform";
  std::string tool_version;
};

// A Terraform state being read, with Terraform's locks held until Release (or
// destruction).
class TerraformSource {
 public:
  // Takes the locks (for S3) and reads the document. Errors say what was
  // missing or who holds the lock.
  static Diagnostics Open(const TerraformSourceOptions& options,
                          std::unique_ptr<TerraformSource>* out);
  ~TerraformSource();
  TerraformSource(const TerraformSource&) = delete;
  TerraformSource& operator=(const TerraformSource&) = delete;

  // Releases what Open took; errors name the lock left behind.
  Diagnostics Release();

  const std::string& document() const { return document_; }
  // "s3://bucket/env:/staging/key" or the path, for messages.
  const std::string& location() const { return location_; }
  // What was locked, for messages ("DynamoDB table t, LockID b/k"); empty when nothing.
  const std::vector<std::string>& locks() const { return lock_descriptions_; }

 private:
  struct HeldLocks;
  TerraformSource();

  std::string document_;
  std::string location_;
  std::vector<std::string> lock_descriptions_;
  std::unique_ptr<HeldLocks> held_;
};

// Splits s3://BUCKET/KEY; false when `source` is not of that form.
bool ParseS3Url(const std::string& source, std::string* bucket, std::string* key);

}  // namespace reconcile::migrate
