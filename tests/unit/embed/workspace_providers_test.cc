// Given one Engine over a stack whose provider settings come from each
// workspace's environment file, when it plans in one workspace, selects
// another and plans again, then the provider is configured anew for the new
// workspace (its own profile, its own workspace name) before the second plan.
#include <gtest/gtest.h>

#include <mutex>

#include "reconcile/engine.h"
#include "support/fake_provider.h"
#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

// A provider of one resource type that records every Configure it gets.
struct ConfigureLog {
  std::mutex mutex;
  std::vector<std::string> entries;  // "workspace profile"

  void Add(const ConfigureRequest& request) {
    const Value* profile = request.config.Find("profile");
    std::lock_guard<std::mutex> lock(mutex);
    entries.push_back(request.workspace + " " + (profile && profile->is_string() ? profile->AsString() : "-"));
  }
};

class RecordingProvider : public Provider {
 public:
  explicit RecordingProvider(std::shared_ptr<ConfigureLog> log) : log_(std::move(log)) {
    ResourceSchema thing;
    thing.attributes = {Attribute::Required("name", AttributeType::kString),
                        Attribute::Computed("id", AttributeType::kString)};
    schema_.resources["rec_thing"] = thing;
    schema_.provider_config.attributes = {Attribute::Optional("profile", AttributeType::kString)};
  }
  ProviderInfo Info() const override { return {"rec", "1.0.0"}; }
  const ProviderSchema& Schema() const override { return schema_; }
  Diagnostics Configure(const ConfigureRequest& request) override {
    log_->Add(request);
    return {};
  }
  ApplyResponse ApplyResource(const ApplyRequest& r) override {
    Value state = r.planned_state.WithoutMarks();
    state.Set("id", Value::String("id-" + r.address));
    return {state, {}};
  }
  ReadResponse ReadResource(const ReadRequest& r) override { return {r.current_state, {}}; }
  ImportResponse ImportResource(const ImportRequest&) override { return {}; }

 private:
  std::shared_ptr<ConfigureLog> log_;
  ProviderSchema schema_;
};

class WorkspaceProvidersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("main.toml", R"(
[variable.profile]
type = "string"

[provider.rec]
profile = "${var.profile}"

[resource.rec_thing.a]
name = "thing-${workspace}"
)");
    dir_.Write("environments/dev.toml", "profile = \"dev-account\"\n");
    dir_.Write("environments/prod.toml", "profile = \"prod-account\"\n");
  }

  std::unique_ptr<Engine> Open(const std::string& workspace) {
    EngineOptions options;
    options.stack_dir = dir_.path();
    options.workspace = workspace;
    options.providers["rec"] = [log = log_] { return std::make_unique<RecordingProvider>(log); };
    options.use_plugins = false;
    options.read_environment_variables = false;
    Diagnostics diags;
    auto engine = Engine::Open(options, &diags);
    EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
    return engine;
  }

  std::string PlannedName(Engine& engine) {
    Plan plan;
    Diagnostics diags = engine.MakePlan({}, &plan);
    EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
    if (plan.changes.size() != 1) return "";
    const Value* name = plan.changes[0].after.Find("name");
    return name && name->is_string() ? name->AsString() : "";
  }

  TempDir dir_;
  std::shared_ptr<ConfigureLog> log_ = std::make_shared<ConfigureLog>();
};

TEST_F(WorkspaceProvidersTest, NewWorkspaceConfiguresProvidersForIt) {
  // Given an engine that planned in dev
  auto engine = Open("dev");
  ASSERT_TRUE(engine);
  EXPECT_EQ(PlannedName(*engine), "thing-dev");
  // When prod is created (and so selected) and planned
  ASSERT_FALSE(engine->NewWorkspace("prod").HasErrors());
  EXPECT_EQ(engine->workspace(), "prod");
  EXPECT_EQ(PlannedName(*engine), "thing-prod");
  // Then the provider was configured once per workspace, each time with that workspace's profile
  EXPECT_EQ(log_->entries, (std::vector<std::string>{"dev dev-account", "prod prod-account"}));
}

TEST_F(WorkspaceProvidersTest, SelectingBackConfiguresAgainAndSameWorkspaceDoesNot) {
  auto engine = Open("dev");
  ASSERT_TRUE(engine);
  ASSERT_FALSE(engine->NewWorkspace("prod").HasErrors());
  EXPECT_EQ(PlannedName(*engine), "thing-prod");
  EXPECT_EQ(PlannedName(*engine), "thing-prod");
  // When dev is selected again (it has state: the apply below) and planned
  Plan plan;
  ApplySummary summary;
  ASSERT_FALSE(engine->SelectWorkspace("default").HasErrors());
  ASSERT_FALSE(engine->NewWorkspace("dev").HasErrors());
  Diagnostics applied = engine->PlanAndApply({}, {}, &plan, &summary);
  EXPECT_FALSE(applied.HasErrors()) << applied.ToString();
  ASSERT_FALSE(engine->SelectWorkspace("dev").HasErrors());
  EXPECT_EQ(PlannedName(*engine), "thing-dev");
  // Then: prod once for its two plans; "default" never (nothing was planned
  // there); dev once for the apply, and not again when dev was selected anew
  // while already current
  EXPECT_EQ(log_->entries, (std::vector<std::string>{"prod prod-account", "dev dev-account"}));
}

}  // namespace
}  // namespace reconcile::testing
