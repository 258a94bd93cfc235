#include <gtest/gtest.h>

#include "plan_examples.h"
#include "reconcile/plan.h"

namespace reconcile {
namespace {

using namespace reconcile::testing;

Plan PlanOf(std::vector<PlannedChange> changes) {
  Plan plan;
  plan.workspace = "prod";
  plan.changes = std::move(changes);
  return plan;
}

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(RenderPlanMarkdown, SummaryTableAndOneDetailsBlockPerResource) {
  Plan plan = PlanOf({CreateVpc(), UpdateSubnet(), ReplaceInstance(), DeleteBucket()});
  std::string md = RenderPlanMarkdown(plan, {});
  EXPECT_EQ(
      md.rfind(
          "### reconcile plan: 2 to add, 1 to change, 2 to destroy\n\nWorkspace `prod`.\n\n"
          "| Action | Resources |\n|---|---:|\n| create | 1 |\n| update | 1 |\n| replace | 1 |\n"
          "| delete | 1 |\n\n",
          0),
      0u)
      << md;
  EXPECT_EQ(Count(md, "<details>"), 4u) << md;
  EXPECT_NE(
      md.find("<details><summary><code>-/+ aws_instance.web</code> must be replaced</summary>\n\n"
              "```diff\n-/+ resource \"aws_instance\" \"web\" {\n"),
      std::string::npos)
      << md;
  // Markers move to the first column of the diff fence.
  EXPECT_NE(md.find("\n+       cidr_block = \"10.0.0.0/16\"\n"), std::string::npos) << md;
  EXPECT_NE(md.find("<code>- aws_s3_bucket.logs</code> will be destroyed (because no longer in the "
                    "configuration)"),
            std::string::npos)
      << md;
}

TEST(RenderPlanMarkdown, SensitiveValuesNeverAppear) {
  Plan plan = PlanOf({ReplaceInstance()});
  plan.outputs = {OutputChange{"db_password", Action::kUpdate, Str("a"), Str(kSecret), true}};
  std::string md = RenderPlanMarkdown(plan, {});
  EXPECT_EQ(md.find(kSecret), std::string::npos) << md;
  EXPECT_NE(md.find("(sensitive value)"), std::string::npos) << md;
  EXPECT_NE(md.find("<summary>Changes to outputs (1)</summary>"), std::string::npos) << md;
}

TEST(RenderPlanMarkdown, RequestedAndTaintedReplacementsSaySo) {
  PlannedChange requested = ReplaceInstance();
  requested.reason = std::string(kReasonReplaceRequested);
  std::string md = RenderPlanMarkdown(PlanOf({requested}), {});
  EXPECT_NE(md.find("</code> will be replaced, as requested</summary>"), std::string::npos) << md;
  EXPECT_EQ(md.find("(because"), std::string::npos) << md;
}

TEST(RenderPlanMarkdown, LongPlansAreCutWithACount) {
  std::vector<PlannedChange> changes;
  for (int i = 0; i < 7; ++i) {
    PlannedChange c = CreateVpc();
    c.address = "aws_vpc.main[" + std::to_string(i) + "]";
    changes.push_back(c);
  }
  MarkdownOptions options;
  options.max_resources = 5;
  std::string md = RenderPlanMarkdown(PlanOf(changes), options);
  EXPECT_EQ(Count(md, "<details>"), 5u);
  EXPECT_NE(md.find("\n_2 more resource changes not shown here; `reconcile show PLANFILE` shows "
                    "the whole plan._\n"),
            std::string::npos)
      << md;
  options.max_resources = 40;
  options.max_chars = 1;  // the size limit cuts too, after the first block
  md = RenderPlanMarkdown(PlanOf(changes), options);
  EXPECT_EQ(Count(md, "<details>"), 0u);
  EXPECT_NE(md.find("_7 more resource changes not shown"), std::string::npos) << md;
}

TEST(RenderPlanMarkdown, BackticksInAValueGetALongerFenceAndHtmlIsEscaped) {
  PlannedChange c = Change("aws_s3_object.a<b>", "aws_s3_object", Action::kCreate, Value(),
                           Map({{"content", Str("``` and ````")}}));
  std::string md = RenderPlanMarkdown(PlanOf({c}), {});
  EXPECT_NE(md.find("`````diff\n"), std::string::npos) << md;
  EXPECT_NE(md.find("aws_s3_object.a&lt;b&gt;"), std::string::npos) << md;
}

TEST(RenderPlanMarkdown, NoChanges) {
  EXPECT_EQ(
      RenderPlanMarkdown(PlanOf({}), {}),
      "### reconcile plan: no changes\n\nWorkspace `prod`.\n\nYour infrastructure matches the "
      "configuration.\n");
}

}  // namespace
}  // namespace reconcile
