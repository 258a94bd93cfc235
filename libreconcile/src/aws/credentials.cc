#include "aws/credentials.h"

#include <cstdlib>

#include "aws/credential_sources.h"
#include "aws/profile.h"

namespace reconcile::aws {

namespace {

constexpr std::chrono::seconds kRefreshMargin{300};

std::string Env(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return {};
}

// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
class EnvironmentSource : public CredentialSource {
 public:
  std::string Describe() const override { return "environment variables"; }

  AwsResult<Credentials> Fetch() override {
    Credentials credentials;
    credentials.access_key_id = Env({"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY"});
    credentials.secret_access_key = Env({"AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY"});
    credentials.session_token = Env({"AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"});
    credentials.source = "environment";
    bool has_id = !credentials.access_key_id.empty();
    bool has_secret = !credentials.secret_access_key.empty();
    if (!has_id && !has_secret) {
      return CredentialError("NoCredentials", "AWS_ACCESS_KEY_ID is not set");
    }
    if (has_id != has_secret) {
      return CredentialError("IncompleteCredentials",
                             has_id ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                                    : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
    }
    return credentials;
  }
};

// Always the same credentials.
class FixedSource : public CredentialSource {
 public:
  explicit FixedSource(Credentials credentials) : credentials_(std::move(credentials)) {}
  std::string Describe() const override { return "fixed credentials"; }
  AwsResult<Credentials> Fetch() override { return credentials_; }

 private:
  Credentials credentials_;
};

std::vector<std::unique_ptr<CredentialSource>> StandardSources(const CredentialOptions& options) {
  std::vector<std::unique_ptr<CredentialSource>> sources;
  if (!options.profile.empty()) {
    sources.push_back(ProfileCredentials(options, options.profile));
    return sources;
  }
  sources.push_back(EnvironmentCredentials());
  sources.push_back(ProfileCredentials(options, EffectiveProfileName("")));
  sources.push_back(ContainerCredentials(options));
  sources.push_back(InstanceMetadataCredentials(options));
  return sources;
}

}  // namespace

AwsError CredentialError(std::string code, std::string message) {
  return AwsError{.service = "credentials", .code = std::move(code), .message = std::move(message)};
}

bool Credentials::ExpiresWithin(std::chrono::seconds margin) const {
  return expiration.has_value() && *expiration - margin <= std::chrono::system_clock::now();
}

CredentialChain::CredentialChain(CredentialOptions options)
    : sources_(StandardSources(options)) {}

CredentialChain::CredentialChain(std::vector<std::unique_ptr<CredentialSource>> sources)
    : sources_(std::move(sources)) {}

std::shared_ptr<CredentialChain> CredentialChain::Fixed(Credentials fixed) {
  std::vector<std::unique_ptr<CredentialSource>> sources;
  sources.push_back(std::make_unique<FixedSource>(std::move(fixed)));
  return std::make_shared<CredentialChain>(std::move(sources));
}

std::string CredentialChain::Describe() const {
  std::string out;
  for (const auto& source : sources_) out += (out.empty() ? "" : ", ") + source->Describe();
  return "credential chain (" + out + ")";
}

AwsResult<Credentials> CredentialChain::Fetch() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cached_ && !cached_->ExpiresWithin(kRefreshMargin)) return *cached_;
  if (resolved_ != nullptr) {
    AwsResult<Credentials> refreshed = resolved_->Fetch();
    if (refreshed.ok()) cached_ = refreshed.value();
    return refreshed;
  }
  std::string tried;
  for (const auto& source : sources_) {
    AwsResult<Credentials> found = source->Fetch();
    if (found.ok()) {
      cached_ = found.value();
      resolved_ = source.get();
      return found;
    }
    if (found.error().code != "NoCredentials") return found.error();
    tried += "\n  - " + source->Describe() + ": " + found.error().message;
  }
  return CredentialError("NoCredentials",
                         "no AWS credentials found; sources tried in order:" + tried +
                             "\nSet AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or configure a "
                             "profile in ~/.aws/credentials (select it with AWS_PROFILE)");
}

void CredentialChain::Invalidate() {
  std::lock_guard<std::mutex> lock(mutex_);
  cached_.reset();
  resolved_ = nullptr;
}

std::string ResolveRegion(const std::string& profile) {
  std::string region = Env({"AWS_REGION", "AWS_DEFAULT_REGION"});
  if (!region.empty()) return region;
  std::optional<Profile> loaded = LoadProfile(EffectiveProfileName(profile));
  return loaded ? loaded->Get("region") : std::string();
}

std::unique_ptr<CredentialSource> EnvironmentCredentials() {
  return std::make_unique<EnvironmentSource>();
}

}  // namespace reconcile::aws
