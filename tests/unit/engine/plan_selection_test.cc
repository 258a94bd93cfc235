// --replace and --exclude on a plan, without providers: which instances are
// left out and why.
#include "engine/plan_selection.h"

#include <gtest/gtest.h>

namespace reconcile::engine {
namespace {

PlannedChange Change(const std::string& address, Action action,
                     std::vector<std::string> depends_on = {}) {
  PlannedChange c;
  c.address = address;
  c.action = action;
  c.depends_on = std::move(depends_on);
  return c;
}

// vpc <- subnet[0], subnet[1] <- instance; dns stands alone.
Plan Network() {
  Plan plan;
  plan.changes = {Change("aws_vpc.main", Action::kCreate),
                  Change("aws_subnet.public[0]", Action::kCreate, {"aws_vpc.main"}),
                  Change("aws_subnet.public[1]", Action::kCreate, {"aws_vpc.main"}),
                  Change("aws_instance.web", Action::kCreate, {"aws_subnet.public"}),
                  Change("module.dns.aws_route53_record.www", Action::kCreate)};
  return plan;
}

std::vector<std::string> Addresses(const std::vector<PlannedChange>& changes) {
  std::vector<std::string> out;
  for (const PlannedChange& c : changes) out.push_back(c.address);
  return out;
}

TEST(ExcludeFromPlan, AnInstanceTakesWhatDependsOnItAlong) {
  PlanOptions options;
  options.excludes = {"aws_subnet.public[0]"};
  Plan plan = Network();
  ASSERT_FALSE(ExcludeFromPlan(options, &plan).HasErrors());
  EXPECT_EQ(Addresses(plan.changes),
            (std::vector<std::string>{"aws_vpc.main", "aws_subnet.public[1]",
                                      "module.dns.aws_route53_record.www"}));
  ASSERT_EQ(plan.excluded.size(), 2u);
  EXPECT_EQ(plan.excluded[0].address, "aws_instance.web");
  EXPECT_EQ(plan.excluded[0].because_of, "aws_subnet.public[0]");
  EXPECT_EQ(plan.excluded[1].address, "aws_subnet.public[0]");
  EXPECT_EQ(plan.excluded[1].because_of, "");
}

TEST(ExcludeFromPlan, AModuleAddressExcludesItsResources) {
  PlanOptions options;
  options.excludes = {"module.dns"};
  Plan plan = Network();
  ASSERT_FALSE(ExcludeFromPlan(options, &plan).HasErrors());
  EXPECT_EQ(plan.changes.size(), 4u);
  ASSERT_EQ(plan.excluded.size(), 1u);
  EXPECT_EQ(plan.excluded[0].address, "module.dns.aws_route53_record.www");
}

TEST(ExcludeFromPlan, DestroyingKeepsWhatTheExcludedNeeds) {
  PlanOptions options;
  options.destroy = true;
  options.excludes = {"aws_instance.web"};
  Plan plan = Network();
  ASSERT_FALSE(ExcludeFromPlan(options, &plan).HasErrors());
  EXPECT_EQ(Addresses(plan.changes),
            (std::vector<std::string>{"module.dns.aws_route53_record.www"}));
  EXPECT_EQ(plan.excluded.size(), 4u);
}

TEST(ExcludeFromPlan, AnAddressMatchingNothingWarns) {
  PlanOptions options;
  options.excludes = {"aws_eip.none"};
  Plan plan = Network();
  Diagnostics diags = ExcludeFromPlan(options, &plan);
  EXPECT_FALSE(diags.HasErrors());
  ASSERT_EQ(diags.items().size(), 1u);
  EXPECT_EQ(diags.items()[0].summary, "--exclude aws_eip.none matches nothing");
  EXPECT_EQ(plan.changes.size(), 5u);
}

TEST(PlanSelection, ReplaceMatchesInstancesAndWholeResources) {
  PlanOptions options;
  options.replace = {"aws_subnet.public"};
  EXPECT_TRUE(ReplaceRequested(options, "aws_subnet.public[1]"));
  EXPECT_FALSE(ReplaceRequested(options, "aws_vpc.main"));
  options.replace = {"aws_subnet.public[0]"};
  EXPECT_FALSE(ReplaceRequested(options, "aws_subnet.public[1]"));
}

TEST(PlanSelection, BadAddressesAreErrors) {
  PlanOptions options;
  options.replace = {"module.net"};
  options.excludes = {"not an address"};
  Diagnostics diags = CheckSelectionAddresses(options);
  ASSERT_EQ(diags.items().size(), 2u);
  EXPECT_EQ(diags.items()[0].summary, "Invalid --replace address \"module.net\"");
  EXPECT_EQ(diags.items()[1].summary, "Invalid --exclude address \"not an address\"");
}

}  // namespace
}  // namespace reconcile::engine
