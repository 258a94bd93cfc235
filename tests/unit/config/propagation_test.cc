// Sensitive marks and unknown values flow through every operation and
// function.
#include <gtest/gtest.h>

#include "test_scope.h"

namespace reconcile::config {
namespace {

class Propagation : public ::testing::Test {
 protected:
  Propagation() {
    scope_.values["var.secret"] = Str("hunter2").MarkedSensitive();
    scope_.values["var.n"] = Num(4).MarkedSensitive();
    scope_.values["var.later"] = Value::Unknown();
    scope_.values["var.partly"] = List({Str("a"), Value::Unknown()});
    scope_.values["var.tags"] = Map({{"a", Str("1")}, {"b", Str("x").MarkedSensitive()}});
  }
  Value Eval(const std::string& text) {
    Evaluated r = EvalTemplate(text, scope_);
    EXPECT_EQ(r.Errors(), "") << text;
    return r.value;
  }
  TestScope scope_;
};

TEST_F(Propagation, SensitiveSurvivesOperators) {
  EXPECT_EQ(Eval("${var.n + 1}"), Num(5).MarkedSensitive());
  EXPECT_EQ(Eval("${-var.n}"), Num(-4).MarkedSensitive());
  EXPECT_EQ(Eval("${var.n > 1}"), Bool(true).MarkedSensitive());
  EXPECT_EQ(Eval("${var.secret == \"x\"}"), Bool(false).MarkedSensitive());
  EXPECT_EQ(Eval("${var.n > 1 ? \"big\" : \"small\"}"), Str("big").MarkedSensitive());
}

TEST_F(Propagation, SensitiveSurvivesTemplatesAndFunctions) {
  EXPECT_EQ(Eval("pw=${var.secret}"), Str("pw=hunter2").MarkedSensitive());
  EXPECT_EQ(Eval("${upper(var.secret)}"), Str("HUNTER2").MarkedSensitive());
  EXPECT_EQ(Eval("${jsonencode({ p = var.secret })}"), Str(R"({"p":"hunter2"})").MarkedSensitive());
  EXPECT_EQ(Eval("${length(var.tags)}"), Num(2).MarkedSensitive());
  EXPECT_TRUE(Eval("${sha256(var.secret)}").sensitive());
}

TEST_F(Propagation, SensitiveElementsStayMarkedInsideCollections) {
  Value list = Eval("${[var.secret, \"plain\"]}");
  EXPECT_FALSE(list.sensitive());
  EXPECT_TRUE(list.AsList()[0].sensitive());
  EXPECT_FALSE(list.AsList()[1].sensitive());
  EXPECT_EQ(Eval("${var.tags.a}"), Str("1"));
  EXPECT_EQ(Eval("${var.tags[\"b\"]}"), Str("x").MarkedSensitive());
  EXPECT_EQ(Eval("${{ k = 1 }[var.secret == \"hunter2\" ? \"k\" : \"z\"]}"), Num(1).MarkedSensitive());
}

TEST_F(Propagation, UnknownMakesResultsUnknown) {
  EXPECT_TRUE(Eval("${var.later + 1}").is_unknown());
  EXPECT_TRUE(Eval("prefix-${var.later}").is_unknown());
  EXPECT_TRUE(Eval("${var.later.id}").is_unknown());
  EXPECT_TRUE(Eval("${var.later ? 1 : 2}").is_unknown());
  EXPECT_TRUE(Eval("${upper(var.later)}").is_unknown());
  EXPECT_TRUE(Eval("${[1, 2][var.later]}").is_unknown());
  EXPECT_TRUE(Eval("${join(\",\", var.partly)}").is_unknown());
  EXPECT_TRUE(Eval("${var.later == null}").is_unknown());
}

TEST_F(Propagation, KnownStructureOfPartlyUnknownValuesStaysKnown) {
  EXPECT_EQ(Eval("${length(var.partly)}"), Num(2));
  EXPECT_EQ(Eval("${var.partly[0]}"), Str("a"));
  EXPECT_EQ(Eval("${element(var.partly, 2)}"), Str("a"));
  Value concatenated = Eval("${concat(var.partly, [\"z\"])}");
  ASSERT_TRUE(concatenated.is_list());
  EXPECT_EQ(concatenated.AsList().size(), 3u);
  EXPECT_TRUE(concatenated.AsList()[1].is_unknown());
  EXPECT_EQ(Eval("${keys({ a = var.later })}"), List({Str("a")}));
  EXPECT_EQ(Eval("${false && var.later}"), Bool(false));
}

TEST_F(Propagation, UnknownAndSensitiveTogether) {
  scope_.values["var.hidden_later"] = Value::Unknown().MarkedSensitive();
  Value v = Eval("${var.hidden_later + 1}");
  EXPECT_TRUE(v.is_unknown());
  EXPECT_TRUE(v.sensitive());
}

}  // namespace
}  // namespace reconcile::config
