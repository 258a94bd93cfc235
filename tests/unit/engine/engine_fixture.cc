#include "engine_fixture.h"

namespace reconcile::testing {

std::unique_ptr<Engine> EngineTest::Open(const std::string& workspace) {
  EngineOptions options;
  options.stack_dir = dir_.path();
  options.workspace = workspace;
  options.providers = {{"fake", FakeProviderFactory(cloud_)}};
  options.use_plugins = false;
  options.read_environment_variables = false;
  options.parallelism = parallelism_;
  options.observer = &observer_;
  options.backend = backend_;
  Diagnostics diags;
  std::unique_ptr<Engine> engine = Engine::Open(options, &diags);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  return engine;
}

Plan EngineTest::MustPlan(PlanOptions options) {
  Plan plan;
  auto engine = Open();
  if (!engine) return plan;
  Diagnostics diags = engine->MakePlan(options, &plan);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  return plan;
}

ApplySummary EngineTest::MustApply(PlanOptions options) {
  ApplySummary summary;
  auto engine = Open();
  if (!engine) return summary;
  Plan plan;
  Diagnostics diags = engine->PlanAndApply(options, {}, &plan, &summary);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  return summary;
}

Diagnostics EngineTest::PlanErrors(PlanOptions options) {
  Plan plan;
  auto engine = Open();
  if (!engine) return {};
  Diagnostics diags = engine->MakePlan(options, &plan);
  EXPECT_TRUE(diags.HasErrors()) << "the plan was expected to fail";
  return diags;
}

State EngineTest::ReadState() {
  State state;
  auto engine = Open();
  if (engine) {
    EXPECT_FALSE(engine->ReadState(&state).HasErrors());
  }
  return state;
}

const PlannedChange* EngineTest::Find(const Plan& plan, const std::string& address) {
  for (const PlannedChange& c : plan.changes)
    if (c.address == address) return &c;
  return nullptr;
}

}  // namespace reconcile::testing
