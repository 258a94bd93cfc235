#include <gtest/gtest.h>

#include "reconcile/state.h"

namespace reconcile {
namespace {

TEST(PendingJournal, RoundTripKeepsUnknownAndSensitiveMarks) {
  // Given a create with unknown computed attributes and a delete of a sensitive object
  std::map<std::string, PendingOperation> pending;
  PendingOperation create;
  create.address = "aws_vpc.main";
  create.type = "aws_vpc";
  create.provider = "aws";
  create.action = "create";
  create.started = "2026-11-23T09:30:00Z";
  create.client_token = "tok-1";
  ValueMap planned;
  planned["cidr_block"] = Value::String("10.0.0.0/16");
  planned["id"] = Value::Unknown();
  planned["secret"] = Value::Unknown().MarkedSensitive();
  planned["tags"] = Value::Map({{"Name", Value::String("n")}}).MarkedSensitive();
  planned["tags"].MutableMap()["Name"].set_sensitive(true);  // a mark inside a marked container
  create.planned_state = Value::Map(planned);
  pending[create.address] = create;
  PendingOperation remove;
  remove.address = "random_password.db";
  remove.type = "random_password";
  remove.provider = "random";
  remove.action = "delete";
  remove.started = "2026-11-23T09:31:00Z";
  remove.prior_state = Value::Map({{"result", Value::String("s3cret").MarkedSensitive()}});
  pending[remove.address] = remove;

  // When the journal is written and read back
  std::map<std::string, PendingOperation> parsed;
  Diagnostics diags = ParsePending(SerializePending(pending), &parsed);

  // Then every operation comes back exactly
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  ASSERT_EQ(parsed.size(), 2u);
  const PendingOperation& got = parsed.at("aws_vpc.main");
  EXPECT_EQ(got.type, "aws_vpc");
  EXPECT_EQ(got.provider, "aws");
  EXPECT_EQ(got.action, "create");
  EXPECT_EQ(got.started, "2026-11-23T09:30:00Z");
  EXPECT_EQ(got.client_token, "tok-1");
  EXPECT_EQ(got.planned_state, create.planned_state);
  EXPECT_TRUE(got.planned_state.Find("id")->is_unknown());
  EXPECT_TRUE(got.planned_state.Find("secret")->is_unknown());
  EXPECT_TRUE(got.planned_state.Find("secret")->sensitive());
  EXPECT_TRUE(got.planned_state.Find("tags")->Find("Name")->sensitive());
  EXPECT_TRUE(got.prior_state.is_null());
  EXPECT_EQ(parsed.at("random_password.db").prior_state, remove.prior_state);
}

TEST(PendingJournal, AnUnknownOutcomeIsWrittenOnlyWhenSetAndReadBack) {
  PendingOperation create;
  create.address = "aws_ebs_volume.data";
  create.action = "create";
  create.client_token = "5d9a1c2e-0000-4000-8000-000000000001";
  create.prior_state = Value::Map({{"id", Value::String("vol-1")}});  // a create_before_destroy replacement
  std::string plain = SerializePending({{create.address, create}});
  EXPECT_EQ(plain.find("outcome_unknown"), std::string::npos);
  create.outcome_unknown = true;
  std::map<std::string, PendingOperation> parsed;
  ASSERT_FALSE(ParsePending(SerializePending({{create.address, create}}), &parsed).HasErrors());
  EXPECT_TRUE(parsed.at("aws_ebs_volume.data").outcome_unknown);
  EXPECT_EQ(ObjectId(parsed.at("aws_ebs_volume.data").prior_state), "vol-1");
  ASSERT_FALSE(ParsePending(plain, &parsed).HasErrors());
  EXPECT_FALSE(parsed.at("aws_ebs_volume.data").outcome_unknown);
}

TEST(PendingJournal, EmptyJournalHasNoOperations) {
  EXPECT_EQ(SerializePending({}), "{\n  \"format_version\": 1,\n  \"operations\": []\n}\n");
  std::map<std::string, PendingOperation> parsed = {{"x", PendingOperation{}}};
  ASSERT_FALSE(ParsePending(SerializePending({}), &parsed).HasErrors());
  EXPECT_TRUE(parsed.empty());
}

TEST(PendingJournal, RejectsOtherVersionsAndMissingFields) {
  std::map<std::string, PendingOperation> parsed;
  Diagnostics diags = ParsePending(R"({"format_version": 9, "operations": []})", &parsed);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary,
            "pending-operation journal: format_version: unsupported journal format version 9; this reconcile "
            "reads version 1");
  diags = ParsePending(R"({"format_version": 1, "operations": [{"address": "a.b"}]})", &parsed);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "pending-operation journal: operations[0].action: missing (required)");
  diags = ParsePending(
      R"({"format_version": 1, "operations": [{"address": "a.b", "action": "create",
          "planned_state": {"value": {"a": 1}, "unknown": ["b"]}}]})",
      &parsed);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary,
            "pending-operation journal: operations[0].planned_state.unknown: path \"b\" is not inside the value");
}

}  // namespace
}  // namespace reconcile
