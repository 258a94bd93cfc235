#include <optional>

#include <gtest/gtest.h>

#include "core/regex.h"
#include "reconcile/state.h"
#include "state/state_identity.h"

namespace reconcile {
namespace {

ValueMap Entries(std::initializer_list<std::pair<const std::string, Value>> items) { return ValueMap(items); }

State ExampleState() {
  State state;
  state.lineage = "3f1c2a9e-0b7d-4c55-9e21-7a8b6c5d4e3f";
  state.serial = 7;
  state.tool_version = "0.1.0";
  ResourceInstanceState db;
  db.address = "aws_db_instance.main";
  db.mode = "managed";
  db.type = "aws_db_instance";
  db.provider = "aws.west";
  db.schema_version = 2;
  db.tainted = true;
  db.attributes = Value::Map(Entries({
      {"id", Value::String("db-1")},
      {"password", Value::String("hunter2").MarkedSensitive()},
      {"port", Value::Number(5432)},
      {"tags", Value::Map(Entries({{"Name", Value::String("main")},
                                   {"a.b", Value::String("dotted key").MarkedSensitive()}}))},
      {"zones", Value::List({Value::String("a"), Value::String("b").MarkedSensitive()})},
  }));
  db.dependencies = {"aws_vpc.main", "random_password.db"};
  db.deposed = {Value::Map(Entries({{"id", Value::String("db-0")},
                                    {"password", Value::String("old").MarkedSensitive()}}))};
  state.resources[db.address] = db;
  ResourceInstanceState ami;
  ami.address = "data.aws_ami.ubuntu";
  ami.mode = "data";
  ami.type = "aws_ami";
  ami.provider = "aws";
  ami.attributes = Value::Map(Entries({{"id", Value::String("ami-1")}, {"enabled", Value::Bool(false)},
                                       {"nothing", Value()}}));
  state.resources[ami.address] = ami;
  state.outputs["db_password"] = OutputState{Value::String("hunter2").MarkedSensitive(), true};
  state.outputs["endpoints"] =
      OutputState{Value::Map(Entries({{"primary", Value::String("db:5432")},
                                      {"token", Value::String("t0k3n").MarkedSensitive()}})),
                  false};
  return state;
}

TEST(StateDocument, RoundTripKeepsEveryFieldAndMark) {
  // Given a state with every field set, sensitive values at several depths and a deposed object
  State state = ExampleState();
  // When it is serialized and parsed back
  State parsed;
  Diagnostics diags = ParseState(SerializeState(state), &parsed);
  // Then everything, marks included, is as it was
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(parsed.lineage, state.lineage);
  EXPECT_EQ(parsed.serial, 7u);
  EXPECT_EQ(parsed.tool_version, "0.1.0");
  ASSERT_EQ(parsed.resources.size(), 2u);
  for (const auto& [address, expected] : state.resources) {
    const ResourceInstanceState& got = parsed.resources.at(address);
    EXPECT_EQ(got.address, expected.address);
    EXPECT_EQ(got.mode, expected.mode);
    EXPECT_EQ(got.type, expected.type);
    EXPECT_EQ(got.provider, expected.provider);
    EXPECT_EQ(got.schema_version, expected.schema_version);
    EXPECT_EQ(got.tainted, expected.tainted);
    EXPECT_EQ(got.attributes, expected.attributes) << address;  // operator== compares marks
    EXPECT_EQ(got.dependencies, expected.dependencies);
    EXPECT_EQ(got.deposed, expected.deposed);
  }
  EXPECT_TRUE(parsed.resources.at("aws_db_instance.main").attributes.Find("password")->sensitive());
  EXPECT_TRUE(parsed.resources.at("aws_db_instance.main").deposed[0].Find("password")->sensitive());
  ASSERT_EQ(parsed.outputs.size(), 2u);
  EXPECT_EQ(parsed.outputs.at("db_password").value, state.outputs.at("db_password").value);
  EXPECT_TRUE(parsed.outputs.at("db_password").sensitive);
  EXPECT_EQ(parsed.outputs.at("endpoints").value, state.outputs.at("endpoints").value);
  EXPECT_FALSE(parsed.outputs.at("endpoints").sensitive);
}

TEST(StateDocument, LayoutIsStablePrettyJson) {
  // Given a small state
  State state;
  state.lineage = "L";
  state.serial = 3;
  state.tool_version = "0.1.0";
  ResourceInstanceState file;
  file.mode = "managed";
  file.type = "local_file";
  file.provider = "local";
  file.attributes = Value::Map(Entries({{"content", Value::String("hi\n").MarkedSensitive()}}));
  state.resources["local_file.a"] = file;
  state.outputs["x"] = OutputState{Value::Number(1.5), false};
  // When it is serialized / Then keys come in the documented order
  EXPECT_EQ(SerializeState(state), R"({
  "format_version": 1,
  "tool_version": "0.1.0",
  "lineage": "L",
  "serial": 3,
  "outputs": {
    "x": {
      "sensitive": false,
      "value": 1.5,
      "sensitive_paths": []
    }
  },
  "resources": [
    {
      "address": "local_file.a",
      "mode": "managed",
      "type": "local_file",
      "provider": "local",
      "schema_version": 0,
      "tainted": false,
      "attributes": {
        "content": "hi\n"
      },
      "sensitive_attributes": [
        "content"
      ],
      "dependencies": [],
      "deposed": []
    }
  ]
}
)");
}

TEST(StateDocument, ResourcesAreListedSortedByAddress) {
  State state;
  state.lineage = "L";
  for (const char* address : {"b.x", "a.y[\"k\"]", "a.y[0]", "module.m.c.z"}) {
    ResourceInstanceState r;
    r.mode = "managed";
    state.resources[address] = r;
  }
  std::string text = SerializeState(state);
  std::size_t a_key = text.find(R"("a.y[\"k\"]")");
  std::size_t a_index = text.find(R"("a.y[0]")");
  std::size_t b = text.find(R"("b.x")");
  std::size_t m = text.find(R"("module.m.c.z")");
  ASSERT_NE(m, std::string::npos);
  EXPECT_LT(a_key, a_index);
  EXPECT_LT(a_index, b);
  EXPECT_LT(b, m);
}

Diagnostics ParseText(const std::string& text) {
  State state;
  return ParseState(text, &state);
}

TEST(StateDocument, RejectsUnknownFormatVersion) {
  Diagnostics diags = ParseText(R"({"format_version": 2, "lineage": "L", "serial": 1})");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary,
            "state document: format_version: unsupported state format version 2; this reconcile reads version 1 "
            "(the state was written by a newer reconcile: upgrade)");
}

TEST(StateDocument, RejectsMissingLineage) {
  Diagnostics diags = ParseText(R"({"format_version": 1, "serial": 1})");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "state document: lineage: missing (required)");
}

TEST(StateDocument, RejectsBadTypesNamingTheJsonPath) {
  Diagnostics diags = ParseText(R"({"format_version": 1, "lineage": "L", "serial": "7"})");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "state document: serial: expected a non-negative integer, found string");

  diags = ParseText(R"({"format_version": 1, "lineage": "L", "serial": 1, "resources": [
    {"address": "a.b", "mode": "managed", "type": "a", "provider": "a", "attributes": {}},
    {"address": "a.c", "mode": "managed", "type": "a", "provider": "a", "attributes": [1]}]})");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "state document: resources[1].attributes: expected an object, found a list");

  diags = ParseText(R"({"format_version": 1, "lineage": "L", "serial": 1, "resources": [
    {"address": "a.b", "mode": "managed", "type": "a", "provider": "a", "attributes": {"p": 1},
     "sensitive_attributes": ["p", 3]}]})");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary,
            "state document: resources[0].sensitive_attributes[1]: expected a string, found number");
}

TEST(StateDocument, RejectsBadModeAndDuplicateAddress) {
  Diagnostics diags = ParseText(R"({"format_version": 1, "lineage": "L", "serial": 1, "resources": [
    {"address": "a.b", "mode": "managed", "type": "a", "provider": "a", "attributes": {}},
    {"address": "a.b", "mode": "managed", "type": "a", "provider": "a", "attributes": {}},
    {"address": "a.c", "mode": "weird", "type": "a", "provider": "a", "attributes": {}}]})");
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0].summary, "state document: resources[1].address: \"a.b\" appears twice");
  EXPECT_EQ(diags[1].summary,
            "state document: resources[2].mode: expected \"managed\" or \"data\", found \"weird\"");
}

TEST(StateDocument, RejectsMalformedJson) {
  Diagnostics diags = ParseText("{\"format_version\": 1,\n \"lineage\": }");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "state document is not valid JSON");
  EXPECT_NE(diags[0].detail.find("line 2"), std::string::npos) << diags[0].detail;
}

TEST(StateDocument, ReadsMembersInAnyOrder) {
  // Given a document edited by hand with the resources before the header
  State state;
  Diagnostics diags = ParseState(R"({"resources": [{"address": "a.b", "mode": "data", "type": "a", "provider": "a",
      "attributes": {"k": "v"}, "sensitive_attributes": ["k"]}], "serial": 2, "lineage": "L", "format_version": 1})",
                                 &state);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(state.serial, 2u);
  ASSERT_EQ(state.resources.count("a.b"), 1u);
  EXPECT_TRUE(state.resources.at("a.b").attributes.Find("k")->sensitive());
}

TEST(StateDocument, RejectsATopLevelThatIsNotAnObject) {
  Diagnostics diags = ParseText("[1]");
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "state document: top level: expected an object, found a list");
}

TEST(StateDocument, FailedParseLeavesOutputUntouched) {
  State state;
  state.lineage = "kept";
  ParseState(R"({"format_version": 1, "lineage": "L", "serial": -1})", &state);
  EXPECT_EQ(state.lineage, "kept");
}

TEST(StateDocument, PeekReadsLineageAndSerialOnly) {
  State state = ExampleState();
  StateIdentity identity;
  std::string error;
  ASSERT_TRUE(PeekStateIdentity(SerializeState(state), &identity, &error)) << error;
  EXPECT_EQ(identity.lineage, state.lineage);
  EXPECT_EQ(identity.serial, 7u);
  // Order does not matter and nested members named alike are ignored.
  ASSERT_TRUE(PeekStateIdentity(R"({"x": {"serial": 9, "lineage": "no"}, "serial": 4, "lineage": "yes"})",
                                &identity, &error));
  EXPECT_EQ(identity.lineage, "yes");
  EXPECT_EQ(identity.serial, 4u);
  EXPECT_FALSE(PeekStateIdentity(R"({"serial": 4})", &identity, &error));
  EXPECT_EQ(error, "the document has no top-level \"lineage\" string and \"serial\" number");
}

TEST(StateDocument, PeekAcceptsTheSerialsParseStateAccepts) {
  StateIdentity identity;
  std::string error;
  // 2^53 is the largest serial a document can hold exactly
  ASSERT_TRUE(
      PeekStateIdentity(R"({"lineage": "L", "serial": 9007199254740992})", &identity, &error));
  EXPECT_EQ(identity.serial, 9007199254740992u);
  // and anything larger is no serial (8.9e52 used to be converted with an overflow; found by
  // the state fuzzer), nor are fractions or negative numbers
  for (const char* serial : {"88888888888888888888888888888888888888888888888888881",
                             "18446744073709551615", "1.5", "-1"}) {
    EXPECT_FALSE(PeekStateIdentity(std::string(R"({"lineage": "L", "serial": )") + serial + "}",
                                   &identity, &error))
        << serial;
    State state;
    EXPECT_TRUE(ParseState(std::string(R"({"format_version": 1, "lineage": "L", "serial": )") +
                               serial + "}",
                           &state)
                    .HasErrors())
        << serial;
  }
}

TEST(StateIdentifiers, NewLineageIsARandomUuidV4) {
  std::string error;
  std::optional<Regex> uuid_v4 =
      Regex::Compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", &error);
  ASSERT_TRUE(uuid_v4) << error;
  std::string a = NewLineage();
  std::string b = NewLineage();
  EXPECT_TRUE(uuid_v4->FullMatch(a)) << a;
  EXPECT_TRUE(uuid_v4->FullMatch(b)) << b;
  EXPECT_NE(a, b);
}

TEST(StateIdentifiers, NowIsRfc3339Utc) {
  std::string error;
  std::optional<Regex> rfc3339 =
      Regex::Compile("20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z", &error);
  ASSERT_TRUE(rfc3339) << error;
  std::string now = NowRfc3339();
  EXPECT_TRUE(rfc3339->FullMatch(now)) << now;
}

}  // namespace
}  // namespace reconcile

namespace reconcile {
namespace {

TEST(StateDocumentRelease, ReleaseValuesAndTheApplyRecordRoundTrip) {
  State state;
  state.lineage = "3f1c2a9e-0b7d-4c55-9e21-7a8b6c5d4e3f";
  state.serial = 4;
  state.release["image_tag"] = Value::String("2024-05-08");
  state.release["token"] = Value::String("s3cret").MarkedSensitive();
  state.last_apply = {"a1", "deploy", "alice@laptop", "2026-12-07T18:00:00Z", 0, 1, 0};
  std::string document = SerializeState(state);
  EXPECT_NE(document.find("\"release\""), std::string::npos);
  State back;
  ASSERT_FALSE(ParseState(document, &back).HasErrors());
  EXPECT_EQ(back.release.at("image_tag"), Value::String("2024-05-08"));
  EXPECT_TRUE(back.release.at("token").sensitive());
  EXPECT_EQ(back.last_apply.id, "a1");
  EXPECT_EQ(back.last_apply.operation, "deploy");
  EXPECT_EQ(back.last_apply.who, "alice@laptop");
  EXPECT_EQ(back.last_apply.change, 1);
}

TEST(StateDocumentRelease, DocumentsWithoutThemStillReadAndWriteNothingExtra) {
  State state;
  state.lineage = "l";
  state.serial = 1;
  std::string document = SerializeState(state);
  EXPECT_EQ(document.find("\"release\""), std::string::npos);
  EXPECT_EQ(document.find("\"last_apply\""), std::string::npos);
  State back;
  ASSERT_FALSE(ParseState(document, &back).HasErrors());
  EXPECT_TRUE(back.release.empty());
  EXPECT_TRUE(back.last_apply.empty());
}

TEST(StateDocumentRelease, AMalformedReleaseEntryNamesItsPath) {
  State back;
  Diagnostics diags = ParseState(
      R"({"format_version": 1, "lineage": "l", "serial": 1, "release": {"image_tag": "v1"}, "resources": []})",
      &back);
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_NE(diags.ToString().find("release.image_tag"), std::string::npos) << diags.ToString();
}

}  // namespace
}  // namespace reconcile
