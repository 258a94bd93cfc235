// AWS credentials and the chain that finds them, in the AWS SDKs' order:
// environment, shared config/credentials profiles (static keys, role_arn +
// source_profile/credential_source via STS AssumeRole, credential_process),
// ECS container credentials, EC2 instance metadata (IMDSv2).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/error.h"

namespace reconcile::aws {

// A key pair, optionally temporary (session token + expiry).
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;
  std::string source;         // where they came from: "environment", "profile dev", ...

  // True when they expire within `margin` from now (never for long-term keys).
  bool ExpiresWithin(std::chrono::seconds margin) const;
};

// One place credentials may come from.
class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // A short description for error messages: "environment variables",
  // "profile \"dev\" in ~/.aws/credentials", "container credentials (http://...)".
  virtual std::string Describe() const = 0;
  // The credentials, or an error (code "NoCredentials" when this source has
  // none configured; other codes when it is configured but failed).
  virtual AwsResult<Credentials> Fetch() = 0;
};

// Where and how the chain looks; empty fields mean "from the environment".
struct CredentialOptions {
  std::string profile;  // explicit profile; empty = AWS_PROFILE, else "default"
  std::string region;   // region for STS AssumeRole; empty = resolved like clients do
  std::map<std::string, std::string> endpoints;  // endpoint overrides (used for STS)
  std::chrono::milliseconds metadata_timeout{1000};  // container / IMDS connect+read budget
  std::chrono::milliseconds process_timeout{60000};  // a profile's credential_process
};

// Finds credentials from the first source that has them and caches them until
// five minutes before they expire. Thread-safe. When `profile` is given
// explicitly, only that profile is consulted (environment keys are ignored),
// like the AWS CLI's --profile.
class CredentialChain : public CredentialSource {
 public:
  // The standard chain for `options`.
  explicit CredentialChain(CredentialOptions options);
  // A chain over the given sources, tried in order (tests, embedding).
  explicit CredentialChain(std::vector<std::unique_ptr<CredentialSource>> sources);
  // A chain that always returns `fixed` (tests, and the inner STS client of AssumeRole).
  static std::shared_ptr<CredentialChain> Fixed(Credentials fixed);

  std::string Describe() const override;
  // Cached credentials, refreshed when within five minutes of expiry. The
  // error of a chain where nothing was found lists every source tried.
  AwsResult<Credentials> Fetch() override;
  // Forgets the cached credentials (the next Fetch walks the chain again).
  void Invalidate();

 private:
  std::vector<std::unique_ptr<CredentialSource>> sources_;
  std::mutex mutex_;
  std::optional<Credentials> cached_;
  CredentialSource* resolved_ = nullptr;
};

// The region for `profile` (empty = AWS_PROFILE / default): AWS_REGION,
// AWS_DEFAULT_REGION, then the profile's `region` in the config file; "" if none.
std::string ResolveRegion(const std::string& profile);

// The sources, for tests and for building custom chains.
std::unique_ptr<CredentialSource> EnvironmentCredentials();
// Static keys, role_arn (AssumeRole through STS), or credential_process from `profile`.
std::unique_ptr<CredentialSource> ProfileCredentials(const CredentialOptions& options,
                                                     const std::string& profile);
// ECS/EKS container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / FULL_URI).
std::unique_ptr<CredentialSource> ContainerCredentials(const CredentialOptions& options);
// EC2 instance metadata, IMDSv2 (AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_EC2_METADATA_DISABLED).
std::unique_ptr<CredentialSource> InstanceMetadataCredentials(const CredentialOptions& options);

}  // namespace reconcile::aws
