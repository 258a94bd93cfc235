// In-memory stacks (EngineOptions::files): the stack is the given files, not
// the directory's; modules load from the map; state still lives under
// stack_dir; a saved plan is refused once the files change.
#include <gtest/gtest.h>

#include "reconcile/engine.h"
#include "support/fake_provider.h"
#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

class InMemoryStackTest : public ::testing::Test {
 protected:
  std::unique_ptr<Engine> Open(std::map<std::string, std::string> files, Diagnostics* diags) {
    EngineOptions options;
    options.stack_dir = dir_.path();
    options.files = std::move(files);
    options.providers = {{"fake", FakeProviderFactory(cloud_)}};
    options.use_plugins = false;
    options.read_environment_variables = false;
    return Engine::Open(options, diags);
  }

  std::unique_ptr<Engine> MustOpen(std::map<std::string, std::string> files) {
    Diagnostics diags;
    auto engine = Open(std::move(files), &diags);
    EXPECT_TRUE(engine) << diags.ToString();
    return engine;
  }

  TempDir dir_;
  std::shared_ptr<FakeCloud> cloud_ = std::make_shared<FakeCloud>();
};

const char* kMain = R"(
[module.net]
source = "./modules/net"
prefix = "mem"

[resource.fake_thing.top]
name = "${module.net.name}-top"

[output.name]
value = "${fake_thing.top.name}"
)";

const char* kModule = R"(
[variable.prefix]
type = "string"

[resource.fake_thing.inner]
name = "${var.prefix}-inner"

[output.name]
value = "${fake_thing.inner.name}"
)";

TEST_F(InMemoryStackTest, PlansAndAppliesTheGivenFilesNotTheDirectorys) {
  // Given a directory whose own stack file must be ignored
  dir_.Write("main.toml", "[resource.fake_thing.from_disk]\nname = \"disk\"\n");
  auto engine = MustOpen({{"main.toml", kMain}, {"modules/net/main.toml", kModule}});
  ASSERT_TRUE(engine);
  // When the in-memory stack is planned and applied
  Plan plan;
  ApplySummary summary;
  Diagnostics diags = engine->PlanAndApply({}, {}, &plan, &summary);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  // Then exactly its two things exist, and the state is under stack_dir
  std::vector<std::string> addresses;
  for (const PlannedChange& c : plan.changes) addresses.push_back(c.address);
  EXPECT_EQ(addresses, (std::vector<std::string>{"fake_thing.top", "module.net.fake_thing.inner"}));
  EXPECT_EQ(summary.added, 2);
  EXPECT_EQ(cloud_->size(), 2u);
  std::map<std::string, OutputValue> outputs;
  ASSERT_FALSE(engine->Outputs(&outputs).HasErrors());
  EXPECT_EQ(outputs["name"].value, Value::String("mem-inner-top"));
  EXPECT_NE(dir_.Read(".reconcile/state/default.json").find("module.net.fake_thing.inner"), std::string::npos);
}

TEST_F(InMemoryStackTest, DiagnosticsNameTheInMemoryFile) {
  Diagnostics diags;
  auto engine = Open({{"main.toml", "[resource.fake_thing.a]\nname = \n"}}, &diags);
  EXPECT_FALSE(engine);
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_EQ(diags[0].range.file, "main.toml");
  EXPECT_EQ(diags[0].range.line, 2);
}

TEST_F(InMemoryStackTest, RefusesFileNamesOutsideTheStack) {
  for (const std::string name : {"../main.toml", "/etc/main.toml", "a//b.toml", "./main.toml", ""}) {
    Diagnostics diags;
    auto engine = Open({{name, "[locals]\n"}}, &diags);
    EXPECT_FALSE(engine) << name;
    ASSERT_TRUE(diags.HasErrors()) << name;
    EXPECT_EQ(diags[0].summary, "Invalid stack file name \"" + name + "\"");
  }
}

TEST_F(InMemoryStackTest, NoTopLevelTomlFileIsAnError) {
  Diagnostics diags;
  auto engine = Open({{"modules/net/main.toml", kModule}}, &diags);
  EXPECT_FALSE(engine);
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_NE(diags[0].summary.find("No stack files"), std::string::npos) << diags.ToString();
}

TEST_F(InMemoryStackTest, APlanIsRefusedOnceTheFilesChanged) {
  // Given a plan made from one version of the files
  std::map<std::string, std::string> files{{"main.toml", "[resource.fake_thing.a]\nname = \"one\"\n"}};
  Plan plan;
  ASSERT_FALSE(MustOpen(files)->MakePlan({}, &plan).HasErrors());
  // When another engine holds other files
  files["main.toml"] = "[resource.fake_thing.a]\nname = \"two\"\n";
  auto changed = MustOpen(files);
  ApplySummary summary;
  Diagnostics diags = changed->Apply(plan, {}, &summary);
  // Then the plan is refused and nothing was made
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_EQ(diags[0].summary, "The configuration changed since the plan was made");
  EXPECT_EQ(cloud_->size(), 0u);
  // While the same files apply it
  files["main.toml"] = "[resource.fake_thing.a]\nname = \"one\"\n";
  Diagnostics same = MustOpen(files)->Apply(plan, {}, &summary);
  EXPECT_FALSE(same.HasErrors()) << same.ToString();
  EXPECT_EQ(cloud_->size(), 1u);
}

}  // namespace
}  // namespace reconcile::testing
