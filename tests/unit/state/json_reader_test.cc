#include <gtest/gtest.h>

#include "state/json_reader.h"
#include "state/json_writer.h"

namespace reconcile::json {
namespace {

Value ParseOk(std::string_view text) {
  Value v;
  std::string error;
  EXPECT_TRUE(Parse(text, &v, &error)) << text << ": " << error;
  return v;
}

std::string ParseError(std::string_view text) {
  Value v;
  std::string error;
  EXPECT_FALSE(Parse(text, &v, &error)) << text;
  return error;
}

TEST(JsonReader, ReadsEveryKind) {
  Value v = ParseOk(R"( {"a": [1, -2.5, 1e3, true, false, null], "b": {"c": "d"}, "e": {}, "f": []} )");
  EXPECT_EQ(ToJson(v), R"({"a":[1,-2.5,1000,true,false,null],"b":{"c":"d"},"e":{},"f":[]})");
}

TEST(JsonReader, DecodesEscapesAndSurrogatePairs) {
  Value v = ParseOk(R"(["a\"b\\c\/d\n\t\r\b\f", "\u00e9\u20ac", "\ud83d\ude00", "plain é"])");
  const ValueList& items = v.AsList();
  EXPECT_EQ(items[0].AsString(), "a\"b\\c/d\n\t\r\b\f");
  EXPECT_EQ(items[1].AsString(), "\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(items[2].AsString(), "\xF0\x9F\x98\x80");
  EXPECT_EQ(items[3].AsString(), "plain \xC3\xA9");
}

TEST(JsonReader, ALaterDuplicateKeyWins) {
  EXPECT_EQ(ToJson(ParseOk(R"({"k": 1, "k": 2})")), R"({"k":2})");
}

TEST(JsonReader, ErrorsNameLineAndColumn) {
  EXPECT_EQ(ParseError("{\n  \"a\": 1,\n  \"b\" 2\n}"), "line 3, column 7: expected ':' after an object key");
  EXPECT_EQ(ParseError("[1, 2"), "line 1, column 6: expected ',' or ']' in a list");
  EXPECT_EQ(ParseError("\"abc"), "line 1, column 5: unterminated string");
  EXPECT_EQ(ParseError("[\"\\ud800\"]"), "line 1, column 9: unpaired UTF-16 surrogate in a \\u escape");
  EXPECT_EQ(ParseError("{} x"), "line 1, column 4: unexpected text after the end of the document");
  EXPECT_EQ(ParseError("[tru]"), "line 1, column 2: unexpected character; expected a value");
  EXPECT_EQ(ParseError("\"a\tb\""), "line 1, column 3: control character in a string; write it escaped");
  EXPECT_EQ(ParseError(""), "line 1, column 1: unexpected end of the document; expected a value");
}

TEST(JsonReader, RefusesInvalidUtf8InStrings) {
  // JSON text is UTF-8; the writer would replace such bytes with U+FFFD, so a
  // document read with them would not be the one written back.
  EXPECT_EQ(ParseError("[\"ok\xFF\"]"), "line 1, column 5: invalid UTF-8 in a string");
  EXPECT_EQ(ParseError("[\"\\n\xC3(\"]"), "line 1, column 5: invalid UTF-8 in a string");
  EXPECT_EQ(ParseError("[\"\xED\xA0\x80\"]"), "line 1, column 3: invalid UTF-8 in a string");
  EXPECT_EQ(ParseError("{\"\xC0\xAF\": 1}"), "line 1, column 3: invalid UTF-8 in a string");
  EXPECT_EQ(ParseOk("[\"\\t\xC3\xA9\xF0\x9F\x98\x80\"]").AsList()[0].AsString(),
            "\t\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(JsonReader, RefusesDeepNesting) {
  std::string deep(600, '[');
  EXPECT_EQ(ParseError(deep), "line 1, column 513: nested too deeply");
}

TEST(JsonReader, StreamsObjectsAndLists) {
  Reader reader(R"({"x": 1, "items": [{"n": 1}, {"n": 2}]})");
  ASSERT_TRUE(reader.BeginObject());
  std::string key;
  bool done = false;
  std::vector<std::string> seen;
  while (reader.NextKey(&key, &done) && !done) {
    if (key == "items") {
      ASSERT_TRUE(reader.BeginList());
      bool end = false;
      while (reader.NextElement(&end) && !end) {
        Value item;
        ASSERT_TRUE(reader.ReadValue(&item));
        seen.push_back(ToJson(item));
      }
    } else {
      Value v;
      ASSERT_TRUE(reader.ReadValue(&v));
      seen.push_back(key + "=" + ToJson(v));
    }
  }
  EXPECT_TRUE(reader.ExpectEnd()) << reader.error();
  EXPECT_EQ(seen, (std::vector<std::string>{"x=1", R"({"n":1})", R"({"n":2})"}));
}

TEST(JsonWriter, RoundTripsThroughTheReader) {
  Value v = Value::Map({{"s", Value::String("quote\" back\\ nl\n ctl\x01 é")},
                        {"n", Value::List({Value::Number(0.1), Value::Number(-3), Value::Number(1e300)})},
                        {"u", Value::Unknown()}});
  std::string text;
  Writer w(&text, false);
  w.Value(v);
  EXPECT_EQ(text, R"({"n":[0.1,-3,1e+300],"s":"quote\" back\\ nl\n ctl\u0001 é","u":null})");
  Value back = ParseOk(text);
  EXPECT_EQ(back.Find("s")->AsString(), v.Find("s")->AsString());
  EXPECT_EQ(back.Find("n")->AsList()[0].AsNumber(), 0.1);
}

TEST(JsonWriter, ReplacesInvalidUtf8) {
  std::string text;
  AppendQuoted(&text, "ok\xC3(\xFF");
  EXPECT_EQ(text, "\"ok\xEF\xBF\xBD(\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace reconcile::json
