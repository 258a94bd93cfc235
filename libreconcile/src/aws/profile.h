// The shared AWS configuration files: ~/.aws/credentials and ~/.aws/config
// (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE), parsed into profiles.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace reconcile::aws {

// One profile's settings, lowercase keys ("aws_access_key_id", "region",
// "role_arn", ...). Keys from the credentials file win over the config file.
struct Profile {
  std::string name;
  std::map<std::string, std::string> settings;
  std::string origin;  // "~/.aws/credentials", "~/.aws/config", or both joined by " and "

  // The setting's value, or "" when absent.
  std::string Get(const std::string& key) const;
  bool Has(const std::string& key) const { return settings.count(key) != 0; }
};

// The profile name in effect: `explicit_name`, else AWS_PROFILE, else "default".
std::string EffectiveProfileName(const std::string& explicit_name);
// The credentials file path (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials).
std::string SharedCredentialsPath();
// The config file path (AWS_CONFIG_FILE or ~/.aws/config).
std::string SharedConfigPath();

// Parses INI text: "[section]" headers, "key = value" lines, '#'/';' comments.
// In the config file sections are "[profile NAME]" (or "[default]"); pass
// `config_file` to strip the "profile " prefix.
std::map<std::string, std::map<std::string, std::string>> ParseProfileFile(
    const std::string& text, bool config_file);

// Loads the named profile from both files; nullopt when neither defines it.
std::optional<Profile> LoadProfile(const std::string& name);

}  // namespace reconcile::aws
