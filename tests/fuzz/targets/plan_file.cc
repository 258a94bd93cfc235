// Saved plan files: the input is the file's text. A plan the reader accepts
// renders as text and as JSON, and reads back to the same document.
#include <string>

#include "fuzz_targets.h"
#include "plan/plan_file.h"
#include "reconcile/plan.h"

namespace reconcile::fuzz {

void FuzzPlanFile(std::string_view input) {
  Plan plan;
  Diagnostics diags = ParsePlanFile(input, "fuzz.plan", &plan);
  (void)diags.ToString();
  if (diags.HasErrors()) return;
  (void)RenderPlan(plan, RenderOptions{.color = true, .show_no_ops = true});
  (void)RenderPlan(plan, RenderOptions{});
  (void)PlanToJson(plan);
  const std::string written = SerializePlan(plan);
  Plan again;
  FUZZ_CHECK(!ParsePlanFile(written, "fuzz.plan", &again).HasErrors());
  FUZZ_CHECK(SerializePlan(again) == written);
}

}  // namespace reconcile::fuzz
