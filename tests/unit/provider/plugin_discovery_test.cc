// Discovery: the stack's .reconcile/plugins, then RECONCILE_PLUGIN_PATH, then
// extra directories, then the install's and the build tree's libexec; version
// constraints probe each candidate, and the lookup explains every refusal.
#include <sys/stat.h>

#include <cstdlib>

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
  // plugin reporting `version`.
  std::string InstallTesting(const std::string& relative_dir, const std::string& name,
                             const std::string& version, bool executable = true) {
    std::string path = dir_.Write(
        relative_dir + "/reconcile-provider-" + name,
        "#!/bin/sh\nTEST_PLUGIN_VERSION=" + version + " exec " + TestingPluginPath() + " \"$@\"\n");
    ::chmod(path.c_str(), executable ? 0755 : 0644);
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

}  // namespace
}  // namespace reconcile::testing
