// Discovery: the stack's .reconcile/plugins, then RECONCILE_PLUGIN_PATH, then
// extra directories, then the install's and the build tree's libexec; version
// constraints probe each candidate, and the lookup explains every refusal. A
// plugin in the stack directory runs only when .reconcile/plugins.lock lists
// it with its checksum (TrustStackPlugins, what `reconcile init` does).
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin_test_support.h"
#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

using ::testing::HasSubstr;

class PluginDiscoveryTest : public ::testing::Test {
 protected:
  void SetUp() override { ::unsetenv("RECONCILE_PLUGIN_PATH"); }
  void TearDown() override { ::unsetenv("RECONCILE_PLUGIN_PATH"); }

  // A reconcile-provider-<name> script in `relative_dir` that runs the testing
  // plugin reporting `version` (and touches `ran_marker` first, when given).
  // In a stack's plugins directory it is trusted as `reconcile init` would.
  std::string InstallTesting(const std::string& relative_dir, const std::string& name,
                             const std::string& version, bool executable = true,
                             bool trusted = true, const std::string& ran_marker = "") {
    std::string touch = ran_marker.empty() ? "" : "touch " + ran_marker + "\n";
    std::string path = dir_.Write(relative_dir + "/reconcile-provider-" + name,
                                  "#!/bin/sh\n" + touch + "TEST_PLUGIN_VERSION=" + version +
                                      " exec " + TestingPluginPath() + " \"$@\"\n");
    ::chmod(path.c_str(), executable ? 0755 : 0644);
    std::string suffix = ".reconcile/plugins";
    if (trusted && relative_dir.ends_with(suffix)) {
      std::string stack = dir_.path() + "/" + relative_dir.substr(0, relative_dir.size() - suffix.size());
      std::vector<std::string> report;
      Diagnostics trust = TrustStackPlugins(stack, &report);
      EXPECT_FALSE(trust.HasErrors()) << trust.ToString();
    }
    return path;
  }

  TempDir dir_;
};

TEST_F(PluginDiscoveryTest, TheStackDirectoryComesFirst) {
  // Given the plugin in the stack's plugins directory and in RECONCILE_PLUGIN_PATH
  std::string in_stack = InstallTesting("stack/.reconcile/plugins", "testing", "1.0.0");
  InstallTesting("path", "testing", "1.1.0");
  ::setenv("RECONCILE_PLUGIN_PATH", (dir_.path() + "/nowhere:" + dir_.path() + "/path").c_str(), 1);
  // When it is looked up without a constraint
  PluginLookup lookup = FindPlugin("testing", "", {dir_.path() + "/stack", {}});
  // Then the stack's copy wins, unprobed
  EXPECT_EQ(lookup.path, in_stack);
  ASSERT_EQ(lookup.candidates.size(), 1u);
  EXPECT_EQ(lookup.candidates[0].origin, "stack plugins directory");
  EXPECT_EQ(lookup.searched, std::vector<std::string>{"stack plugins directory: " + dir_.path() +
                                                      "/stack/.reconcile/plugins"});
}

TEST_F(PluginDiscoveryTest, DirectoriesAreSearchedInOrder) {
  ::setenv("RECONCILE_PLUGIN_PATH", (dir_.path() + "/p1::" + dir_.path() + "/p2").c_str(), 1);
  PluginLookup lookup = FindPlugin("nonexistent", "", {dir_.path(), {dir_.path() + "/extra"}});
  ASSERT_EQ(lookup.searched.size(), 6u);
  EXPECT_EQ(lookup.searched[0], "stack plugins directory: " + dir_.path() + "/.reconcile/plugins");
  EXPECT_EQ(lookup.searched[1], "RECONCILE_PLUGIN_PATH: " + dir_.path() + "/p1");
  EXPECT_EQ(lookup.searched[2], "RECONCILE_PLUGIN_PATH: " + dir_.path() + "/p2");
  EXPECT_EQ(lookup.searched[3], "plugin directory option: " + dir_.path() + "/extra");
  // The test program's own install layout: <dir of the program>/../libexec/reconcile
  EXPECT_THAT(lookup.searched[4], ::testing::StartsWith("install libexec directory: "));
  EXPECT_THAT(lookup.searched[4], ::testing::EndsWith("/tests/unit/libexec/reconcile"));
  EXPECT_EQ(lookup.searched[5], "build tree: " + BuiltPluginDir());
}

TEST_F(PluginDiscoveryTest, AConstraintRefusesWrongVersionsAndExplainsWhy) {
  // Given version 0.9.0 in the stack and 1.3.0 on RECONCILE_PLUGIN_PATH
  std::string old_copy = InstallTesting("stack/.reconcile/plugins", "testing", "0.9.0");
  std::string new_copy = InstallTesting("path", "testing", "1.3.0");
  ::setenv("RECONCILE_PLUGIN_PATH", (dir_.path() + "/path").c_str(), 1);
  // When "~> 1.2" is required
  Diagnostics diagnostics;
  PluginLookup lookup =
      FindPlugin("testing", "~> 1.2", {dir_.path() + "/stack", {}}, {}, &diagnostics);
  // Then the newer one is chosen and the older one's refusal explained
  EXPECT_TRUE(diagnostics.empty()) << diagnostics.ToString();
  EXPECT_EQ(lookup.path, new_copy);
  EXPECT_EQ(lookup.version, "1.3.0");
  ASSERT_EQ(lookup.candidates.size(), 2u);
  EXPECT_EQ(lookup.candidates[0].refusal, "version 0.9.0 does not satisfy \"~> 1.2\"");
  EXPECT_THAT(lookup.Explain(),
              HasSubstr("\n  refused " + old_copy +
                        " (stack plugins directory): version 0.9.0 does not satisfy \"~> 1.2\""));
  EXPECT_THAT(lookup.Explain(),
              HasSubstr("\n  chose " + new_copy + " version 1.3.0 (RECONCILE_PLUGIN_PATH)"));
}

TEST_F(PluginDiscoveryTest, NoSatisfyingVersionIsAnErrorThatListsTheCandidates) {
  InstallTesting("stack/.reconcile/plugins", "testing", "0.9.0");
  Diagnostics diagnostics;
  PluginLookup lookup =
      FindPlugin("testing", ">= 2", {dir_.path() + "/stack", {}}, {}, &diagnostics);
  EXPECT_FALSE(lookup.found());
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].summary, "No usable plugin for provider \"testing\" satisfies \">= 2\"");
  EXPECT_THAT(diagnostics[0].detail, HasSubstr("version 0.9.0 does not satisfy \">= 2\""));
  EXPECT_THAT(diagnostics[0].detail, HasSubstr("Put reconcile-provider-testing in " + dir_.path() +
                                               "/stack/.reconcile/plugins/"));
}

TEST_F(PluginDiscoveryTest, NonExecutableFilesAndFailedHandshakesAreRefused) {
  std::string not_executable = InstallTesting("a", "testing", "1.0.0", false);
  std::string broken =
      dir_.Write("b/reconcile-provider-testing", "#!/bin/sh\nexec " + RawPluginPath() + " exit3\n");
  ::chmod(broken.c_str(), 0755);
  PluginLookup lookup =
      FindPlugin("testing", ">= 1", {"", {dir_.path() + "/a", dir_.path() + "/b"}});
  EXPECT_FALSE(lookup.found());
  ASSERT_EQ(lookup.candidates.size(), 2u);
  EXPECT_EQ(lookup.candidates[0].origin, "plugin directory option");
  EXPECT_EQ(lookup.candidates[0].refusal, "not executable (chmod +x it)");
  EXPECT_EQ(lookup.candidates[1].refusal,
            "handshake failed: provider \"testing\" exited (exit status 3) while handshake was in "
            "flight");
}

TEST_F(PluginDiscoveryTest, AMissingProviderSaysWhereItLooked) {
  Diagnostics diagnostics;
  PluginLookup lookup = FindPlugin("nonexistent", "", {dir_.path(), {}}, {}, &diagnostics);
  EXPECT_FALSE(lookup.found());
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].summary, "Provider plugin \"nonexistent\" not found");
  EXPECT_THAT(
      diagnostics[0].detail,
      HasSubstr("\n  searched stack plugins directory: " + dir_.path() + "/.reconcile/plugins"));
  EXPECT_THAT(diagnostics[0].detail,
              HasSubstr("\n  no reconcile-provider-nonexistent in any of them"));
}

TEST_F(PluginDiscoveryTest, TheBuildTreeProvidesTheShippedPlugins) {
  PluginLookup lookup = FindPlugin("random", "", {dir_.path(), {}});
  ASSERT_TRUE(lookup.found()) << lookup.Explain();
  EXPECT_EQ(lookup.path, BuiltPluginDir() + "/reconcile-provider-random");
  EXPECT_EQ(lookup.candidates[0].origin, "build tree");
}

TEST_F(PluginDiscoveryTest, OpenPluginChecksTheProviderName) {
  InstallTesting(".reconcile/plugins", "other", "1.0.0");
  Diagnostics diagnostics;
  EXPECT_EQ(OpenPlugin("other", "", {dir_.path(), {}}, {}, &diagnostics), nullptr);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].summary, "Plugin " + dir_.path() +
                                        "/.reconcile/plugins/reconcile-provider-other is the "
                                        "\"testing\" provider, not \"other\"");
}

TEST_F(PluginDiscoveryTest, OpenPluginStartsTheChosenPlugin) {
  InstallTesting(".reconcile/plugins", "testing", "1.4.2");
  Diagnostics diagnostics;
  std::unique_ptr<Provider> provider =
      OpenPlugin("testing", ">= 1.4", {dir_.path(), {}}, {}, &diagnostics);
  ASSERT_NE(provider, nullptr) << diagnostics.ToString();
  EXPECT_EQ(provider->Info().version, "1.4.2");
}

// The SHA-256 of a file as sha256sum computes it.
std::string Sha256Sum(const std::string& path) {
  std::string command = "sha256sum '" + path + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  char out[65] = {0};
  if (pipe == nullptr || std::fread(out, 1, 64, pipe) != 64) out[0] = '\0';
  if (pipe != nullptr) ::pclose(pipe);
  return out;
}

TEST_F(PluginDiscoveryTest, AnUntrustedStackPluginIsRefusedNotRunAndNotPassedOver) {
  // Given a stack plugin nobody trusted, and a trusted copy on RECONCILE_PLUGIN_PATH
  std::string marker = dir_.path() + "/stack-plugin-ran";
  std::string in_stack = InstallTesting("stack/.reconcile/plugins", "testing", "1.0.0", true,
                                        /*trusted=*/false, marker);
  InstallTesting("path", "testing", "1.1.0");
  ::setenv("RECONCILE_PLUGIN_PATH", (dir_.path() + "/path").c_str(), 1);
  // When it is looked up, even with a constraint that would probe it
  Diagnostics diagnostics;
  PluginLookup lookup =
      FindPlugin("testing", ">= 1", {dir_.path() + "/stack", {}}, {}, &diagnostics);
  // Then nothing is chosen, the error says what to do, and it never ran
  EXPECT_FALSE(lookup.found());
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].summary, "Provider plugin " + in_stack + " is not trusted");
  EXPECT_THAT(diagnostics[0].detail,
              HasSubstr("not trusted: it is not listed in .reconcile/plugins.lock. A stack's own "
                        "plugins run only once trusted: check the executable, then run "
                        "`reconcile init` to record it."));
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST_F(PluginDiscoveryTest, AStackPluginChangedSinceItWasTrustedIsRefused) {
  // Given a trusted stack plugin that was then modified
  std::string marker = dir_.path() + "/stack-plugin-ran";
  std::string in_stack = InstallTesting(".reconcile/plugins", "testing", "1.0.0");
  std::string trusted_sum = Sha256Sum(in_stack);
  InstallTesting(".reconcile/plugins", "testing", "6.6.6", true, /*trusted=*/false, marker);
  // When it is opened
  Diagnostics diagnostics;
  EXPECT_EQ(OpenPlugin("testing", "", {dir_.path(), {}}, {}, &diagnostics), nullptr);
  // Then it is refused naming both checksums, and never ran
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_THAT(diagnostics[0].detail,
              HasSubstr("it changed since `reconcile init` recorded it (sha256 " +
                        trusted_sum.substr(0, 12) + "..., now " +
                        Sha256Sum(in_stack).substr(0, 12) + "...)"));
  EXPECT_FALSE(std::filesystem::exists(marker));
  // And trusting it again lets it run
  std::vector<std::string> report;
  EXPECT_FALSE(TrustStackPlugins(dir_.path(), &report).HasErrors());
  EXPECT_EQ(report, std::vector<std::string>{"Stack plugin reconcile-provider-testing changed; "
                                             "trusted its new content (sha256 " +
                                             Sha256Sum(in_stack).substr(0, 12) + "...)."});
  diagnostics = {};
  std::unique_ptr<Provider> provider = OpenPlugin("testing", "", {dir_.path(), {}}, {}, &diagnostics);
  ASSERT_NE(provider, nullptr) << diagnostics.ToString();
  EXPECT_EQ(provider->Info().version, "6.6.6");
}

TEST_F(PluginDiscoveryTest, TrustStackPluginsRecordsEveryPluginWithItsChecksum) {
  std::string a = InstallTesting(".reconcile/plugins", "alpha", "1.0.0", true, false);
  std::string b = InstallTesting(".reconcile/plugins", "beta", "1.0.0", true, false);
  dir_.Write(".reconcile/plugins/README", "not a plugin");
  std::vector<std::string> report;
  ASSERT_FALSE(TrustStackPlugins(dir_.path(), &report).HasErrors());
  EXPECT_EQ(report, (std::vector<std::string>{
                        "Trusted stack plugin reconcile-provider-alpha (sha256 " +
                            Sha256Sum(a).substr(0, 12) + "...).",
                        "Trusted stack plugin reconcile-provider-beta (sha256 " +
                            Sha256Sum(b).substr(0, 12) + "...)."}));
  EXPECT_EQ(dir_.Read(".reconcile/plugins.lock"),
            "{\n  \"format_version\": 1,\n  \"plugins\": {\n    \"reconcile-provider-alpha\": {\n"
            "      \"sha256\": \"" + Sha256Sum(a) + "\"\n    },\n    \"reconcile-provider-beta\": {\n"
            "      \"sha256\": \"" + Sha256Sum(b) + "\"\n    }\n  }\n}\n");
}

}  // namespace
}  // namespace reconcile::testing
