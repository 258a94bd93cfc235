// Addresses as users type them: resources, instances, modules and module
// instances, and which instances a --target address matches.
#include <gtest/gtest.h>

#include "reconcile/address.h"

namespace reconcile {
namespace {

ResourceAddress MustParse(const std::string& text) {
  ResourceAddress out;
  std::string error;
  EXPECT_TRUE(ResourceAddress::Parse(text, &out, &error)) << text << ": " << error;
  return out;
}

std::string ParseError(const std::string& text) {
  ResourceAddress out;
  std::string error;
  EXPECT_FALSE(ResourceAddress::Parse(text, &out, &error)) << text;
  return error;
}

TEST(ResourceAddress, ModuleInstanceKeysRoundTrip) {
  for (const char* text : {"module.web[\"a\"].aws_instance.x", "module.web[0].aws_instance.x[2]",
                           "module.a[\"k\"].module.b[1].data.aws_ami.u", "module.net.aws_vpc.main"})
    EXPECT_EQ(MustParse(text).ToString(), text);
}

TEST(ResourceAddress, ModuleStepsCarryTheirKeys) {
  ResourceAddress a = MustParse("module.web[\"a\"].module.db[3].aws_instance.x");
  ASSERT_EQ(a.module_path.size(), 2u);
  EXPECT_EQ(a.module_path[0], (ModuleStep{"web", InstanceKey::String("a")}));
  EXPECT_EQ(a.module_path[1], (ModuleStep{"db", InstanceKey::Index(3)}));
  EXPECT_EQ(a.ModulePrefix(), "module.web[\"a\"].module.db[3].");
  EXPECT_EQ(a.ResourceString(), "module.web[\"a\"].module.db[3].aws_instance.x");
}

TEST(ResourceAddress, WholeModuleInstanceHasNoType) {
  ResourceAddress a = MustParse("module.web[\"a\"]");
  EXPECT_TRUE(a.type.empty());
  EXPECT_EQ(a.ModulePrefix(), "module.web[\"a\"].");
}

TEST(ResourceAddress, BadModuleKeyIsAnError) {
  EXPECT_FALSE(ParseError("module.web[\"a\"").empty());
  EXPECT_FALSE(ParseError("module.web[a].aws_instance.x").empty());
}

TEST(AddressMatches, ModuleWithoutKeyMatchesEveryInstance) {
  const ResourceAddress target = MustParse("module.web");
  EXPECT_TRUE(AddressMatches(target, MustParse("module.web[\"a\"].aws_instance.x")));
  EXPECT_TRUE(AddressMatches(target, MustParse("module.web[1].aws_instance.x")));
  EXPECT_FALSE(AddressMatches(target, MustParse("module.db[\"a\"].aws_instance.x")));
}

TEST(AddressMatches, ModuleInstanceMatchesOnlyItsKey) {
  const ResourceAddress target = MustParse("module.web[\"a\"]");
  EXPECT_TRUE(AddressMatches(target, MustParse("module.web[\"a\"].aws_instance.x")));
  EXPECT_TRUE(AddressMatches(target, MustParse("module.web[\"a\"].module.inner.aws_instance.y")));
  EXPECT_FALSE(AddressMatches(target, MustParse("module.web[\"b\"].aws_instance.x")));
}

TEST(AddressMatches, ResourceInsideAModuleInstance) {
  const ResourceAddress target = MustParse("module.web[\"a\"].aws_instance.x");
  EXPECT_TRUE(AddressMatches(target, MustParse("module.web[\"a\"].aws_instance.x")));
  EXPECT_FALSE(AddressMatches(target, MustParse("module.web[\"b\"].aws_instance.x")));
  EXPECT_FALSE(AddressMatches(target, MustParse("module.web[\"a\"].aws_instance.y")));
}

}  // namespace
}  // namespace reconcile
