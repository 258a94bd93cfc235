// Release variables: the value applied last is recorded in the workspace's
// state and reused by later runs that do not set it; explicit values win.
#include "engine_fixture.h"

namespace reconcile::testing {
namespace {

constexpr const char* kReleaseStack = R"(
[variable.image_tag]
type = "string"
default = "v0"
release = true

[variable.size]
type = "number"
default = 1

[resource.fake_thing.app]
name = "app"
note = "image:${var.image_tag}"
size = "${var.size}"
)";

class ReleaseTest : public EngineTest {
 protected:
  std::unique_ptr<Engine> OpenWith(std::vector<VariableAssignment> variables,
                                   const std::string& workspace = {}) {
    EngineOptions options;
    options.stack_dir = dir_.path();
    options.workspace = workspace;
    options.providers = {{"fake", FakeProviderFactory(cloud_)}};
    options.use_plugins = false;
    options.read_environment_variables = false;
    options.variables = std::move(variables);
    Diagnostics diags;
    std::unique_ptr<Engine> engine = Engine::Open(options, &diags);
    EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
    return engine;
  }

  Plan PlanWith(std::vector<VariableAssignment> variables, const std::string& workspace = {}) {
    Plan plan;
    auto engine = OpenWith(std::move(variables), workspace);
    Diagnostics diags = engine->MakePlan({}, &plan);
    EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
    return plan;
  }

  void ApplyWith(std::vector<VariableAssignment> variables, const std::string& operation = {},
                 const std::string& workspace = {}) {
    auto engine = OpenWith(std::move(variables), workspace);
    Plan plan;
    ApplySummary summary;
    ApplyOptions options;
    options.operation = operation;
    Diagnostics diags = engine->PlanAndApply({}, options, &plan, &summary);
    EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  }

  static std::string Note(const Plan& plan) {
    for (const PlannedChange& c : plan.changes)
      if (c.address == "fake_thing.app" && c.after.Find("note")) return c.after.Find("note")->AsString();
    return "";
  }
};

TEST_F(ReleaseTest, FirstPlanUsesTheDefaultAndSaysSo) {
  Stack(kReleaseStack);
  Plan plan = PlanWith({});
  ASSERT_EQ(plan.release.size(), 1u);
  EXPECT_EQ(plan.release[0].name, "image_tag");
  EXPECT_EQ(plan.release[0].after, Value::String("v0"));
  EXPECT_TRUE(plan.release[0].before.is_null());
  EXPECT_EQ(plan.release[0].origin, "default");
  EXPECT_EQ(Note(plan), "image:v0");
}

TEST_F(ReleaseTest, AppliedValueIsRecordedAndReusedByALaterPlainPlan) {
  Stack(kReleaseStack);
  ApplyWith({{"image_tag", "v2"}}, "deploy");
  State state = ReadState();
  ASSERT_EQ(state.release.count("image_tag"), 1u);
  EXPECT_EQ(state.release.at("image_tag"), Value::String("v2"));
  EXPECT_EQ(state.last_apply.operation, "deploy");
  EXPECT_EQ(state.last_apply.add, 1);
  EXPECT_FALSE(state.last_apply.id.empty());

  Plan plain = PlanWith({});
  EXPECT_FALSE(plain.HasChanges());
  EXPECT_EQ(Note(plain), "image:v2");
  ASSERT_EQ(plain.release.size(), 1u);
  EXPECT_EQ(plain.release[0].origin, "recorded by the last apply");
  EXPECT_FALSE(plain.release[0].changed());
}

TEST_F(ReleaseTest, NonReleaseVariablesStillFallBackToTheirDefault) {
  Stack(kReleaseStack);
  ApplyWith({{"image_tag", "v2"}, {"size", "3"}});
  Plan plain = PlanWith({});
  EXPECT_TRUE(plain.HasChanges());  // size goes back to 1, the tag stays v2
  EXPECT_EQ(Note(plain), "image:v2");
}

TEST_F(ReleaseTest, AnExplicitValueWinsAndShowsTheChange) {
  Stack(kReleaseStack);
  ApplyWith({{"image_tag", "v2"}});
  Plan plan = PlanWith({{"image_tag", "v3"}});
  EXPECT_EQ(Note(plan), "image:v3");
  ASSERT_EQ(plan.release.size(), 1u);
  EXPECT_EQ(plan.release[0].before, Value::String("v2"));
  EXPECT_EQ(plan.release[0].after, Value::String("v3"));
  EXPECT_EQ(plan.release[0].origin, "--var image_tag");
  std::string text = RenderPlan(plan, {});
  EXPECT_NE(text.find("Release values:\n  image_tag = v3 (--var image_tag; was v2)\n"), std::string::npos)
      << text;
}

TEST_F(ReleaseTest, RecordedValueBeatsTheEnvironmentFileButNotAVarFile) {
  Stack(kReleaseStack);
  dir_.Write("environments/default.toml", "image_tag = \"from-env-file\"\n");
  ApplyWith({{"image_tag", "v2"}});
  EXPECT_EQ(Note(PlanWith({})), "image:v2");
  dir_.Write("vars/ci.toml", "image_tag = \"from-var-file\"\n");
  EngineOptions options;
  options.stack_dir = dir_.path();
  options.providers = {{"fake", FakeProviderFactory(cloud_)}};
  options.use_plugins = false;
  options.read_environment_variables = false;
  options.var_files = {dir_.path() + "/vars/ci.toml"};
  Diagnostics diags;
  auto engine = Engine::Open(options, &diags);
  ASSERT_TRUE(engine);
  Plan plan;
  ASSERT_FALSE(engine->MakePlan({}, &plan).HasErrors());
  EXPECT_EQ(Note(plan), "image:from-var-file");
  EXPECT_EQ(plan.release[0].origin, "vars/ci.toml");
}

TEST_F(ReleaseTest, EachWorkspaceRecordsItsOwnValue) {
  Stack(kReleaseStack);
  ApplyWith({{"image_tag", "v2"}}, "", "default");
  ApplyWith({{"image_tag", "v7"}}, "", "prod");
  EXPECT_EQ(Note(PlanWith({}, "default")), "image:v2");
  EXPECT_EQ(Note(PlanWith({}, "prod")), "image:v7");
}

TEST_F(ReleaseTest, AReleaseVariableWithoutDefaultNeedsAValueOnlyUntilTheFirstApply) {
  Stack(R"(
[variable.image_tag]
type = "string"
release = true

[resource.fake_thing.app]
name = "app"
note = "${var.image_tag}"
)");
  {
    auto engine = OpenWith({});
    Plan plan;
    Diagnostics diags = engine->MakePlan({}, &plan);
    ASSERT_TRUE(diags.HasErrors());
    EXPECT_NE(diags.ToString().find("No value for required variable \"image_tag\""), std::string::npos);
    EXPECT_FALSE(engine->Validate().HasErrors()) << "validate needs no release value";
  }
  ApplyWith({{"image_tag", "v1"}});
  EXPECT_FALSE(PlanWith({}).HasChanges());
}

TEST_F(ReleaseTest, ANoChangeApplyRecordsNothingNew) {
  Stack(kReleaseStack);
  ApplyWith({{"image_tag", "v2"}});
  State first = ReadState();
  ApplyWith({});
  State second = ReadState();
  EXPECT_EQ(second.last_apply.id, first.last_apply.id);
}

TEST_F(ReleaseTest, DestroyKeepsTheRecordedValue) {
  Stack(kReleaseStack);
  ApplyWith({{"image_tag", "v2"}});
  auto engine = OpenWith({});
  Plan plan;
  ApplySummary summary;
  PlanOptions destroy;
  destroy.destroy = true;
  ASSERT_FALSE(engine->PlanAndApply(destroy, {}, &plan, &summary).HasErrors());
  State state = ReadState();
  EXPECT_TRUE(state.resources.empty());
  EXPECT_EQ(state.release.at("image_tag"), Value::String("v2"));
  EXPECT_EQ(state.last_apply.operation, "destroy");
  EXPECT_EQ(state.last_apply.destroy, 1);
}

}  // namespace
}  // namespace reconcile::testing
