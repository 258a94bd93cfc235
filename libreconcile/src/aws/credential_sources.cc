// The credential sources that need more than the environment: shared profiles
// (static keys, AssumeRole, credential_process), container credentials, IMDSv2.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "aws/credential_sources.h"
#include "aws/http.h"
#include "aws/profile.h"

namespace reconcile::aws {

namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::string JsonString(const nlohmann::json& doc, const char* name) {
  auto it = doc.find(name);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Runs `command` through /bin/sh and returns its stdout, or an error naming
// the exit status.
AwsResult<std::string> RunProcess(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return CredentialError("CredentialProcessFailed", "cannot run: " + command);
  std::string output;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  int status = pclose(pipe);
  if (status != 0) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return CredentialError("CredentialProcessFailed",
                           "credential_process \"" + command + "\" exited with status " +
                               std::to_string(code));
  }
  return output;
}

HttpClient& MetadataHttp(std::chrono::milliseconds timeout) {
  static std::mutex mutex;
  static std::map<long long, std::unique_ptr<HttpClient>> clients;
  std::lock_guard<std::mutex> lock(mutex);
  auto& client = clients[timeout.count()];
  if (!client) {
    client = std::make_unique<HttpClient>(HttpOptions{.connect_timeout = timeout,
                                                      .request_timeout = timeout * 3});
  }
  return *client;
}

// Static keys, AssumeRole (role_arn + source_profile | credential_source), or
// credential_process, from one named profile.
class ProfileSource : public CredentialSource {
 public:
  ProfileSource(CredentialOptions options, std::string name)
      : options_(std::move(options)), name_(std::move(name)) {}

  std::string Describe() const override {
    return "profile \"" + name_ + "\" (" + SharedCredentialsPath() + ", " + SharedConfigPath() + ")";
  }

  AwsResult<Credentials> Fetch() override {
    std::set<std::string> visiting;
    return FetchProfile(name_, visiting);
  }

 private:
  AwsResult<Credentials> FetchProfile(const std::string& name, std::set<std::string>& visiting) {
    std::optional<Profile> profile = LoadProfile(name);
    if (!profile) return CredentialError("NoCredentials", "profile \"" + name + "\" is not defined");
    if (!visiting.insert(name).second) {
      return CredentialError("InvalidProfile", "profile \"" + name + "\" is part of a source_profile cycle");
    }
    if (profile->Has("role_arn")) return AssumeRoleFor(*profile, visiting);
    if (profile->Has("aws_access_key_id")) return StaticKeys(*profile);
    if (profile->Has("credential_process")) return FromProcess(*profile);
    return CredentialError("NoCredentials", "profile \"" + name + "\" (" + profile->origin +
                                                ") has no aws_access_key_id, role_arn or "
                                                "credential_process");
  }

  static AwsResult<Credentials> StaticKeys(const Profile& profile) {
    Credentials credentials{.access_key_id = profile.Get("aws_access_key_id"),
                            .secret_access_key = profile.Get("aws_secret_access_key"),
                            .session_token = profile.Get("aws_session_token"),
                            .source = "profile " + profile.name};
    if (credentials.secret_access_key.empty()) {
      return CredentialError("IncompleteCredentials", "profile \"" + profile.name + "\" (" +
                                                          profile.origin +
                                                          ") has aws_access_key_id but no "
                                                          "aws_secret_access_key");
    }
    return credentials;
  }

  static AwsResult<Credentials> FromProcess(const Profile& profile) {
    AwsResult<std::string> output = RunProcess(profile.Get("credential_process"));
    if (!output.ok()) return output.error();
    return ParseCredentialJson(output.value(), "credential_process of profile " + profile.name);
  }

  AwsResult<Credentials> SourceCredentials(const Profile& profile, std::set<std::string>& visiting) {
    if (profile.Has("source_profile")) {
      std::string source = profile.Get("source_profile");
      if (source == profile.name) {
        if (profile.Has("aws_access_key_id")) return StaticKeys(profile);
        return CredentialError("InvalidProfile", "profile \"" + profile.name +
                                                     "\" is its own source_profile but has no keys");
      }
      AwsResult<Credentials> found = FetchProfile(source, visiting);
      if (!found.ok() && found.error().code == "NoCredentials") {
        return CredentialError("InvalidProfile", "source_profile of \"" + profile.name +
                                                     "\": " + found.error().message);
      }
      return found;
    }
    std::string kind = profile.Get("credential_source");
    std::unique_ptr<CredentialSource> source;
    if (kind == "Environment") source = EnvironmentCredentials();
    if (kind == "EcsContainer") source = ContainerCredentials(options_);
    if (kind == "Ec2InstanceMetadata") source = InstanceMetadataCredentials(options_);
    if (!source) {
      return CredentialError("InvalidProfile",
                             "profile \"" + profile.name + "\" has role_arn but neither "
                             "source_profile nor a credential_source of Environment, "
                             "EcsContainer or Ec2InstanceMetadata");
    }
    return source->Fetch();
  }

  AwsResult<Credentials> AssumeRoleFor(const Profile& profile, std::set<std::string>& visiting) {
    AwsResult<Credentials> source = SourceCredentials(profile, visiting);
    if (!source.ok()) return source.error();
    ClientConfig config;
    config.region = options_.region;
    if (config.region.empty()) config.region = profile.Get("region");
    if (config.region.empty()) config.region = ResolveRegion(profile.name);
    if (config.region.empty()) config.region = "us-east-1";
    config.endpoints = options_.endpoints;
    config.credentials = CredentialChain::Fixed(source.value());
    auto sts = AwsClient::Create(config);
    if (!sts.ok()) return sts.error();
    return AssumeRole(*sts.value(), profile);
  }

  static AwsResult<Credentials> AssumeRole(const AwsClient& sts, const Profile& profile) {
    QueryParams params;
    params.Set("RoleArn", profile.Get("role_arn"));
    std::string session = profile.Get("role_session_name");
    if (session.empty()) session = "reconcile-" + std::to_string(std::time(nullptr));
    params.Set("RoleSessionName", session);
    if (profile.Has("external_id")) params.Set("ExternalId", profile.Get("external_id"));
    if (profile.Has("duration_seconds")) params.Set("DurationSeconds", profile.Get("duration_seconds"));
    auto response = sts.Query("sts", "AssumeRole", params, {.idempotency = Idempotency::kIdempotent});
    if (!response.ok()) return response.error();
    XmlNode node = response->root().Find("AssumeRoleResult/Credentials");
    Credentials credentials{.access_key_id = node.Text("AccessKeyId"),
                            .secret_access_key = node.Text("SecretAccessKey"),
                            .session_token = node.Text("SessionToken"),
                            .expiration = ParseIso8601(node.Text("Expiration")),
                            .source = "profile " + profile.name + " (assumed " +
                                      profile.Get("role_arn") + ")"};
    if (credentials.access_key_id.empty()) {
      return CredentialError("InvalidResponse", "STS AssumeRole returned no credentials");
    }
    return credentials;
  }

  CredentialOptions options_;
  std::string name_;
};

bool IsAllowedContainerHost(const std::string& url) {
  if (url.starts_with("https://")) return true;
  for (std::string_view host : {"http://127.0.0.1", "http://localhost", "http://[::1]",
                                "http://169.254.170.2", "http://169.254.170.23", "http://[fd00:ec2::23]"}) {
    if (url.starts_with(host) && (url.size() == host.size() || url[host.size()] == ':' ||
                                  url[host.size()] == '/')) {
      return true;
    }
  }
  return false;
}

// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / FULL_URI, with the optional
// authorization token (AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]).
class ContainerSource : public CredentialSource {
 public:
  explicit ContainerSource(CredentialOptions options) : options_(std::move(options)) {}

  std::string Describe() const override { return "container credentials"; }

  AwsResult<Credentials> Fetch() override {
    std::string url = Url();
    if (url.empty()) {
      return CredentialError("NoCredentials", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and "
                                              "AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
    }
    if (!IsAllowedContainerHost(url)) {
      return CredentialError("InvalidContainerEndpoint",
                             "AWS_CONTAINER_CREDENTIALS_FULL_URI " + url +
                                 " must use https or a loopback/ECS/EKS address");
    }
    HttpRequest request{.method = "GET", .url = url, .headers = {{"Accept", "application/json"}}};
    if (std::string token = AuthorizationToken(); !token.empty()) {
      request.headers.emplace_back("Authorization", token);
    }
    HttpResult result = MetadataHttp(options_.metadata_timeout).Send(request);
    if (!result.ok()) {
      return CredentialError("CredentialEndpointUnreachable",
                             "container credentials endpoint " + url + ": " + result.error_message);
    }
    if (result.response.status != 200) {
      return CredentialError("CredentialEndpointFailed",
                             "container credentials endpoint " + url + " answered HTTP " +
                                 std::to_string(result.response.status));
    }
    return ParseCredentialJson(result.response.body, "container credentials");
  }

 private:
  static std::string Url() {
    std::string relative = Env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    if (!relative.empty()) return "http://169.254.170.2" + relative;
    return Env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  }

  static std::string AuthorizationToken() {
    std::string file = Env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (!file.empty()) {
      std::ifstream in(file);
      std::string token;
      std::getline(in, token);
      return token;
    }
    return Env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }

  CredentialOptions options_;
};

// EC2 instance metadata with a session token (IMDSv2).
class InstanceMetadataSource : public CredentialSource {
 public:
  explicit InstanceMetadataSource(CredentialOptions options) : options_(std::move(options)) {}

  std::string Describe() const override { return "EC2 instance metadata (" + Endpoint() + ")"; }

  AwsResult<Credentials> Fetch() override {
    if (Env("AWS_EC2_METADATA_DISABLED") == "true") {
      return CredentialError("NoCredentials", "disabled by AWS_EC2_METADATA_DISABLED");
    }
    HttpClient& http = MetadataHttp(options_.metadata_timeout);
    HttpResult token = http.Send({.method = "PUT", .url = Endpoint() + "/latest/api/token",
                                  .headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"},
                                              {"Content-Type", "text/plain"}}});
    if (!token.ok() || token.response.status != 200) {
      return CredentialError("NoCredentials", "no instance metadata service answered at " + Endpoint());
    }
    std::string path = Endpoint() + "/latest/meta-data/iam/security-credentials/";
    HeaderList headers{{"X-aws-ec2-metadata-token", token.response.body}};
    HttpResult role = http.Send({.method = "GET", .url = path, .headers = headers});
    std::string role_name = role.response.body.substr(0, role.response.body.find('\n'));
    if (!role.ok() || role.response.status != 200 || role_name.empty()) {
      return CredentialError("NoCredentials", "the instance has no IAM role attached");
    }
    HttpResult creds = http.Send({.method = "GET", .url = path + role_name, .headers = headers});
    if (!creds.ok() || creds.response.status != 200) {
      return CredentialError("CredentialEndpointFailed",
                             "instance metadata did not return credentials for role " + role_name);
    }
    return ParseCredentialJson(creds.response.body, "instance metadata role " + role_name);
  }

 private:
  static std::string Endpoint() {
    std::string endpoint = Env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (endpoint.empty()) return "http://169.254.169.254";
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
    return endpoint;
  }

  CredentialOptions options_;
};

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseIso8601(std::string_view text) {
  std::tm when{};
  std::string copy(text);
  const char* rest = strptime(copy.c_str(), "%Y-%m-%dT%H:%M:%S", &when);
  if (rest == nullptr) return std::nullopt;
  // system_clock counts nanoseconds in 64 bits (years 1678 to 2262): a year
  // outside 1970-2200 is no real expiration, and converting it would overflow.
  if (when.tm_year < 70 || when.tm_year > 300) return std::nullopt;
  auto point = std::chrono::system_clock::from_time_t(timegm(&when));
  if (*rest == '.') {
    ++rest;
    while (*rest >= '0' && *rest <= '9') ++rest;
  }
  int sign = 0;
  if (*rest == '+') sign = -1;  // local time ahead of UTC: subtract the offset
  if (*rest == '-') sign = 1;
  if (sign != 0) {
    int hours = 0;
    int minutes = 0;
    if (std::sscanf(rest + 1, "%2d:%2d", &hours, &minutes) != 2) return std::nullopt;
    point += sign * (std::chrono::hours(hours) + std::chrono::minutes(minutes));
  }
  return point;
}

AwsResult<Credentials> ParseCredentialJson(std::string_view json, const std::string& source) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return CredentialError("InvalidResponse", source + " did not return JSON");
  Credentials credentials{.access_key_id = JsonString(doc, "AccessKeyId"),
                          .secret_access_key = JsonString(doc, "SecretAccessKey"),
                          .session_token = JsonString(doc, "Token"),
                          .source = source};
  if (credentials.session_token.empty()) credentials.session_token = JsonString(doc, "SessionToken");
  if (std::string expiration = JsonString(doc, "Expiration"); !expiration.empty()) {
    credentials.expiration = ParseIso8601(expiration);
  }
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return CredentialError("InvalidResponse",
                           source + " returned no AccessKeyId/SecretAccessKey");
  }
  return credentials;
}

std::unique_ptr<CredentialSource> ProfileCredentials(const CredentialOptions& options,
                                                     const std::string& profile) {
  return std::make_unique<ProfileSource>(options, profile);
}

std::unique_ptr<CredentialSource> ContainerCredentials(const CredentialOptions& options) {
  return std::make_unique<ContainerSource>(options);
}

std::unique_ptr<CredentialSource> InstanceMetadataCredentials(const CredentialOptions& options) {
  return std::make_unique<InstanceMetadataSource>(options);
}

}  // namespace reconcile::aws
