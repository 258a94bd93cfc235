#include "aws/profile.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace reconcile::aws {

namespace {

std::string Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Home() {
  const char* home = std::getenv("HOME");
  return home == nullptr ? std::string() : std::string(home);
}

std::string ExpandHome(const std::string& path) {
  if (path.starts_with("~/")) return Home() + path.substr(1);
  return path;
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? ExpandHome(value) : fallback;
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The profile name of a section header, or nullopt for sections that are not
// profiles ("[sso-session x]", "[services x]").
std::optional<std::string> SectionProfile(const std::string& section, bool config_file) {
  if (!config_file) return section;
  if (section == "default") return section;
  if (section.starts_with("profile ")) return Trim(std::string_view(section).substr(8));
  return std::nullopt;
}

// Strips an inline comment (" #" or " ;") from a value.
std::string StripComment(const std::string& value) {
  for (std::size_t i = 1; i < value.size(); ++i) {
    if ((value[i] == '#' || value[i] == ';') && std::isspace(static_cast<unsigned char>(value[i - 1]))) {
      return Trim(std::string_view(value).substr(0, i));
    }
  }
  return value;
}

}  // namespace

std::string Profile::Get(const std::string& key) const {
  auto it = settings.find(key);
  return it == settings.end() ? std::string() : it->second;
}

std::string EffectiveProfileName(const std::string& explicit_name) {
  if (!explicit_name.empty()) return explicit_name;
  for (const char* name : {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return "default";
}

std::string SharedCredentialsPath() {
  return EnvOr("AWS_SHARED_CREDENTIALS_FILE", Home() + "/.aws/credentials");
}

std::string SharedConfigPath() { return EnvOr("AWS_CONFIG_FILE", Home() + "/.aws/config"); }

std::map<std::string, std::map<std::string, std::string>> ParseProfileFile(const std::string& text,
                                                                          bool config_file) {
  std::map<std::string, std::map<std::string, std::string>> profiles;
  std::map<std::string, std::string>* current = nullptr;
  std::istringstream lines(text);
  std::string raw;
  while (std::getline(lines, raw)) {
    std::string line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      std::size_t close = line.find(']');
      std::string section = Trim(std::string_view(line).substr(1, close == std::string::npos ? line.size() - 1 : close - 1));
      std::optional<std::string> name = SectionProfile(section, config_file);
      current = name ? &profiles[*name] : nullptr;
      continue;
    }
    std::size_t eq = line.find('=');
    if (current == nullptr || eq == std::string::npos) continue;
    // An indented line after "key =" is a sub-setting (s3 = \n  addressing_style = path).
    if (std::isspace(static_cast<unsigned char>(raw.front()))) continue;
    std::string key = Lower(Trim(std::string_view(line).substr(0, eq)));
    (*current)[key] = StripComment(Trim(std::string_view(line).substr(eq + 1)));
  }
  return profiles;
}

std::optional<Profile> LoadProfile(const std::string& name) {
  Profile profile;
  profile.name = name;
  std::vector<std::string> origins;
  struct Source {
    std::string path;
    bool config_file;
  };
  // Config first so the credentials file's keys overwrite it.
  for (const Source& source : {Source{SharedConfigPath(), true}, Source{SharedCredentialsPath(), false}}) {
    std::optional<std::string> text = ReadFile(source.path);
    if (!text) continue;
    auto profiles = ParseProfileFile(*text, source.config_file);
    auto it = profiles.find(name);
    if (it == profiles.end()) continue;
    for (const auto& [key, value] : it->second) profile.settings[key] = value;
    origins.push_back(source.path);
  }
  if (origins.empty()) return std::nullopt;
  profile.origin = origins.size() == 1 ? origins[0] : origins[0] + " and " + origins[1];
  return profile;
}

}  // namespace reconcile::aws
