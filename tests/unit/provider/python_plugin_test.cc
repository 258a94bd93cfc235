// examples/plugin-python: a provider written in Python speaks the protocol,
// found by discovery in a stack's plugins directory, planned and applied.
#include <filesystem>
#include <future>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "plugin_test_support.h"
#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

class PythonPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Given the example installed in a stack's plugins directory, and trusted
    std::filesystem::create_directories(stack_.path() + "/.reconcile/plugins");
    std::filesystem::copy_file(RECONCILE_PYTHON_PLUGIN,
                               stack_.path() + "/.reconcile/plugins/reconcile-provider-python");
    std::vector<std::string> report;
    Diagnostics trust = TrustStackPlugins(stack_.path(), &report);
    ASSERT_FALSE(trust.HasErrors()) << trust.ToString();
    Diagnostics diagnostics;
    provider_ = OpenPlugin("python", "~> 0.1", {stack_.path(), {}}, {}, &diagnostics);
    ASSERT_NE(provider_, nullptr) << diagnostics.ToString();
    notes_ = stack_.path() + "/notes.json";
  }

  Value Config(const std::string& name, Value text) {
    return Value::Map({{"file", Value::String(notes_)},
                       {"name", Value::String(name)},
                       {"text", std::move(text)}});
  }

  // Plans then applies, as the engine does.
  ApplyResponse PlanAndApply(ApplyAction action, const std::string& name, const Value& prior,
                             const Value& config) {
    PlanResponse plan =
        provider_->PlanResource({"python_note", "python_note." + name, prior, config, config});
    EXPECT_FALSE(plan.diagnostics.HasErrors()) << plan.diagnostics.ToString();
    ApplyRequest request = Create("python_note", name, plan.planned_state);
    request.action = action;
    request.prior_state = prior;
    return provider_->ApplyResource(request);
  }

  json Notes() { return json::parse(stack_.Read("notes.json")); }

  TempDir stack_;
  std::string notes_;
  std::unique_ptr<Provider> provider_;
};

TEST_F(PythonPluginTest, HandshakeAndSchema) {
  EXPECT_EQ(provider_->Info().name, "python");
  EXPECT_EQ(provider_->Info().version, "0.1.0");
  const ResourceSchema& note = provider_->Schema().resources.at("python_note");
  EXPECT_TRUE(note.Find("file")->force_new);
  EXPECT_TRUE(note.Find("text")->required);
  EXPECT_TRUE(note.Find("length")->computed);
}

TEST_F(PythonPluginTest, PlanComputesWhatItCanAndKeepsUnknowns) {
  Value config = Config("a", Value::String("hello"));
  PlanResponse known =
      provider_->PlanResource({"python_note", "python_note.a", Value(), config, config});
  EXPECT_EQ(*known.planned_state.Find("length"), Value::Number(5));
  EXPECT_EQ(*known.planned_state.Find("id"), Value::String(notes_ + "#a"));
  Value later = Config("b", Value::Unknown());
  PlanResponse unknown =
      provider_->PlanResource({"python_note", "python_note.b", Value(), later, later});
  EXPECT_TRUE(unknown.planned_state.Find("length")->is_unknown());
}

TEST_F(PythonPluginTest, ApplyReadDriftUpdateDelete) {
  // When a note is created, then it is in the file
  ApplyResponse created =
      PlanAndApply(ApplyAction::kCreate, "a", Value(), Config("a", Value::String("one")));
  ASSERT_FALSE(created.diagnostics.HasErrors()) << created.diagnostics.ToString();
  EXPECT_EQ(Notes(), json::parse(R"({"a":"one"})"));
  // And reading it back changes nothing
  ReadResponse read = provider_->ReadResource(Read("python_note", "a", created.new_state));
  EXPECT_EQ(read.new_state, created.new_state);
  // When the file is edited by hand, then the read shows the drift
  stack_.Write("notes.json", R"({"a": "tampered"})");
  read = provider_->ReadResource(Read("python_note", "a", created.new_state));
  EXPECT_EQ(*read.new_state.Find("text"), Value::String("tampered"));
  EXPECT_EQ(*read.new_state.Find("length"), Value::Number(8));
  // And an update restores the configuration
  ApplyResponse updated =
      PlanAndApply(ApplyAction::kUpdate, "a", read.new_state, Config("a", Value::String("one")));
  ASSERT_FALSE(updated.diagnostics.HasErrors()) << updated.diagnostics.ToString();
  EXPECT_EQ(Notes(), json::parse(R"({"a":"one"})"));
  // When it is deleted, then it is gone and reads as gone
  ApplyRequest deletion = Create("python_note", "a", Value());
  deletion.action = ApplyAction::kDelete;
  deletion.prior_state = updated.new_state;
  EXPECT_TRUE(provider_->ApplyResource(deletion).new_state.is_null());
  EXPECT_EQ(Notes(), json::object());
  EXPECT_TRUE(
      provider_->ReadResource(Read("python_note", "a", updated.new_state)).new_state.is_null());
}

TEST_F(PythonPluginTest, SensitiveTextStaysMarked) {
  ApplyResponse created = PlanAndApply(ApplyAction::kCreate, "s", Value(),
                                       Config("s", Value::String("pw").MarkedSensitive()));
  ASSERT_FALSE(created.diagnostics.HasErrors()) << created.diagnostics.ToString();
  EXPECT_EQ(*created.new_state.Find("text"), Value::String("pw").MarkedSensitive());
  ReadResponse read = provider_->ReadResource(Read("python_note", "s", created.new_state));
  EXPECT_TRUE(read.new_state.Find("text")->sensitive());
}

TEST_F(PythonPluginTest, ConcurrentAppliesAllLandAndBatchedReadsArePipelined) {
  constexpr int kNotes = 20;
  std::vector<std::future<ApplyResponse>> applies;
  for (int i = 0; i < kNotes; ++i) {
    applies.push_back(std::async(std::launch::async, [this, i] {
      std::string name = "n" + std::to_string(i);
      return PlanAndApply(ApplyAction::kCreate, name, Value(), Config(name, Value::String(name)));
    }));
  }
  std::vector<ReadRequest> reads;
  for (int i = 0; i < kNotes; ++i) {
    ApplyResponse response = applies[i].get();
    ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
    reads.push_back(Read("python_note", "n" + std::to_string(i), response.new_state));
  }
  EXPECT_EQ(Notes().size(), static_cast<std::size_t>(kNotes));
  std::vector<ReadResponse> responses = provider_->ReadResources(reads);
  ASSERT_EQ(responses.size(), reads.size());
  for (int i = 0; i < kNotes; ++i) EXPECT_EQ(responses[i].new_state, reads[i].current_state) << i;
}

TEST_F(PythonPluginTest, ValidationAndImport) {
  Diagnostics invalid =
      provider_->ValidateResource("python_note", Config("a#b", Value::String("x")));
  ASSERT_EQ(invalid.size(), 1u);
  EXPECT_EQ(invalid[0].summary, "name must be non-empty and without '#'");
  ImportResponse imported =
      provider_->ImportResource({"python_note", "python_note.i", notes_ + "#i"});
  EXPECT_EQ(imported.state,
            Value::Map({{"file", Value::String(notes_)}, {"name", Value::String("i")}}));
  ApplyResponse wrong_type = provider_->ApplyResource(Create("python_other", "x", Value::Map({})));
  ASSERT_EQ(wrong_type.diagnostics.size(), 1u);
  EXPECT_EQ(
      wrong_type.diagnostics[0].summary,
      "provider \"python\" failed apply for python_other.x: unknown resource type python_other");
}

}  // namespace
}  // namespace reconcile::testing
