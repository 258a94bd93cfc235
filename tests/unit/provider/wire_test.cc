// The plugin protocol's encoding: values (unknown, sensitive, nested,
// escaped keys, special numbers), diagnostics, schemas and method messages
// survive a trip through JSON text exactly.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "provider/wire.h"

namespace reconcile {
namespace {

using nlohmann::json;

// Encodes, prints as JSON text, parses and decodes: what a peer receives.
Value RoundTrip(const Value& v) {
  std::string text = wire::EncodeValue(v).dump();
  Value out;
  std::string error;
  EXPECT_TRUE(wire::DecodeValue(json::parse(text), &out, &error)) << error;
  return out;
}

TEST(WireValueTest, PlainValuesAreEncodedAsPlainJson) {
  // Given a value with no marks
  Value v = Value::Map({{"name", Value::String("web")},
                        {"count", Value::Number(3)},
                        {"ratio", Value::Number(0.25)},
                        {"on", Value::Bool(true)},
                        {"none", Value()},
                        {"list", Value::List({Value::Number(1), Value::String("two")})}});
  // When it is encoded, then the JSON is exactly the plain document
  EXPECT_EQ(wire::EncodeValue(v).dump(),
            R"({"count":3,"list":[1,"two"],"name":"web","none":null,"on":true,"ratio":0.25})");
  EXPECT_EQ(RoundTrip(v), v);
}

TEST(WireValueTest, UnknownAndSensitiveUseEscapeObjects) {
  Value v = Value::Map(
      {{"id", Value::Unknown()}, {"password", Value::String("hunter2").MarkedSensitive()}});
  EXPECT_EQ(wire::EncodeValue(v).dump(),
            R"({"id":{"$unknown":true},"password":{"$sensitive":"hunter2"}})");
  Value back = RoundTrip(v);
  EXPECT_TRUE(back.Find("id")->is_unknown());
  EXPECT_TRUE(back.Find("password")->sensitive());
  EXPECT_EQ(back.Find("password")->AsString(), "hunter2");
  EXPECT_EQ(back, v);
}

TEST(WireValueTest, MarksSurviveAtEveryDepth) {
  // Given a sensitive unknown, a sensitive container and marks deep in lists
  Value inner = Value::List({Value::Number(1), Value::Unknown().MarkedSensitive(),
                             Value::Map({{"k", Value::String("v").MarkedSensitive()}})});
  Value v = Value::Map(
      {{"outer", Value::Map({{"inner", inner}}).MarkedSensitive()}, {"plain", Value::List({})}});
  // When it crosses the wire, then every mark is where it was
  Value back = RoundTrip(v);
  EXPECT_EQ(back, v);
  EXPECT_TRUE(back.Find("outer")->sensitive());
  const Value& list = *back.Find("outer")->Find("inner");
  EXPECT_FALSE(list.sensitive());
  EXPECT_TRUE(list.AsList()[1].is_unknown());
  EXPECT_TRUE(list.AsList()[1].sensitive());
  EXPECT_TRUE(list.AsList()[2].Find("k")->sensitive());
  EXPECT_EQ(SensitivePaths(back), SensitivePaths(v));  // outermost marks: just "outer"
  EXPECT_EQ(SensitivePaths(back).size(), 1u);
}

TEST(WireValueTest, LiteralMapsWithDollarKeysAreEscaped) {
  // Given maps whose keys look like escapes
  Value v = Value::Map({{"$unknown", Value::Bool(true)}});
  Value mixed = Value::Map({{"$ref", Value::String("x")}, {"plain", Value::Number(1)}});
  // When encoded, then they are wrapped in $map and come back as literal maps
  EXPECT_EQ(wire::EncodeValue(v).dump(), R"({"$map":{"$unknown":true}})");
  EXPECT_EQ(wire::EncodeValue(mixed).dump(), R"({"$map":{"$ref":"x","plain":1}})");
  EXPECT_EQ(RoundTrip(v), v);
  EXPECT_FALSE(RoundTrip(v).is_unknown());
  EXPECT_EQ(RoundTrip(mixed), mixed);
  Value nested = Value::Map({{"$map", Value::Map({{"$sensitive", Value::Number(2)}})}});
  EXPECT_EQ(RoundTrip(nested), nested);
}

TEST(WireValueTest, NumbersKeepTheirExactValue) {
  for (double n : {0.1, -2.5, 1e300, 9007199254740993.0, 123456789012.0, -0.0})
    EXPECT_EQ(RoundTrip(Value::Number(n)).AsNumber(), n) << n;
  EXPECT_TRUE(std::isnan(RoundTrip(Value::Number(std::nan(""))).AsNumber()));
  EXPECT_EQ(RoundTrip(Value::Number(std::numeric_limits<double>::infinity())).AsNumber(),
            std::numeric_limits<double>::infinity());
  EXPECT_EQ(wire::EncodeValue(Value::Number(-std::numeric_limits<double>::infinity())).dump(),
            R"({"$number":"-Infinity"})");
}

TEST(WireValueTest, BadEscapesAreRefusedWithTheirPath) {
  Value out;
  std::string error;
  EXPECT_FALSE(wire::DecodeValue(json::parse(R"({"a":[1,{"$bogus":1}]})"), &out, &error));
  EXPECT_EQ(error,
            "at a[1]: unknown value escape \"$bogus\" (a literal map key starting with \"$\" must "
            "be wrapped in {\"$map\": ...})");
  EXPECT_FALSE(wire::DecodeValue(json::parse(R"({"$unknown":false})"), &out, &error));
  EXPECT_EQ(error, "\"$unknown\" must be true");
  EXPECT_FALSE(wire::DecodeValue(json::parse(R"({"$number":"1e5"})"), &out, &error));
}

// `depth` nested one-element lists around 1.
std::string NestedLists(int depth) {
  return std::string(depth, '[') + "1" + std::string(depth, ']');
}

TEST(WireParseTest, MessagesNestAtMost256Levels) {
  json message;
  std::string error;
  // 256 levels parse; 257 are refused, and so is a line deep enough to
  // exhaust a thread's stack if it were built as a tree and walked.
  EXPECT_TRUE(wire::ParseMessage(NestedLists(256), &message, &error)) << error;
  EXPECT_FALSE(wire::ParseMessage(NestedLists(257), &message, &error));
  EXPECT_EQ(error, "arrays and objects nest deeper than 256 levels");
  EXPECT_TRUE(message.is_null());
  EXPECT_FALSE(wire::ParseMessage(R"({"params":{"config":)" + NestedLists(1'000'000) + "}}",
                                  &message, &error));
  EXPECT_EQ(error, "arrays and objects nest deeper than 256 levels");
  // Syntax errors say what is wrong.
  EXPECT_FALSE(wire::ParseMessage("[1,", &message, &error));
  EXPECT_EQ(error,
            "[json.exception.parse_error.101] parse error at line 1, column 4: syntax error while "
            "parsing value - unexpected end of input; expected '[', '{', or a literal");
}

TEST(WireValueTest, DecodingRefusesValuesNestedDeeperThanTheLimit) {
  // Given JSON built in memory (an embedder's, not a parsed line)
  json deep = 1;
  for (int i = 0; i < 300; ++i) deep = json::array({std::move(deep)});
  Value out;
  std::string error;
  // Then the decoder refuses it, naming where
  EXPECT_FALSE(wire::DecodeValue(deep, &out, &error));
  EXPECT_EQ(error.substr(0, 11), "at [0][0][0");
  EXPECT_NE(error.find("]: arrays and objects nest deeper than 256 levels"), std::string::npos)
      << error;
  // and escape objects count as levels
  json wrapped = 1;
  for (int i = 0; i < 200; ++i) wrapped = json::array({json{{"$sensitive", std::move(wrapped)}}});
  EXPECT_FALSE(wire::DecodeValue(wrapped, &out, &error));
  json shallow = json{{"$sensitive", json::array({json{{"$sensitive", 1}}})}};
  EXPECT_TRUE(wire::DecodeValue(shallow, &out, &error)) << error;
}

TEST(WireDiagnosticsTest, EveryFieldCrosses) {
  Diagnostics d;
  d.Error("Bucket name taken", "Pick another name.", SourceRange{"main.toml", 3, 7, 3, 20});
  d.Warning("Deprecated attribute");
  d.items()[1].address = "aws_s3_bucket.logs";
  Diagnostics back;
  std::string error;
  ASSERT_TRUE(
      wire::DecodeDiagnostics(json::parse(wire::EncodeDiagnostics(d).dump()), &back, &error))
      << error;
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back.ToString(), d.ToString());
  EXPECT_EQ(back[0].range.end_column, 20);
  EXPECT_EQ(back[1].severity, Severity::kWarning);
  EXPECT_EQ(back[1].address, "aws_s3_bucket.logs");
}

TEST(WireDiagnosticsTest, MissingSummaryIsRefused) {
  Diagnostics back;
  std::string error;
  EXPECT_FALSE(wire::DecodeDiagnostics(json::parse(R"([{"severity":"error"}])"), &back, &error));
  EXPECT_EQ(error, "diagnostic: field \"summary\" is required");
  EXPECT_FALSE(wire::DecodeDiagnostics(json::parse(R"([{"summary":"x","severity":"fatal"}])"),
                                       &back, &error));
  EXPECT_EQ(error, "diagnostic: field \"severity\" must be \"error\" or \"warning\"");
}

ProviderSchema SampleSchema() {
  ProviderSchema schema;
  schema.provider_config.attributes = {
      Attribute::Optional("region", AttributeType::kString).Describe("Where"),
      Attribute::Optional("endpoints", AttributeType::kMap).Of(AttributeType::kString)};
  ResourceSchema group;
  group.version = 3;
  group.description = "A security group";
  group.attributes = {
      Attribute::Required("name", AttributeType::kString).ForceNew(),
      Attribute::Optional("ingress", AttributeType::kSet)
          .Block(
              {Attribute::Required("from_port", AttributeType::kNumber),
               Attribute::Optional("cidr_blocks", AttributeType::kList).Of(AttributeType::kString),
               Attribute::Optional("nested", AttributeType::kObject)
                   .Block({Attribute::Optional("deep", AttributeType::kBool)
                               .Default(Value::Bool(true))})})
          .MaxItems(5),
      Attribute::OptionalComputed("tags", AttributeType::kMap)
          .Of(AttributeType::kString)
          .Default(Value::Map({{"$odd", Value::String("x")}})),
      Attribute::Computed("secret", AttributeType::kString).Sensitive(),
      Attribute::Optional("document", AttributeType::kAny)};
  schema.resources["aws_security_group"] = group;
  schema.data_sources["aws_ami"].attributes = {
      Attribute::Required("owner", AttributeType::kString)};
  return schema;
}

void ExpectSameAttributes(const std::vector<Attribute>& a, const std::vector<Attribute>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(a[i].name);
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].type, b[i].type);
    if (a[i].type == AttributeType::kList || a[i].type == AttributeType::kSet ||
        a[i].type == AttributeType::kMap) {
      EXPECT_EQ(a[i].element, b[i].element);
    }
    EXPECT_EQ(a[i].required, b[i].required);
    EXPECT_EQ(a[i].optional, b[i].optional);
    EXPECT_EQ(a[i].computed, b[i].computed);
    EXPECT_EQ(a[i].force_new, b[i].force_new);
    EXPECT_EQ(a[i].sensitive, b[i].sensitive);
    EXPECT_EQ(a[i].default_value, b[i].default_value);
    EXPECT_EQ(a[i].description, b[i].description);
    EXPECT_EQ(a[i].max_items, b[i].max_items);
    ExpectSameAttributes(a[i].nested, b[i].nested);
  }
}

TEST(WireSchemaTest, SchemasCrossCompletely) {
  ProviderSchema schema = SampleSchema();
  ProviderSchema back;
  std::string error;
  ASSERT_TRUE(wire::DecodeSchema(json::parse(wire::EncodeSchema(schema).dump()), &back, &error))
      << error;
  ExpectSameAttributes(back.provider_config.attributes, schema.provider_config.attributes);
  ASSERT_EQ(back.resources.count("aws_security_group"), 1u);
  const ResourceSchema& group = back.resources["aws_security_group"];
  EXPECT_EQ(group.version, 3);
  EXPECT_EQ(group.description, "A security group");
  ExpectSameAttributes(group.attributes, schema.resources["aws_security_group"].attributes);
  EXPECT_EQ(group.attributes[1].element, AttributeType::kObject);
  ExpectSameAttributes(back.data_sources["aws_ami"].attributes,
                       schema.data_sources["aws_ami"].attributes);
}

TEST(WireSchemaTest, UnknownTypeIsRefusedNamingTheAttribute) {
  ProviderSchema back;
  std::string error;
  json j =
      json::parse(R"({"resources":{"x_y":{"attributes":[{"name":"size","type":"decimal"}]}}})");
  EXPECT_FALSE(wire::DecodeSchema(j, &back, &error));
  EXPECT_EQ(error, "x_y: attribute \"size\": attribute: field \"type\" is not a known type");
}

TEST(WireMessageTest, ApplyRequestRoundTrips) {
  ApplyRequest request;
  request.type = "aws_vpc";
  request.address = "module.net.aws_vpc.main";
  request.action = ApplyAction::kUpdate;
  request.prior_state = Value::Map({{"id", Value::String("vpc-1")}});
  request.planned_state = Value::Map({{"id", Value::String("vpc-1")}, {"arn", Value::Unknown()}});
  request.config = Value::Map({{"cidr_block", Value::String("10.0.0.0/16")}});
  request.client_token = "tok-123";
  ApplyRequest back;
  std::string error;
  ASSERT_TRUE(wire::Decode(json::parse(wire::Encode(request).dump()), &back, &error)) << error;
  EXPECT_EQ(back.type, request.type);
  EXPECT_EQ(back.address, request.address);
  EXPECT_EQ(back.action, ApplyAction::kUpdate);
  EXPECT_EQ(back.prior_state, request.prior_state);
  EXPECT_EQ(back.planned_state, request.planned_state);
  EXPECT_EQ(back.config, request.config);
  EXPECT_EQ(back.client_token, "tok-123");
}

TEST(WireMessageTest, PlanResponseRoundTrips) {
  PlanResponse response;
  response.planned_state = Value::Map({{"name", Value::String("a")}, {"id", Value::Unknown()}});
  response.requires_replace = {"name", "tags[\"a.b\"]"};
  response.diagnostics.Warning("careful");
  PlanResponse back;
  std::string error;
  ASSERT_TRUE(wire::Decode(json::parse(wire::Encode(response).dump()), &back, &error)) << error;
  EXPECT_EQ(back.planned_state, response.planned_state);
  EXPECT_EQ(back.requires_replace, response.requires_replace);
  EXPECT_EQ(back.diagnostics.ToString(), "warning: careful");
}

TEST(WireMessageTest, OutcomeUnknownCrossesAndIsSentOnlyWhenSet) {
  // Given a failed create whose outcome is unknown
  ApplyResponse unknown;
  unknown.diagnostics.Error("ec2 RunInstances: InternalError");
  unknown.outcome_unknown = true;
  // Then the flag crosses the wire
  ApplyResponse back;
  std::string error;
  ASSERT_TRUE(wire::Decode(json::parse(wire::Encode(unknown).dump()), &back, &error)) << error;
  EXPECT_TRUE(back.outcome_unknown);
  // And an answer without it (an older plugin, or a known outcome) is not unknown
  ApplyResponse known;
  EXPECT_FALSE(wire::Encode(known).contains("outcome_unknown"));
  ApplyResponse plain;
  ASSERT_TRUE(wire::Decode(json::parse(R"({"new_state":null,"diagnostics":[]})"), &plain, &error)) << error;
  EXPECT_FALSE(plain.outcome_unknown);
}

TEST(WireMessageTest, UnknownFieldsAreIgnoredAndWrongTypesRefused) {
  ReadRequest read;
  std::string error;
  EXPECT_TRUE(wire::Decode(json::parse(R"({"type":"t","future_field":{"x":1}})"), &read, &error));
  EXPECT_EQ(read.type, "t");
  ApplyRequest apply;
  EXPECT_FALSE(wire::Decode(json::parse(R"({"type":"t","action":"destroy"})"), &apply, &error));
  EXPECT_EQ(error, "apply params: field \"action\" must be \"create\", \"update\" or \"delete\"");
  EXPECT_FALSE(wire::Decode(json::parse(R"({"type":7})"), &read, &error));
  EXPECT_EQ(error, "read params: field \"type\" must be a string");
  EXPECT_FALSE(wire::Decode(json::parse("[1]"), &read, &error));
  EXPECT_EQ(error, "read params must be a JSON object, got array");
}

TEST(WireExcerptTest, LongLinesAreCut) {
  EXPECT_EQ(wire::Excerpt("short"), "short");
  EXPECT_EQ(wire::Excerpt(std::string(200, 'x'), 10), "xxxxxxxxxx...");
}

}  // namespace
}  // namespace reconcile
