// Workspaces, state commands and import through the engine API.
#include <thread>

#include "engine_fixture.h"

namespace reconcile::testing {
namespace {

TEST_F(EngineTest, WorkspacesKeepSeparateState) {
  Stack("[resource.fake_thing.a]\nname = \"a-${workspace}\"\n");
  MustApply();
  {
    auto engine = Open();
    ASSERT_FALSE(engine->NewWorkspace("prod").HasErrors());
    EXPECT_EQ(engine->workspace(), "prod");
  }
  // The selection persists: a new engine opens in prod.
  auto engine = Open();
  EXPECT_EQ(engine->workspace(), "prod");
  Plan plan;
  ASSERT_FALSE(engine->MakePlan({}, &plan).HasErrors());
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].action, Action::kCreate);
  EXPECT_EQ(plan.changes[0].after.Find("name")->AsString(), "a-prod");
  std::vector<std::string> names;
  ASSERT_FALSE(engine->ListWorkspaces(&names).HasErrors());
  EXPECT_EQ(names, (std::vector<std::string>{"default", "prod"}));
}

TEST_F(EngineTest, DeletingWorkspacesIsGuarded) {
  Stack("[resource.fake_thing.a]\nname = \"a\"\n");
  auto engine = Open();
  Diagnostics d = engine->DeleteWorkspace("default", false);
  ASSERT_TRUE(d.HasErrors());
  EXPECT_EQ(d[0].summary, "The default workspace cannot be deleted");
  ASSERT_FALSE(engine->NewWorkspace("dev").HasErrors());
  d = engine->DeleteWorkspace("dev", false);
  ASSERT_TRUE(d.HasErrors());
  EXPECT_EQ(d[0].summary, "Workspace \"dev\" is the current workspace");
  ApplySummary s;
  Plan p;
  ASSERT_FALSE(engine->PlanAndApply({}, {}, &p, &s).HasErrors());
  ASSERT_FALSE(engine->SelectWorkspace("default").HasErrors());
  d = engine->DeleteWorkspace("dev", false);
  ASSERT_TRUE(d.HasErrors());
  EXPECT_EQ(d[0].summary, "Workspace \"dev\" is not empty");
  EXPECT_FALSE(engine->DeleteWorkspace("dev", true).HasErrors());
}

TEST_F(EngineTest, StateRmAndMv) {
  Stack("[resource.fake_thing.a]\nname = \"a\"\n[resource.fake_thing.b]\nname = \"b\"\n");
  MustApply();
  auto engine = Open();
  ASSERT_FALSE(engine->MoveInState("fake_thing.a", "fake_thing.renamed").HasErrors());
  std::vector<std::string> removed;
  ASSERT_FALSE(engine->RemoveFromState({"fake_thing.b"}, &removed).HasErrors());
  EXPECT_EQ(removed, std::vector<std::string>{"fake_thing.b"});
  State state = ReadState();
  ASSERT_EQ(state.resources.size(), 1u);
  EXPECT_EQ(state.resources.begin()->first, "fake_thing.renamed");
  EXPECT_EQ(cloud_->size(), 2u);  // the objects were not touched
}

TEST_F(EngineTest, ImportBringsAnExistingObjectUnderManagement) {
  Stack("[resource.fake_thing.a]\nname = \"a\"\n");
  MustApply();
  std::string id = cloud_->IdOf("fake_thing.a");
  {
    auto engine = Open();
    std::vector<std::string> removed;
    ASSERT_FALSE(engine->RemoveFromState({"fake_thing.a"}, &removed).HasErrors());
  }
  auto engine = Open();
  Diagnostics d = engine->Import("fake_thing.a", id);
  ASSERT_FALSE(d.HasErrors()) << d.ToString();
  EXPECT_EQ(ReadState().resources.at("fake_thing.a").attributes.Find("id")->AsString(), id);
  EXPECT_TRUE(ReadState().resources.at("fake_thing.a").dependencies.empty());
  Plan plan = MustPlan();
  EXPECT_EQ(Find(plan, "fake_thing.a")->action, Action::kNoOp);
  Diagnostics missing = engine->Import("fake_thing.nope", id);
  ASSERT_TRUE(missing.HasErrors());
  EXPECT_EQ(missing[0].summary, "Import target fake_thing.nope is not in the configuration");
}

TEST_F(EngineTest, ConcurrentRunsAreLockedOut) {
  Stack("[resource.fake_thing.a]\nname = \"a\"\n");
  cloud_->apply_delay_ms = 300;
  auto first = Open();
  std::thread t([&] {
    Plan p;
    ApplySummary s;
    EXPECT_FALSE(first->PlanAndApply({}, {}, &p, &s).HasErrors());
  });
  // Wait until the first run holds the lock and is applying.
  while (cloud_->in_flight.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto second = Open();
  Plan p;
  Diagnostics d = second->MakePlan({}, &p);
  t.join();
  ASSERT_TRUE(d.HasErrors());
  EXPECT_NE(d.ToString().find("apply"), std::string::npos) << d.ToString();
}

}  // namespace
}  // namespace reconcile::testing
