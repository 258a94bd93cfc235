// Deposed objects: each recorded once, and gone once deleted.
#include <gtest/gtest.h>

#include "reconcile/state.h"

namespace reconcile {
namespace {

Value Object(const std::string& id, const std::string& name) {
  return Value::Map(ValueMap{{"id", Value::String(id)}, {"name", Value::String(name)}});
}

TEST(InstanceStateTest, AnObjectIsDeposedAtMostOnceAndNeverWhileCurrent) {
  ResourceInstanceState r;
  r.attributes = Object("obj-2", "g2");
  // Given an object deposed by an apply, which the recovery of the same
  // interrupted replacement then tries to depose again
  EXPECT_TRUE(r.AddDeposed(Object("obj-1", "g1")));
  EXPECT_FALSE(r.AddDeposed(Object("obj-1", "g1")));
  // And the current object, which is never deposed beside itself
  EXPECT_FALSE(r.AddDeposed(Object("obj-2", "g2")));
  EXPECT_FALSE(r.AddDeposed(Value()));
  // Then the state holds it once
  ASSERT_EQ(r.deposed.size(), 1u);
  EXPECT_EQ(ObjectId(r.deposed[0]), "obj-1");
}

TEST(InstanceStateTest, DeletingADeposedObjectDropsEveryCopyAnOlderStateHeld) {
  // Given a state written before AddDeposed, holding obj-1 twice
  ResourceInstanceState r;
  r.attributes = Object("obj-9", "g9");
  r.deposed = {Object("obj-1", "g1"), Object("obj-3", "g3"), Object("obj-1", "g1")};
  // When obj-1's delete is recorded
  EXPECT_TRUE(r.EraseDeposed(Object("obj-1", "g1")));
  // Then no copy of it is left to delete again, and obj-3 stays
  ASSERT_EQ(r.deposed.size(), 1u);
  EXPECT_EQ(ObjectId(r.deposed[0]), "obj-3");
  EXPECT_FALSE(r.EraseDeposed(Object("obj-1", "g1")));
}

TEST(InstanceStateTest, RevisionsOfOneFamilyAreDifferentObjects) {
  auto revision = [](int n) {
    return Value::Map(ValueMap{
        {"id", Value::String("web")},
        {"arn", Value::String("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:" +
                              std::to_string(n))}});
  };
  EXPECT_FALSE(SameObject(revision(1), revision(2)));
  EXPECT_TRUE(SameObject(revision(2), revision(2)));
  // An object recorded without its ARN is still known by its id
  EXPECT_TRUE(SameObject(revision(1), Value::Map(ValueMap{{"id", Value::String("web")}})));
  // And a replacement deposes the old revision beside the new one
  ResourceInstanceState r;
  r.attributes = revision(2);
  EXPECT_TRUE(r.AddDeposed(revision(1)));
}

}  // namespace
}  // namespace reconcile
