#include "aws_stack.h"

#include <algorithm>
#include <cstdio>

#include "aws/call_stats.h"
#include "aws_provider.h"
#include "support/moto_server.h"

namespace reconcile::testing {

namespace {

std::string RunCommand(const std::string& command, int* status) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *status = -1;
    return output;
  }
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  *status = pclose(pipe);
  return output;
}

// The client token of an interrupted create: stable for the address, as the
// engine's is across retries; each workspace's state has its own lineage.
std::string InterruptedToken(const std::string& workspace, const std::string& address) {
  return "interrupted-" + workspace + ":1:" + address;
}

}  // namespace

void AwsStackTest::SetUp() {
  MotoServer& moto = MotoServer::Get();
  ASSERT_FALSE(moto.endpoint().empty());
  moto.Reset();
  moto.ExportEnvironment();
  aws::CallStats::Reset();
}

void AwsStackTest::WriteStack(const std::string& resources, const std::string& provider_settings) {
  dir_.Write("main.toml", "[stack]\nname = \"awstest\"\n\n[provider.aws]\nregion = \"us-east-1\"\n" +
                              provider_settings + "\n\n" + resources);
}

std::unique_ptr<Engine> AwsStackTest::OpenEngine() {
  EngineOptions options;
  options.stack_dir = dir_.path();
  options.workspace = workspace_;
  options.providers = {{"aws", MakeAwsProvider}};
  options.use_plugins = false;
  options.read_environment_variables = false;
  Diagnostics diags;
  std::unique_ptr<Engine> engine = Engine::Open(options, &diags);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  return engine;
}

Plan AwsStackTest::PlanChanges() {
  Plan plan;
  std::unique_ptr<Engine> engine = OpenEngine();
  if (!engine) return plan;
  Diagnostics diags = engine->MakePlan({}, &plan);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  for (const PlannedChange& c : plan.changes)
    if (c.action == Action::kUpdate) RecordProperty("update " + std::to_string(++plans_) + " " + c.address, ToJson(c.before) + " -> " + ToJson(c.after));
  return plan;
}

Diagnostics AwsStackTest::ApplyAllowingErrors(Plan* plan) {
  Plan made;
  ApplySummary summary;
  std::unique_ptr<Engine> engine = OpenEngine();
  if (!engine) return {};
  Diagnostics diags = engine->PlanAndApply({}, {}, &made, &summary);
  if (plan != nullptr) *plan = made;
  return diags;
}

Plan AwsStackTest::Apply() {
  Plan plan;
  Diagnostics diags = ApplyAllowingErrors(&plan);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  return plan;
}

void AwsStackTest::Refresh() {
  std::unique_ptr<Engine> engine = OpenEngine();
  if (!engine) return;
  Diagnostics diags = engine->Refresh();
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
}

void AwsStackTest::Import(const std::string& address, const std::string& id) {
  std::unique_ptr<Engine> engine = OpenEngine();
  if (!engine) return;
  Diagnostics diags = engine->Import(address, id);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
}

Diagnostics AwsStackTest::RemoveFromState(const std::string& address) {
  std::unique_ptr<Engine> engine = OpenEngine();
  if (!engine) return {};
  std::vector<std::string> removed;
  return engine->RemoveFromState({address}, &removed);
}

void AwsStackTest::Destroy() {
  std::unique_ptr<Engine> engine = OpenEngine();
  if (!engine) return;
  PlanOptions options;
  options.destroy = true;
  Plan plan;
  ApplySummary summary;
  Diagnostics diags = engine->PlanAndApply(options, {}, &plan, &summary);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
}

Value AwsStackTest::StateOf(const std::string& address) {
  std::unique_ptr<Engine> engine = OpenEngine();
  State state;
  if (!engine) return Value();
  Diagnostics diags = engine->ReadState(&state);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  auto it = state.resources.find(address);
  return it == state.resources.end() ? Value() : it->second.attributes;
}

std::string AwsStackTest::Attr(const std::string& address, const std::string& name) {
  Value state = StateOf(address);
  const Value* v = state.Find(name);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return v->AsString();
  return ToJson(*v);
}

const PlannedChange& AwsStackTest::ChangeFor(const Plan& plan, const std::string& address) {
  static const PlannedChange kMissing;
  for (const PlannedChange& c : plan.changes)
    if (c.address == address) return c;
  ADD_FAILURE() << "no planned change for " << address << "; plan has:\n" << Changes(plan);
  return kMissing;
}

std::string AwsStackTest::Changes(const Plan& plan) {
  std::string out;
  for (const PlannedChange& c : plan.changes) {
    if (c.action == Action::kNoOp) continue;
    out += std::string(ActionName(c.action)) + " " + c.address;
    for (const std::string& path : c.replace_paths) out += " [" + path + "]";
    out += "\n";
  }
  return out;
}

nlohmann::json AwsStackTest::AwsCli(const std::string& args) {
  int status = 0;
  std::string out = RunCommand("aws " + args + " --output json 2>&1", &status);
  EXPECT_EQ(status, 0) << "aws " << args << "\n" << out;
  if (status != 0 || out.empty()) return nlohmann::json();
  return nlohmann::json::parse(out, nullptr, false);
}

void AwsStackTest::UseWorkspace(const std::string& name) {
  workspace_ = "default";
  std::unique_ptr<Engine> engine = OpenEngine();
  if (!engine) return;
  std::vector<std::string> existing;
  Diagnostics diags = engine->ListWorkspaces(&existing);
  if (std::find(existing.begin(), existing.end(), name) == existing.end())
    diags.Append(engine->NewWorkspace(name));
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  workspace_ = name;
}

std::unique_ptr<Provider> AwsStackTest::ConfiguredProvider(Value config) {
  if (config.is_null()) config = Value::Map({{"region", Value::String("us-east-1")}});
  std::unique_ptr<Provider> provider = MakeAwsProvider();
  Diagnostics diags = provider->Configure({config, "awstest", workspace_});
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  return provider;
}

std::string AwsStackTest::InterruptedCreate(const std::string& type, const std::string& address,
                                            const Value& planned) {
  const std::string token = InterruptedToken(workspace_, address);
  std::unique_ptr<Provider> provider = ConfiguredProvider();
  ApplyResponse created =
      provider->ApplyResource({type, address, ApplyAction::kCreate, Value(), planned, planned, token});
  EXPECT_FALSE(created.diagnostics.HasErrors()) << created.diagnostics.ToString();
  PendingCreate(type, address, planned);
  const Value* id = created.new_state.Find("id");
  return id != nullptr && id->is_string() ? id->AsString() : "";
}

void AwsStackTest::PendingCreate(const std::string& type, const std::string& address,
                                 const Value& planned) {
  const std::string token = InterruptedToken(workspace_, address);
  PendingOperation pending{address, type, "aws", "create", NowRfc3339(), token, planned, Value()};
  std::unique_ptr<Backend> backend = MakeLocalBackend(dir_.path() + "/.reconcile/state");
  Diagnostics diags = backend->WritePending(workspace_, SerializePending({{address, pending}}));
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
}

std::map<std::string, std::string> AwsStackTest::TagsOf(const nlohmann::json& list, const char* key,
                                                       const char* value) {
  std::map<std::string, std::string> tags;
  if (!list.is_array()) return tags;
  for (const nlohmann::json& tag : list) tags[tag.value(key, "")] = tag.value(value, "");
  return tags;
}

void AwsStackTest::ExpectTakenByOtherWorkspace(const std::string& resources,
                                               const std::string& object, const TagReader& tags) {
  ASSERT_EQ(workspace_, "default");
  WriteStack(resources);
  Apply();
  std::map<std::string, std::string> made = tags();
  ASSERT_EQ(made["reconcile:workspace"], "default") << object;

  UseWorkspace("prod");
  std::string refused = ApplyAllowingErrors().ToString();
  EXPECT_NE(refused.find(object + " already exists, owned by workspace default of stack awstest"),
            std::string::npos)
      << refused;
  EXPECT_EQ(tags(), made) << object << " was changed by workspace prod";
  Destroy();
  EXPECT_EQ(tags(), made) << object << " was deleted by workspace prod";
  UseWorkspace("default");
}

void AwsStackTest::ExpectUnmanagedRefused(const std::string& resources, const std::string& object,
                                          const TagReader& tags) {
  std::map<std::string, std::string> before = tags();
  WriteStack(resources);
  std::string refused = ApplyAllowingErrors().ToString();
  EXPECT_NE(refused.find(object +
                         " exists and is not managed by reconcile; use `reconcile import`"),
            std::string::npos)
      << refused;
  EXPECT_EQ(tags(), before) << object << " was changed";
}

void AwsStackTest::ExpectRepeatedCreateAdopted(const std::string& type, const std::string& address,
                                               const Value& planned) {
  std::unique_ptr<Provider> provider = ConfiguredProvider();
  ApplyResponse first = provider->ApplyResource(
      {type, address, ApplyAction::kCreate, Value(), planned, planned, "lost:1:" + address});
  ASSERT_FALSE(first.diagnostics.HasErrors()) << first.diagnostics.ToString();
  ApplyResponse again = provider->ApplyResource(
      {type, address, ApplyAction::kCreate, Value(), planned, planned, "lost:2:" + address});
  EXPECT_FALSE(again.diagnostics.HasErrors()) << again.diagnostics.ToString();
  const Value* made = first.new_state.Find("id");
  const Value* adopted = again.new_state.Find("id");
  ASSERT_TRUE(made != nullptr && adopted != nullptr);
  EXPECT_TRUE(made->Equals(*adopted)) << ToJson(*made) << " then " << ToJson(*adopted);
}

}  // namespace reconcile::testing
