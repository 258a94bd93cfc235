// Version constraints as a stack pins a provider: "= 1.2.3", ">= 0.1",
// "~> 1.0", "< 2", comma-combined.
#include <gtest/gtest.h>

#include "provider/version_constraint.h"

namespace reconcile::plugin {
namespace {

bool Satisfies(const std::string& constraint, const std::string& version) {
  VersionConstraint c;
  std::string error;
  EXPECT_TRUE(VersionConstraint::Parse(constraint, &c, &error)) << error;
  Version v;
  EXPECT_TRUE(Version::Parse(version, &v)) << version;
  return c.Matches(v);
}

TEST(VersionConstraintTest, Operators) {
  EXPECT_TRUE(Satisfies("= 1.2.3", "1.2.3"));
  EXPECT_FALSE(Satisfies("= 1.2.3", "1.2.4"));
  EXPECT_TRUE(Satisfies("1.2", "1.2.0"));
  EXPECT_TRUE(Satisfies(">= 0.1", "0.1.0"));
  EXPECT_TRUE(Satisfies(">= 0.1", "3.0.0"));
  EXPECT_FALSE(Satisfies(">= 0.1", "0.0.9"));
  EXPECT_TRUE(Satisfies("< 2", "1.99.99"));
  EXPECT_FALSE(Satisfies("< 2", "2.0.0"));
  EXPECT_TRUE(Satisfies("> 1.0", "1.0.1"));
  EXPECT_FALSE(Satisfies("<= 1.0", "1.0.1"));
  EXPECT_FALSE(Satisfies("!= 1.3", "1.3.0"));
  EXPECT_TRUE(Satisfies("", "0.0.1"));
}

TEST(VersionConstraintTest, PessimisticBumpsTheSecondToLastNumber) {
  EXPECT_TRUE(Satisfies("~> 1.0", "1.9.0"));
  EXPECT_FALSE(Satisfies("~> 1.0", "2.0.0"));
  EXPECT_FALSE(Satisfies("~> 1.0", "0.9.0"));
  EXPECT_TRUE(Satisfies("~> 1.2.3", "1.2.9"));
  EXPECT_FALSE(Satisfies("~> 1.2.3", "1.3.0"));
  EXPECT_FALSE(Satisfies("~> 1.2.3", "1.2.2"));
  EXPECT_TRUE(Satisfies("~> 1", "1.5"));
  EXPECT_FALSE(Satisfies("~> 1", "2.0"));
}

TEST(VersionConstraintTest, CommaCombinesTerms) {
  EXPECT_TRUE(Satisfies(">= 0.1, < 2", "1.4.0"));
  EXPECT_FALSE(Satisfies(">= 0.1, < 2", "2.1.0"));
  EXPECT_FALSE(Satisfies(">= 1.0, != 1.2.0", "1.2.0"));
}

TEST(VersionConstraintTest, PrereleasesSortBeforeTheirRelease) {
  EXPECT_FALSE(Satisfies(">= 1.0.0", "1.0.0-beta1"));
  EXPECT_TRUE(Satisfies("< 1.0.0", "1.0.0-beta1"));
  Version v;
  ASSERT_TRUE(Version::Parse("v2.1.0-rc1", &v));
  EXPECT_EQ(v.ToString(), "2.1.0-rc1");
}

TEST(VersionConstraintTest, MalformedConstraintsAreExplained) {
  VersionConstraint c;
  std::string error;
  EXPECT_FALSE(VersionConstraint::Parse(">= one", &c, &error));
  EXPECT_EQ(error,
            "\">= one\" is not a version constraint (expected an operator =, !=, >, >=, <, "
            "<= or ~> followed by a version such as 1.2.3)");
  EXPECT_FALSE(VersionConstraint::Parse("1.0,,", &c, &error));
}

}  // namespace
}  // namespace reconcile::plugin
