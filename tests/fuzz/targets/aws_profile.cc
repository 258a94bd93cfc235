// The shared AWS configuration files: the input is ~/.aws/config, then
// "\n%%\n", then ~/.aws/credentials. Both are parsed, written where
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point, and every profile
// they define is loaded back: its settings are the config file's with the
// credentials file's on top, and its region is the one a client resolves.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "aws/credentials.h"
#include "aws/profile.h"
#include "fuzz_targets.h"

namespace reconcile::fuzz {
namespace {

using namespace reconcile::aws;

// Two files in a private directory (in memory when /dev/shm is there: every
// input writes them), named by the environment the way users do; removed at
// exit.
struct ProfileFiles {
  ProfileFiles() {
    std::filesystem::path base = ::access("/dev/shm", W_OK) == 0
                                     ? std::filesystem::path("/dev/shm")
                                     : std::filesystem::temp_directory_path();
    dir = base / ("reconcile-fuzz-aws-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    config = (dir / "config").string();
    credentials = (dir / "credentials").string();
    ::setenv("AWS_CONFIG_FILE", config.c_str(), 1);
    ::setenv("AWS_SHARED_CREDENTIALS_FILE", credentials.c_str(), 1);
    for (const char* name :
         {"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"})
      ::unsetenv(name);
  }
  ~ProfileFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  std::filesystem::path dir;
  std::string config;
  std::string credentials;
};

const ProfileFiles& Files() {
  static const ProfileFiles files;
  return files;
}

void Write(const std::string& path, std::string_view text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

void FuzzAwsProfile(std::string_view input) {
  constexpr std::string_view kSeparator = "\n%%\n";
  std::size_t split = input.find(kSeparator);
  std::string config(input.substr(0, split));
  std::string credentials(split == std::string_view::npos
                              ? std::string_view()
                              : input.substr(split + kSeparator.size()));

  auto from_config = ParseProfileFile(config, /*config_file=*/true);
  auto from_credentials = ParseProfileFile(credentials, /*config_file=*/false);

  const ProfileFiles& files = Files();
  Write(files.config, config);
  Write(files.credentials, credentials);
  std::set<std::string> names = {"default"};
  for (const auto* profiles : {&from_config, &from_credentials})
    for (const auto& [name, settings] : *profiles)
      if (names.size() < 4) names.insert(name);
  for (const std::string& name : names) {
    std::map<std::string, std::string> expected;
    bool defined = false;
    for (const auto* profiles : {&from_config, &from_credentials}) {
      auto it = profiles->find(name);
      if (it == profiles->end()) continue;
      defined = true;
      for (const auto& [key, value] : it->second) expected[key] = value;
    }
    std::optional<Profile> loaded = LoadProfile(name);
    FUZZ_CHECK(loaded.has_value() == defined);
    if (!loaded) continue;
    FUZZ_CHECK(loaded->settings == expected);
    // (An empty name means "the profile in effect" to ResolveRegion.)
    if (!name.empty()) FUZZ_CHECK(ResolveRegion(name) == loaded->Get("region"));
  }
}

}  // namespace reconcile::fuzz
