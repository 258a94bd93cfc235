#include "provider_config.h"

#include <cstdlib>

#include "reconcile/provider_kit.h"
#include "tags.h"

namespace reconcile::aws_provider {

namespace {

constexpr auto kString = AttributeType::kString;
constexpr auto kMap = AttributeType::kMap;

// Reads RECONCILE_AWS_* duration overrides (milliseconds) used by tests.
std::chrono::milliseconds FromEnvironment(const char* name, std::chrono::milliseconds fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  return std::chrono::milliseconds(std::atoll(text));
}

}  // namespace

ResourceSchema ProviderConfigSchema() {
  ResourceSchema schema;
  schema.description = "Where and how to reach AWS, and tags for everything the provider creates.";
  schema.attributes = {
      Attribute::Optional("region", kString)
          .Describe("AWS region; default AWS_REGION, AWS_DEFAULT_REGION, then the profile's region"),
      Attribute::Optional("profile", kString)
          .Describe("shared config/credentials profile; default AWS_PROFILE, then \"default\""),
      Attribute::Optional("endpoints", kMap).Of(kString)
          .Describe("service name to endpoint URL, e.g. { ec2 = \"http://127.0.0.1:5000\" }"),
      Attribute::Optional("default_tags", kMap).Of(kString)
          .Describe("tags merged into the tags of every taggable resource"),
      Attribute::Optional("max_retries", AttributeType::kNumber)
          .Describe("retries of a throttled or failed call (default 7)"),
  };
  return schema;
}

Diagnostics ConfigureRuntime(const ConfigureRequest& request, ProviderRuntime& runtime) {
  Diagnostics diags;
  const Value& config = request.config;
  aws::ClientConfig client_config;
  client_config.region = GetString(config, "region");
  client_config.profile = GetString(config, "profile");
  client_config.endpoints = GetStringMap(config, "endpoints");
  if (auto retries = FindInt(config, "max_retries")) {
    if (*retries < 0) {
      diags.Error("max_retries of provider \"aws\" must be zero or more",
                  "Got " + std::to_string(*retries) + ".");
      return diags;
    }
    client_config.retry.max_attempts = static_cast<int>(*retries) + 1;
  }
  for (const auto& [key, value] : GetStringMap(config, "default_tags")) {
    if (IsOwnershipTag(key))
      diags.Error("default_tags of provider \"aws\" may not use the prefix \"reconcile:\"",
                  "Tag \"" + key + "\" is reserved for reconcile's ownership tags.");
    runtime.default_tags[key] = value;
  }
  if (diags.HasErrors()) return diags;
  auto client = aws::AwsClient::Create(client_config);
  if (!client.ok()) {
    Diagnostic d = client.error().ToDiagnostic();
    d.summary = "Cannot configure provider \"aws\": " + client.error().code;
    if (client.error().Is("NoRegion"))
      d.detail = "Set region in [provider.aws], or AWS_REGION / AWS_DEFAULT_REGION.";
    diags.Add(d);
    return diags;
  }
  runtime.client = client.value();
  runtime.stack = request.stack;
  runtime.workspace = request.workspace;
  Timeouts& t = runtime.timeouts;
  t.read_after_create = FromEnvironment("RECONCILE_AWS_READ_AFTER_CREATE_MS", t.read_after_create);
  t.wait = FromEnvironment("RECONCILE_AWS_WAIT_TIMEOUT_MS", t.wait);
  return diags;
}

}  // namespace reconcile::aws_provider
