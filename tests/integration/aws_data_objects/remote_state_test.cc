// data reconcile_remote_state: a stack reads the outputs of another stack
// applied in another directory, from its local backend and from its S3
// backend (against moto), per workspace, without locking or writing it, its
// sensitive outputs still sensitive.
#include <algorithm>
#include <filesystem>

#include "aws_stack.h"
#include "reconcile/backend.h"
#include "reconcile/state.h"
#include "support/temp_dir.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

// A stack of outputs only: a plain one naming the workspace, a sensitive one.
std::string NetworkStack(const std::string& backend) {
  return "[stack]\nname = \"network\"\n\n" + backend +
         "\n[output.vpc_id]\nvalue = \"vpc-${workspace}\"\n\n"
         "[output.db_password]\nvalue = \"hunter2-${workspace}\"\nsensitive = true\n\n"
         "[output.subnets]\nvalue = [\"a\", \"b\"]\n";
}

// The consumer's data source and an output built from it.
std::string ConsumerStack(const std::string& backend, const std::string& config, const std::string& extra = "") {
  return "[data.reconcile_remote_state.network]\nbackend = \"" + backend + "\"\nconfig = " + config + "\n" + extra +
         "\n\n[output.vpc]\nvalue = \"${data.reconcile_remote_state.network.outputs.vpc_id}\"\n\n"
         "[output.first_subnet]\nvalue = \"${data.reconcile_remote_state.network.outputs.subnets[0]}\"\n";
}

class RemoteStateTest : public AwsStackTest {
 protected:
  // Applies the network stack in `workspace`.
  void ApplyNetwork(const std::string& backend, const std::string& workspace) {
    network_.Write("main.toml", NetworkStack(backend));
    EngineOptions options;
    options.stack_dir = network_.path();
    options.use_plugins = false;
    options.read_environment_variables = false;
    Diagnostics diags;
    std::unique_ptr<Engine> engine = Engine::Open(options, &diags);
    ASSERT_TRUE(engine) << diags.ToString();
    std::vector<std::string> names;
    ASSERT_FALSE(engine->ListWorkspaces(&names).HasErrors());
    if (std::find(names.begin(), names.end(), workspace) == names.end()) {
      ASSERT_FALSE(engine->NewWorkspace(workspace).HasErrors());
    }
    options.workspace = workspace;
    engine = Engine::Open(options, &diags);
    ASSERT_TRUE(engine) << diags.ToString();
    Plan plan;
    ApplySummary summary;
    diags = engine->PlanAndApply({}, {}, &plan, &summary);
    ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  }

  // The consumer's outputs after an apply.
  std::map<std::string, OutputValue> ConsumerOutputs() {
    EngineOptions options;
    options.stack_dir = stack_dir();
    options.workspace = workspace();
    options.use_plugins = false;
    options.read_environment_variables = false;
    Diagnostics diags;
    std::unique_ptr<Engine> engine = Engine::Open(options, &diags);
    std::map<std::string, OutputValue> outputs;
    if (engine) diags.Append(engine->Outputs(&outputs));
    EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
    return outputs;
  }

  // The outputs map the data source recorded.
  Value RecordedOutputs() {
    Value state = StateOf("data.reconcile_remote_state.network");
    const Value* outputs = state.Find("outputs");
    return outputs ? *outputs : Value();
  }

  TempDir network_;
};

std::string Text(const Value& map, const std::string& key) {
  const Value* v = map.Find(key);
  return v && v->is_string() ? v->AsString() : "<missing>";
}

TEST_F(RemoteStateTest, LocalBackendOutputsPerWorkspaceReadOnlyAndStillSensitive) {
  // Given a network stack applied in workspaces default and prod, with a local backend
  ApplyNetwork("", "default");
  ApplyNetwork("", "prod");
  std::string state_file = network_.path() + "/.reconcile/state/default.json";
  std::string before = network_.Read(".reconcile/state/default.json");
  ASSERT_FALSE(before.empty());

  // and its lock held by someone applying it right now
  std::unique_ptr<Backend> network_backend = MakeLocalBackend(network_.path() + "/.reconcile/state");
  LockInfo held;
  held.operation = "apply";
  ASSERT_FALSE(network_backend->Lock("default", held, std::chrono::milliseconds(0)).HasErrors());

  // When a stack in another directory reads it (the directory relative to its own)
  std::string relative = std::filesystem::relative(network_.path(), stack_dir()).string();
  WriteStack(ConsumerStack("local", "{ stack = \"" + relative + "\" }"));
  Apply();

  // Then it has the outputs of its own workspace, without waiting for or taking the lock
  std::map<std::string, OutputValue> outputs = ConsumerOutputs();
  EXPECT_EQ(outputs["vpc"].value, Value::String("vpc-default"));
  EXPECT_EQ(outputs["first_subnet"].value, Value::String("a"));
  Value recorded = RecordedOutputs();
  EXPECT_EQ(Text(recorded, "db_password"), "hunter2-default");
  // the sensitive output stays sensitive, the others do not
  ASSERT_NE(recorded.Find("db_password"), nullptr);
  EXPECT_TRUE(recorded.Find("db_password")->sensitive());
  EXPECT_FALSE(recorded.Find("vpc_id")->ContainsSensitive());
  // and the network stack's state is untouched
  EXPECT_EQ(network_.Read(".reconcile/state/default.json"), before);
  ASSERT_FALSE(network_backend->Unlock("default", held.id).HasErrors());
  EXPECT_EQ(Changes(PlanChanges()), "");

  // In workspace prod it reads prod's outputs
  UseWorkspace("prod");
  Apply();
  EXPECT_EQ(ConsumerOutputs()["vpc"].value, Value::String("vpc-prod"));

  // Unless it names another workspace
  WriteStack(ConsumerStack("local", "{ stack = \"" + relative + "\" }", "workspace = \"default\""));
  Apply();
  EXPECT_EQ(ConsumerOutputs()["vpc"].value, Value::String("vpc-default"));

  // A workspace with no state gives the defaults, with a warning
  WriteStack(ConsumerStack("local", "{ path = \"" + network_.path() + "/.reconcile/state\" }",
                           "workspace = \"staging\"\ndefaults = { vpc_id = \"vpc-none\", subnets = [\"z\"] }"));
  Apply();
  EXPECT_EQ(ConsumerOutputs()["vpc"].value, Value::String("vpc-none"));
  EXPECT_FALSE(std::filesystem::exists(network_.path() + "/.reconcile/state/staging.json"));
}

TEST_F(RemoteStateTest, S3BackendOutputsPerWorkspace) {
  // Given a network stack applied in default and prod with an S3 backend (moto)
  AwsCli("s3api create-bucket --bucket network-state");
  const std::string backend =
      "[backend.s3]\nbucket = \"network-state\"\nkey = \"network/state.json\"\nregion = \"us-east-1\"\n"
      "lock = \"s3\"\n";
  ApplyNetwork(backend, "default");
  ApplyNetwork(backend, "prod");
  json objects = AwsCli("s3api list-objects-v2 --bucket network-state")["Contents"];
  std::size_t stored = objects.size();

  // When another stack reads it, naming only the bucket, key and region
  const std::string config = "{ bucket = \"network-state\", key = \"network/state.json\", region = \"us-east-1\" }";
  WriteStack(ConsumerStack("s3", config));
  Apply();

  // Then it has default's outputs, the sensitive one still sensitive
  EXPECT_EQ(ConsumerOutputs()["vpc"].value, Value::String("vpc-default"));
  Value recorded = RecordedOutputs();
  ASSERT_NE(recorded.Find("db_password"), nullptr);
  EXPECT_TRUE(recorded.Find("db_password")->sensitive());
  EXPECT_EQ(Changes(PlanChanges()), "");

  // and in workspace prod, prod's (its state under env:/prod/)
  UseWorkspace("prod");
  Apply();
  EXPECT_EQ(ConsumerOutputs()["vpc"].value, Value::String("vpc-prod"));

  // Nothing was written to the network stack's bucket (no lock object, no state)
  EXPECT_EQ(AwsCli("s3api list-objects-v2 --bucket network-state")["Contents"].size(), stored);
}

TEST_F(RemoteStateTest, BadBackendIsAnErrorNamingIt) {
  WriteStack(ConsumerStack("ftp", "{ }"));
  Diagnostics diags = ApplyAllowingErrors();
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_NE(diags.ToString().find("unknown backend type \"ftp\""), std::string::npos) << diags.ToString();
}

}  // namespace
}  // namespace reconcile::testing
