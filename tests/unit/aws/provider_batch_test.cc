// The AWS provider's batched reads: Chunks cuts a key list to an API's limit,
// BatchRead answers every request of a batch from one lookup (missing is gone,
// or read alone when the type says how; a failed lookup fails them all; each
// state made under its request's address).
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "batch.h"

namespace reconcile::aws_provider {
namespace {

Value StateWithId(const std::string& id) { return Value::Map({{"id", Value::String(id)}}); }

ReadRequest RequestFor(const std::string& address, const std::string& id) {
  return {"aws_thing", address, StateWithId(id)};
}

// A state of what the lookup found: the item and the address it was made under.
Value ToStateNamingAddress(ResourceContext& ctx, const std::string& item, const Value& current) {
  return Value::Map({{"id", Value::String(IdOf(current))},
                     {"item", Value::String(item)},
                     {"made_for", Value::String(ctx.address())}});
}

TEST(ChunksTest, CutsInOrderToTheLimitWithAShortLastRun) {
  std::vector<int> items{1, 2, 3, 4, 5, 6, 7};
  std::vector<std::vector<int>> chunks = Chunks(items, 3);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0], (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(chunks[1], (std::vector<int>{4, 5, 6}));
  EXPECT_EQ(chunks[2], (std::vector<int>{7}));
}

TEST(ChunksTest, AnExactMultipleHasNoEmptyRunAndNothingGivesNoRun) {
  EXPECT_EQ(Chunks(std::vector<int>{1, 2, 3, 4}, 2).size(), 2u);
  EXPECT_TRUE(Chunks(std::vector<int>{}, 10).empty());
  EXPECT_EQ(Chunks(std::vector<std::string>(200, "id"), 200).size(), 1u);
  EXPECT_EQ(Chunks(std::vector<std::string>(201, "id"), 200).size(), 2u);
}

class BatchReadTest : public ::testing::Test {
 protected:
  ProviderRuntime runtime_;
  std::vector<ReadRequest> requests_{RequestFor("aws_thing.a", "id-a"),
                                     RequestFor("aws_thing.b", "id-b"),
                                     RequestFor("aws_thing.c", "id-c")};
};

TEST_F(BatchReadTest, FoundObjectsBecomeStateUnderTheirOwnAddressAndMissingOnesAreGone) {
  BatchContext batch(runtime_, "");
  Found<std::string> found = std::map<std::string, std::string>{{"id-a", "A"}, {"id-c", "C"}};

  std::vector<ReadResponse> out = BatchRead(batch, requests_, found, ToStateNamingAddress);

  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(GetString(out[0].new_state, "item"), "A");
  EXPECT_EQ(GetString(out[0].new_state, "made_for"), "aws_thing.a");
  EXPECT_TRUE(out[1].new_state.is_null());
  EXPECT_FALSE(out[1].diagnostics.HasErrors());
  EXPECT_EQ(GetString(out[2].new_state, "item"), "C");
  EXPECT_EQ(GetString(out[2].new_state, "made_for"), "aws_thing.c");
}

TEST_F(BatchReadTest, AFailedLookupAnswersEveryRequestWithItsError) {
  BatchContext batch(runtime_, "");
  batch.Error("DescribeThings failed", "throttled");

  std::vector<ReadResponse> out =
      BatchRead(batch, requests_, Found<std::string>(), ToStateNamingAddress);

  ASSERT_EQ(out.size(), 3u);
  for (const ReadResponse& r : out) {
    EXPECT_TRUE(r.new_state.is_null());
    ASSERT_TRUE(r.diagnostics.HasErrors());
    EXPECT_NE(r.diagnostics.ToString().find("DescribeThings failed"), std::string::npos);
  }
}

TEST_F(BatchReadTest, AnItemThatFailsToConvertFailsOnlyItsOwnRequest) {
  BatchContext batch(runtime_, "");
  Found<std::string> found = std::map<std::string, std::string>{{"id-a", "A"}, {"id-b", "bad"}};
  auto to_state = [](ResourceContext& ctx, const std::string& item, const Value& current) {
    if (item == "bad") ctx.Error("cannot read " + ctx.address());
    return ToStateNamingAddress(ctx, item, current);
  };

  std::vector<ReadResponse> out = BatchRead(batch, requests_, found, to_state);

  EXPECT_FALSE(out[0].diagnostics.HasErrors());
  EXPECT_EQ(GetString(out[0].new_state, "item"), "A");
  EXPECT_TRUE(out[1].new_state.is_null());
  EXPECT_NE(out[1].diagnostics.ToString().find("cannot read aws_thing.b"), std::string::npos);
  EXPECT_TRUE(out[2].new_state.is_null());
  EXPECT_FALSE(out[2].diagnostics.HasErrors());
}

TEST_F(BatchReadTest, RequestsAreMatchedByTheKeyTheTypeNames) {
  BatchContext batch(runtime_, "");
  std::vector<ReadRequest> requests{
      {"aws_thing", "aws_thing.a",
       Value::Map({{"id", Value::String("x")}, {"role", Value::String("r1")}})}};
  Found<std::string> found = std::map<std::string, std::string>{{"r1", "R"}};
  auto role_of = [](const Value& current) { return GetString(current, "role"); };

  std::vector<ReadResponse> out = BatchRead(batch, requests, found, ToStateNamingAddress, role_of);

  EXPECT_EQ(GetString(out[0].new_state, "item"), "R");
  EXPECT_EQ(RequestKeys(requests, role_of), (std::vector<std::string>{"r1"}));
}

TEST_F(BatchReadTest, WhatTheLookupCannotSeeIsReadAloneWhenTheTypeSaysHow) {
  BatchContext batch(runtime_, "");
  Found<std::string> found = std::map<std::string, std::string>{{"id-a", "A"}};
  std::vector<std::string> read_alone;
  ReadFunction read = [&](ResourceContext& ctx, const Value& current) -> Value {
    read_alone.push_back(ctx.address());
    if (IdOf(current) == "id-c") return Value();  // gone
    return Value::Map({{"id", Value::String(IdOf(current))}, {"item", Value::String("alone")}});
  };

  std::vector<ReadResponse> out =
      BatchRead(batch, requests_, found, ToStateNamingAddress, IdOf, read);

  EXPECT_EQ(read_alone, (std::vector<std::string>{"aws_thing.b", "aws_thing.c"}));
  EXPECT_EQ(GetString(out[0].new_state, "item"), "A");
  EXPECT_EQ(GetString(out[1].new_state, "item"), "alone");
  EXPECT_TRUE(out[2].new_state.is_null());
}

}  // namespace
}  // namespace reconcile::aws_provider
