// The C ABI (reconcile/c_api.h) on the quickstart stack, with the real random
// and local provider plugins of the build tree: open, plan, apply, outputs,
// workspaces, destroy; stale and foreign plans; events; NULLs and bad JSON;
// two engines in parallel and calls from many threads on one.
#include "reconcile/c_api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A string the C ABI returned, released with rc_free.
class Text {
 public:
  Text() = default;
  Text(const Text&) = delete;
  Text& operator=(const Text&) = delete;
  ~Text() { rc_free(text_); }
  char** out() {
    rc_free(text_);
    text_ = nullptr;
    return &text_;
  }
  bool null() const { return text_ == nullptr; }
  std::string str() const { return text_ == nullptr ? "" : text_; }
  json parsed() const { return json::parse(str()); }

 private:
  char* text_ = nullptr;
};

struct EngineCloser {
  void operator()(rc_engine* e) const { rc_close(e); }
};
using EnginePtr = std::unique_ptr<rc_engine, EngineCloser>;

// Collects events from the callback.
struct EventLog {
  std::mutex mutex;
  std::vector<json> events;

  static void Receive(const char* event_json, void* user) {
    auto* log = static_cast<EventLog*>(user);
    std::lock_guard<std::mutex> lock(log->mutex);
    log->events.push_back(json::parse(event_json));
  }
  std::vector<std::string> Types() {
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<std::string> types;
    for (const json& e : events) types.push_back(e["type"]);
    return types;
  }
};

class CApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(SourceDir() + "/examples/quickstart", dir_.path(), fs::copy_options::recursive);
  }

  std::string Options(json extra = json::object()) {
    json options = {{"stack_dir", dir_.path()}, {"workspace", "default"}};
    options.update(extra);
    return options.dump();
  }

  EnginePtr Open(json extra = json::object()) {
    Text diags;
    EnginePtr engine(rc_open(Options(extra).c_str(), diags.out()));
    EXPECT_TRUE(engine) << diags.str();
    EXPECT_EQ(diags.str(), "[]");
    return engine;
  }

  // Plans; returns the plan document text.
  std::string Plan(rc_engine* engine, int expected = RC_CHANGES, const char* options = nullptr) {
    Text plan, diags;
    EXPECT_EQ(rc_plan(engine, options, plan.out(), diags.out()), expected) << diags.str();
    return plan.str();
  }

  json Apply(rc_engine* engine, const std::string& plan) {
    Text summary, diags;
    EXPECT_EQ(rc_apply(engine, plan.c_str(), summary.out(), diags.out()), RC_OK) << diags.str();
    return summary.null() ? json() : summary.parsed();
  }

  json Outputs(rc_engine* engine) {
    Text outputs, diags;
    EXPECT_EQ(rc_outputs(engine, outputs.out(), diags.out()), RC_OK) << diags.str();
    return outputs.null() ? json() : outputs.parsed();
  }

  TempDir dir_;
};

TEST_F(CApiTest, PlansAppliesReadsOutputsAndDestroys) {
  EnginePtr engine = Open();
  ASSERT_TRUE(engine);
  // When the quickstart is planned
  json plan = json::parse(Plan(engine.get()));
  // Then the plan is the `show --json` document
  EXPECT_EQ(plan["format_version"], "1.0");
  EXPECT_EQ(plan["workspace"], "default");
  EXPECT_EQ(plan["summary"], (json{{"add", 4}, {"change", 0}, {"destroy", 0}, {"read", 0}}));
  EXPECT_EQ(plan["changes_present"], true);
  EXPECT_EQ(plan["resource_changes"].size(), 4u);
  // When it is applied
  json summary = Apply(engine.get(), plan.dump());
  EXPECT_EQ(summary["add"], 4);
  EXPECT_EQ(summary["remove"], 0);
  EXPECT_EQ(summary["failed"], 0);
  // Then the outputs hold the file name and the sensitive password, marked
  json outputs = Outputs(engine.get());
  std::string file = outputs["greeting_file"]["value"];
  EXPECT_EQ(outputs["greeting_file"]["sensitive"], false);
  EXPECT_EQ(outputs["db_password"]["sensitive"], true);
  EXPECT_EQ(outputs["db_password"]["value"].get<std::string>().size(), 20u);
  EXPECT_EQ(dir_.Read(file), "hello, ops!\n");
  // And a new plan has nothing to do
  Plan(engine.get(), RC_OK);
  // When everything is destroyed
  Text destroyed, diags;
  ASSERT_EQ(rc_destroy(engine.get(), nullptr, destroyed.out(), diags.out()), RC_OK) << diags.str();
  EXPECT_EQ(destroyed.parsed()["remove"], 4);
  EXPECT_FALSE(fs::exists(dir_.path() + "/" + file));
  EXPECT_EQ(Outputs(engine.get()), json::object());
}

TEST_F(CApiTest, VariablesFromOptions) {
  EnginePtr engine = Open({{"variables", {{"greeting", "hi"}, {"owner", "dev"}}}});
  ASSERT_TRUE(engine);
  Apply(engine.get(), Plan(engine.get()));
  json outputs = Outputs(engine.get());
  EXPECT_EQ(dir_.Read(outputs["greeting_file"]["value"]), "hi, dev!\n");
}

TEST_F(CApiTest, InMemoryStack) {
  // Given a stack given as files (the directory's own main.toml is not read)
  dir_.Write("main.toml", "this is not TOML = = =");
  json files = {{"main.toml", "[resource.random_id.x]\nbyte_length = 4\n\n[output.hex]\nvalue = \"${random_id.x.hex}\"\n"}};
  EnginePtr engine = Open({{"files", files}});
  ASSERT_TRUE(engine);
  json summary = Apply(engine.get(), Plan(engine.get()));
  EXPECT_EQ(summary["add"], 1);
  EXPECT_EQ(Outputs(engine.get())["hex"]["value"].get<std::string>().size(), 8u);
}

TEST_F(CApiTest, AStalePlanIsRefused) {
  EnginePtr engine = Open();
  ASSERT_TRUE(engine);
  std::string first = Plan(engine.get());
  std::string second = Plan(engine.get());
  Apply(engine.get(), second);
  // When the older plan (made before the state moved) is applied
  Text summary, diags;
  EXPECT_EQ(rc_apply(engine.get(), first.c_str(), summary.out(), diags.out()), RC_ERROR);
  json errors = diags.parsed();
  ASSERT_EQ(errors.size(), 1u) << diags.str();
  EXPECT_EQ(errors[0]["severity"], "error");
  EXPECT_EQ(errors[0]["summary"], "Saved plan is stale");
}

TEST_F(CApiTest, APlanFromAnotherEngineIsPlannedAgainAndAppliedWhenTheSame) {
  // Given a plan made by one engine; the plan of this stack has random
  // values known only after apply, so planning again gives the same document
  EnginePtr planner = Open();
  EnginePtr applier = Open();
  ASSERT_TRUE(planner && applier);
  std::string plan = Plan(planner.get());
  // When another engine applies it
  json summary = Apply(applier.get(), plan);
  // Then it was applied
  EXPECT_EQ(summary["add"], 4);
  // And once the state moved, the same document is refused as stale by both
  for (rc_engine* engine : {planner.get(), applier.get()}) {
    Text out, diags;
    EXPECT_EQ(rc_apply(engine, plan.c_str(), out.out(), diags.out()), RC_ERROR);
    EXPECT_NE(diags.str().find("stale"), std::string::npos) << diags.str();
  }
}

TEST_F(CApiTest, AnEditedPlanDocumentIsRefused) {
  EnginePtr engine = Open();
  ASSERT_TRUE(engine);
  json plan = json::parse(Plan(engine.get()));
  plan["resource_changes"].erase(plan["resource_changes"].begin());
  Text summary, diags;
  EXPECT_EQ(rc_apply(engine.get(), plan.dump().c_str(), summary.out(), diags.out()), RC_ERROR);
  EXPECT_EQ(diags.parsed()[0]["summary"], "The plan no longer matches the stack and its resources");
  EXPECT_FALSE(fs::exists(dir_.path() + "/.reconcile/state/default.json") &&
               dir_.Read(".reconcile/state/default.json").find("random_id") != std::string::npos);
}

TEST_F(CApiTest, EventsAreTheJsonStream) {
  EnginePtr engine = Open();
  ASSERT_TRUE(engine);
  EventLog log;
  rc_set_event_callback(engine.get(), &EventLog::Receive, &log);
  Apply(engine.get(), Plan(engine.get()));
  std::vector<std::string> types = log.Types();
  auto count = [&](const std::string& type) { return std::count(types.begin(), types.end(), type); };
  EXPECT_EQ(count("planned_change"), 4);
  EXPECT_EQ(count("apply_start"), 4);
  EXPECT_EQ(count("apply_complete"), 4);
  EXPECT_EQ(count("change_summary"), 2);  // the plan's and the apply's
  EXPECT_EQ(count("outputs"), 1);
  for (const json& e : log.events) EXPECT_EQ(e["@version"], "1.0") << e.dump();
  // The password never appears in an event
  std::string password = Outputs(engine.get())["db_password"]["value"];
  for (const json& e : log.events) EXPECT_EQ(e.dump().find(password), std::string::npos) << e.dump();
  // When the callback is removed, no more events come
  rc_set_event_callback(engine.get(), nullptr, nullptr);
  std::size_t before = log.Types().size();
  Plan(engine.get(), RC_OK);
  EXPECT_EQ(log.Types().size(), before);
}

TEST_F(CApiTest, ErrorsComeAsDiagnosticEventsToo) {
  dir_.Write("main.toml", "[resource.random_id.x]\nbyte_length = \"many\"\n");
  EnginePtr engine = Open();
  ASSERT_TRUE(engine);
  EventLog log;
  rc_set_event_callback(engine.get(), &EventLog::Receive, &log);
  Text plan, diags;
  EXPECT_EQ(rc_plan(engine.get(), nullptr, plan.out(), diags.out()), RC_ERROR);
  EXPECT_TRUE(plan.null());
  json errors = diags.parsed();
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0]["range"]["filename"], "main.toml");
  EXPECT_EQ(errors[0]["range"]["line"], 2);
  ASSERT_FALSE(log.events.empty());
  EXPECT_EQ(log.events.back()["type"], "diagnostic");
}

TEST_F(CApiTest, WorkspacesAreSelectedAndCreated) {
  EnginePtr engine = Open();
  ASSERT_TRUE(engine);
  Apply(engine.get(), Plan(engine.get()));
  Text diags;
  ASSERT_EQ(rc_select_workspace(engine.get(), "staging", diags.out()), RC_OK) << diags.str();
  Text list;
  ASSERT_EQ(rc_workspaces(engine.get(), list.out(), diags.out()), RC_OK) << diags.str();
  EXPECT_EQ(list.parsed(), (json{{"current", "staging"}, {"workspaces", {"default", "staging"}}}));
  // The new workspace has its own (empty) state: everything to add again
  json plan = json::parse(Plan(engine.get()));
  EXPECT_EQ(plan["workspace"], "staging");
  EXPECT_EQ(plan["summary"]["add"], 4);
  EXPECT_EQ(Outputs(engine.get()), json::object());
  // Selecting back finds the applied state
  ASSERT_EQ(rc_select_workspace(engine.get(), "default", diags.out()), RC_OK) << diags.str();
  EXPECT_EQ(Outputs(engine.get())["greeting_file"]["sensitive"], false);
  // A bad name is refused
  EXPECT_EQ(rc_select_workspace(engine.get(), "no/slashes", diags.out()), RC_ERROR);
  EXPECT_EQ(diags.parsed()[0]["summary"], "Invalid workspace name \"no/slashes\"");
}

TEST(CApi, OpenReportsBadOptionsAndStacks) {
  Text diags;
  EXPECT_EQ(rc_open("{\"stack_dir\": 1}", diags.out()), nullptr);
  EXPECT_EQ(diags.parsed()[0]["summary"], "Invalid engine options: \"stack_dir\" must be a string, found a number");
  EXPECT_EQ(rc_open("{\"stack_dir\": \"/nonexistent/stack\"}", diags.out()), nullptr);
  EXPECT_EQ(diags.parsed()[0]["summary"], "Stack directory \"/nonexistent/stack\" does not exist");
  EXPECT_EQ(rc_open("not json", nullptr), nullptr);
}

TEST(CApi, NullEngineAndArgumentsAreErrorsNotCrashes) {
  Text out, diags;
  EXPECT_EQ(rc_plan(nullptr, nullptr, out.out(), diags.out()), RC_ERROR);
  EXPECT_EQ(diags.parsed()[0]["summary"], "rc_plan: the engine is NULL");
  EXPECT_EQ(rc_apply(nullptr, nullptr, out.out(), diags.out()), RC_ERROR);
  EXPECT_EQ(rc_destroy(nullptr, nullptr, out.out(), diags.out()), RC_ERROR);
  EXPECT_EQ(rc_refresh(nullptr, diags.out()), RC_ERROR);
  EXPECT_EQ(rc_outputs(nullptr, out.out(), diags.out()), RC_ERROR);
  EXPECT_EQ(rc_workspaces(nullptr, out.out(), diags.out()), RC_ERROR);
  EXPECT_EQ(rc_select_workspace(nullptr, "x", diags.out()), RC_ERROR);
  EXPECT_EQ(rc_plan(nullptr, nullptr, nullptr, nullptr), RC_ERROR);
  rc_set_event_callback(nullptr, nullptr, nullptr);
  rc_close(nullptr);
  rc_free(nullptr);
}

TEST_F(CApiTest, NullAndMalformedArguments) {
  EnginePtr engine = Open();
  ASSERT_TRUE(engine);
  Text out, diags;
  EXPECT_EQ(rc_apply(engine.get(), nullptr, out.out(), diags.out()), RC_ERROR);
  EXPECT_EQ(diags.parsed()[0]["summary"], "rc_apply: not a plan document");
  EXPECT_EQ(rc_apply(engine.get(), "{\"format_version\": \"2.0\"}", out.out(), diags.out()), RC_ERROR);
  EXPECT_EQ(rc_select_workspace(engine.get(), nullptr, diags.out()), RC_ERROR);
  EXPECT_EQ(rc_plan(engine.get(), "{\"target\": []}", out.out(), diags.out()), RC_ERROR);
  EXPECT_EQ(diags.parsed()[0]["summary"], "Invalid plan options: unknown member \"target\"");
  EXPECT_EQ(rc_destroy(engine.get(), "[", out.out(), diags.out()), RC_ERROR);
  EXPECT_EQ(diags.parsed()[0]["summary"], "Invalid destroy options: not valid JSON");
}

TEST_F(CApiTest, CallsFromManyThreadsOnOneEngineRunOneAtATime) {
  EnginePtr engine = Open();
  ASSERT_TRUE(engine);
  Apply(engine.get(), Plan(engine.get()));
  // When four threads plan and read outputs at once on one engine
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        Text plan, outputs, diags;
        if (rc_plan(engine.get(), nullptr, plan.out(), diags.out()) != RC_OK) ++failures;
        if (rc_outputs(engine.get(), outputs.out(), diags.out()) != RC_OK) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  // Then none of them met a held lock or another's half-written state
  EXPECT_EQ(failures.load(), 0);
}

// A stack with a release variable: the tag lands in a local file.
constexpr const char* kReleaseStack = R"(
[variable.image_tag]
type = "string"
default = "v0"
release = true

[variable.owner]
type = "string"
default = "ops"

[resource.local_file.release]
filename = "out/release.txt"
content = "${var.image_tag}"
)";

class CApiDeployTest : public CApiTest {
 protected:
  void SetUp() override {
    CApiTest::SetUp();
    std::ofstream(dir_.path() + "/main.toml") << kReleaseStack;
  }

  // Deploys; returns the result document.
  json Deploy(rc_engine* engine, const json& options, int expected = RC_OK, std::string* diagnostics = nullptr) {
    Text result, diags;
    EXPECT_EQ(rc_deploy(engine, options.dump().c_str(), result.out(), diags.out()), expected) << diags.str();
    if (diagnostics != nullptr) *diagnostics = diags.str();
    return result.null() ? json() : result.parsed();
  }

  std::string Released() {
    std::ifstream in(dir_.path() + "/out/release.txt");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

TEST_F(CApiDeployTest, DeploysReleaseValuesRemembersThemListsHistoryAndRollsBack) {
  EnginePtr engine = Open();
  ASSERT_TRUE(engine);
  EventLog events;
  rc_set_event_callback(engine.get(), &EventLog::Receive, &events);
  // When v1 then v2 are deployed
  json first = Deploy(engine.get(), {{"release", {{"image_tag", "v1"}}}});
  EXPECT_EQ(first["result"], "completed");
  EXPECT_EQ(first["summary"]["add"], 1);
  EXPECT_EQ(first["release"]["values"][0]["after"], "v1");
  EXPECT_EQ(Released(), "v1");
  json second = Deploy(engine.get(), {{"release", {{"image_tag", "v2"}}}});
  EXPECT_EQ(second["result"], "completed");
  EXPECT_EQ(second["release"]["values"][0]["before"], "v1");
  EXPECT_EQ(Released(), "v2");
  // Then a plain plan keeps the recorded v2 (no changes), and deploying it again changes nothing
  Plan(engine.get(), RC_OK);
  EXPECT_EQ(Deploy(engine.get(), {{"release", {{"image_tag", "v2"}}}})["result"], "unchanged");
  // And the events carried the release change and the deploy's summary
  std::vector<std::string> types = events.Types();
  EXPECT_NE(std::find(types.begin(), types.end(), "release_change"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "deploy_summary"), types.end());
  // And the history lists both deploys, newest first, with their tags
  Text history, diags;
  ASSERT_EQ(rc_history(engine.get(), 0, history.out(), diags.out()), RC_OK) << diags.str();
  json entries = history.parsed()["entries"];
  ASSERT_GE(entries.size(), 2u) << history.str();
  EXPECT_EQ(entries[0]["operation"], "deploy");
  EXPECT_EQ(entries[0]["release"]["image_tag"], "v2");
  EXPECT_EQ(entries[1]["release"]["image_tag"], "v1");
  EXPECT_GT(entries[0]["serial"].get<int>(), entries[1]["serial"].get<int>());
  // When the previous entry's release is deployed again (a rollback)
  json back = Deploy(engine.get(), {{"release", entries[1]["release"]}});
  EXPECT_EQ(back["result"], "completed");
  EXPECT_EQ(Released(), "v1");
  // And a limit of one returns one entry
  ASSERT_EQ(rc_history(engine.get(), 1, history.out(), diags.out()), RC_OK) << diags.str();
  EXPECT_EQ(history.parsed()["entries"].size(), 1u);
}

TEST_F(CApiDeployTest, RefusesANameThatIsNotAReleaseVariableBeforeAnyChange) {
  EnginePtr engine = Open();
  ASSERT_TRUE(engine);
  Deploy(engine.get(), {{"release", {{"image_tag", "v1"}}}});
  std::string diagnostics;
  Deploy(engine.get(), {{"release", {{"image_tag", "v9"}, {"owner", "dev"}}}}, RC_ERROR, &diagnostics);
  EXPECT_NE(diagnostics.find("\\\"owner\\\" is not a release variable of this stack"), std::string::npos)
      << diagnostics;
  EXPECT_NE(diagnostics.find("Release variables: image_tag."), std::string::npos) << diagnostics;
  EXPECT_EQ(Released(), "v1");
  // An undeclared name is refused too, with a suggestion
  Deploy(engine.get(), {{"release", {{"imagetag", "v9"}}}}, RC_ERROR, &diagnostics);
  EXPECT_NE(diagnostics.find("did you mean \\\"image_tag\\\"?"), std::string::npos) << diagnostics;
  EXPECT_EQ(Released(), "v1");
  // Bad options name the member and what was expected
  Deploy(engine.get(), {{"wait", "yes"}}, RC_ERROR, &diagnostics);
  EXPECT_NE(diagnostics.find("wait"), std::string::npos) << diagnostics;
  Text history, diags;
  EXPECT_EQ(rc_history(engine.get(), -1, history.out(), diags.out()), RC_ERROR);
  EXPECT_TRUE(history.null());
}

TEST(CApi, TwoEnginesRunInParallel) {
  TempDir a, b;
  fs::copy(SourceDir() + "/examples/quickstart", a.path(), fs::copy_options::recursive);
  fs::copy(SourceDir() + "/examples/quickstart", b.path(), fs::copy_options::recursive);
  auto run = [](const std::string& dir, int* added) {
    Text diags, plan, summary;
    EnginePtr engine(rc_open(json{{"stack_dir", dir}, {"workspace", "default"}}.dump().c_str(), diags.out()));
    if (!engine || rc_plan(engine.get(), nullptr, plan.out(), diags.out()) != RC_CHANGES) return;
    if (rc_apply(engine.get(), plan.str().c_str(), summary.out(), diags.out()) != RC_OK) return;
    *added = summary.parsed()["add"];
  };
  int added_a = 0, added_b = 0;
  std::thread ta(run, a.path(), &added_a), tb(run, b.path(), &added_b);
  ta.join();
  tb.join();
  EXPECT_EQ(added_a, 4);
  EXPECT_EQ(added_b, 4);
}

}  // namespace
}  // namespace reconcile::testing
