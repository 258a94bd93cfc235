// The embedding API: open a stack in a workspace, validate, plan, apply,
// destroy, refresh, read outputs, manage workspaces and state. The `reconcile`
// tool is built on this header alone.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "reconcile/address.h"
#include "reconcile/backend.h"
#include "reconcile/diagnostics.h"
#include "reconcile/plan.h"
#include "reconcile/provider.h"
#include "reconcile/resource_graph.h"
#include "reconcile/state.h"
#include "reconcile/value.h"

namespace reconcile {

enum class Phase : unsigned char { kRefresh, kPlan, kApply };
enum class EventStatus : unsigned char { kStarted, kFinished, kFailed };

// Progress of one resource instance in one phase.
struct ResourceEvent {
  Phase phase = Phase::kPlan;
  EventStatus status = EventStatus::kStarted;
  std::string address;
  Action action = Action::kNoOp;  // for apply: what is being done
  std::chrono::milliseconds elapsed{0};  // since this resource's start (finished/failed)
  std::string id;       // the object's id when known (finished)
  std::string message;  // failure summary
};

struct ApplySummary {
  int added = 0;
  int changed = 0;
  int destroyed = 0;
  int failed = 0;
  std::chrono::milliseconds elapsed{0};
};

// Receives what the engine does, as it does it. Called from worker threads,
// one call at a time (the engine serialises them).
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void OnResourceEvent(const ResourceEvent& event) { (void)event; }
  virtual void OnDiagnostic(const Diagnostic& diagnostic) { (void)diagnostic; }
  virtual void OnApplySummary(const ApplySummary& summary) { (void)summary; }
  // Free-form progress ("Acquiring state lock...", "Still creating...").
  virtual void OnMessage(const std::string& message) { (void)message; }
};

// A variable value given on the command line or by an embedder.
struct VariableAssignment {
  std::string name;
  std::string value;  // raw text, converted to the variable's type
};

struct EngineOptions {
  std::string stack_dir = ".";
  // An in-memory stack: file contents by path inside the stack ("main.toml",
  // "environments/prod.toml", "modules/net/main.toml"). When not empty, the
  // stack is these files, not the ones in stack_dir; stack_dir still holds
  // .reconcile/ (local state, the selected workspace, stack plugins) and is
  // where plugins run, so relative paths in the stack resolve against it.
  std::map<std::string, std::string> files;
  // Workspace to use; empty means the selected one (.reconcile/environment,
  // or RECONCILE_WORKSPACE), else "default".
  std::string workspace;
  std::vector<std::string> var_files;          // --var-file, in order
  std::vector<VariableAssignment> variables;   // --var, in order
  bool read_environment_variables = true;      // RECONCILE_VAR_<name>
  int parallelism = 10;
  std::chrono::milliseconds lock_timeout{0};
  bool lock = true;

  // In-process providers by name; a provider not listed here is started as a
  // plugin found by discovery (unless use_plugins is false).
  std::map<std::string, ProviderFactory> providers;
  bool use_plugins = true;
  std::vector<std::string> plugin_dirs;  // searched after .reconcile/plugins

  // Overrides the stack's [backend] (tests, embedders).
  std::shared_ptr<Backend> backend;
  Observer* observer = nullptr;  // not owned; may be null
};

struct PlanOptions {
  bool destroy = false;
  bool refresh = true;
  bool refresh_only = false;
  std::vector<std::string> targets;  // addresses; each brings what it depends on
  // Instances (or whole resources) to destroy and create anew even though
  // nothing forces it (`--replace`); each should be in the state.
  std::vector<std::string> replace;
  // Resources, instances or modules to leave alone (`--exclude`), with
  // everything that depends on them (destroying: everything they depend on).
  std::vector<std::string> excludes;
  // Variable assignments for this operation only, after EngineOptions'
  // (a deploy's release values: `deploy image_tag=v2`).
  std::vector<VariableAssignment> variables;
};

struct ApplyOptions {
  // Called after the lock is taken and state re-read, when the plan is about
  // to be carried out; returning false cancels (used for "yes" prompts).
  std::function<bool(const Plan&)> confirm;
  // What the state's ApplyRecord calls this apply ("deploy", "rollback");
  // empty: "apply", or "destroy" for a destroy plan.
  std::string operation;
};

// A rollout a deploy waits for (an ECS deployment the apply started), as last seen.
struct RolloutProgress {
  std::string address;
  RolloutResponse status;
  std::chrono::milliseconds elapsed{0};  // since the wait began
};

struct RolloutWaitOptions {
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};
  std::chrono::milliseconds poll_interval{std::chrono::seconds(5)};
  // Sees every rollout's latest status after each round of polls.
  std::function<void(const std::vector<RolloutProgress>&)> on_progress;
  // Asked between polls; true stops waiting (nothing is changed).
  std::function<bool()> stop_requested;
};

struct RolloutWaitResult {
  std::vector<RolloutProgress> rollouts;  // each watched rollout's last status
  bool timed_out = false;
  bool stopped = false;
  // Every rollout completed, in time.
  bool Succeeded() const;
};

// One apply of a workspace, as its state recorded it (`reconcile history`).
struct HistoryEntry {
  std::uint64_t serial = 0;  // of the state the apply left
  std::string version;       // the backend's version id (S3) or file (local)
  ApplyRecord apply;         // operation, who, time, summary
  std::map<std::string, Value> release;  // release values it applied
  // ECS task definitions it left registered, by address: "web:42".
  std::map<std::string, std::string> task_definitions;
};

// The stack's [deploy] table: `deploy --tag T` sets `variable` to T in the
// workspace of the first channel whose pattern ('*' any run of characters)
// matches T.
struct DeployChannels {
  std::string variable;
  std::vector<std::pair<std::string, std::string>> channels;  // pattern, workspace
};

struct OutputValue {
  Value value;
  bool sensitive = false;
};

struct InitOptions {
  bool bootstrap = false;
  bool migrate_state = false;  // copy local state into a newly configured backend
};

// One resource instance of the Terraform state: imported, or skipped and why.
struct TerraformImportEntry {
  std::string address;  // `module.network.aws_subnet.public[0]`
  std::string type;
  std::string id;       // the object's id (imported ones)
  std::string reason;   // why it is skipped ("type not supported", "data source", ...)
};

struct TerraformImport {
  std::string location;           // what was read: a path, or s3://bucket/env:/staging/key
  std::string terraform_version;  // of the Terraform that wrote the state
  std::vector<TerraformImportEntry> imported;
  std::vector<TerraformImportEntry> skipped;
  std::vector<std::string> outputs;  // output names imported
  std::vector<std::string> locks;    // Terraform locks held during the import
  std::string config_draft;          // TOML, when asked for
  bool written = false;              // the workspace's state was written
};

// Adopting a Terraform state (`import --from-terraform`).
struct TerraformImportOptions {
  // A Terraform state file (format version 4), or s3://BUCKET/KEY read with
  // the stack's [backend.s3] credentials, region and endpoints (the AWS
  // environment otherwise); outside the "default" workspace, Terraform's
  // object of the same workspace, env:/<workspace>/KEY.
  std::string source;
  // Terraform's lock, held while the state is read and imported: its
  // DynamoDB table (empty: the stack backend's lock_table) and/or its S3
  // lockfile KEY.tflock. Without either the import is refused unless
  // EngineOptions::lock is false.
  std::string lock_table;
  bool lockfile = false;
  // Also draft the TOML configuration of what is imported.
  bool draft_config = false;
  // Sees the import before anything is written; returning false cancels.
  std::function<bool(const TerraformImport&)> confirm;
};

class Engine {
 public:
  // Loads the stack in options.stack_dir, or options.files (configuration
  // only; no state is read and no provider is started). Returns null with
  // errors in *diags when the configuration cannot be loaded.
  static std::unique_ptr<Engine> Open(EngineOptions options, Diagnostics* diags);
  virtual ~Engine() = default;

  virtual const std::string& workspace() const = 0;
  // The stack's [deploy] table (empty when it has none).
  virtual DeployChannels Channels() const = 0;

  // Checks the configuration: syntax, types, references, cycles, required
  // variables and validations, and attributes against provider schemas.
  virtual Diagnostics Validate() = 0;

  // Locks, reads and refreshes state, plans, unlocks.
  virtual Diagnostics MakePlan(const PlanOptions& options, Plan* out) = 0;
  // Locks, checks the plan still matches the state, applies it, unlocks.
  // (`apply PLANFILE`.)
  virtual Diagnostics Apply(const Plan& plan, const ApplyOptions& options,
                            ApplySummary* summary) = 0;
  // Plans and applies under one lock (`apply`, `destroy`): options.confirm
  // sees the plan before anything changes. *plan receives the plan made.
  virtual Diagnostics PlanAndApply(const PlanOptions& plan_options,
                                   const ApplyOptions& apply_options, Plan* plan,
                                   ApplySummary* summary) = 0;
  // After `applied` was carried out: polls the provider of every resource it
  // created, updated or replaced for the rollout the change started (an ECS
  // service deployment) until each has completed, failed or rolled back, the
  // timeout passes or options.stop_requested says so. Diagnostics are for
  // errors asking; failed rollouts are in *result.
  virtual Diagnostics WaitForRollouts(const Plan& applied, const RolloutWaitOptions& options,
                                      RolloutWaitResult* result) = 0;
  // The workspace's applies, newest first, at most `limit`, read from the
  // backend's state versions (S3 object versions; the local backend keeps the
  // last 50).
  virtual Diagnostics History(std::size_t limit, std::vector<HistoryEntry>* out) = 0;

  // Reads every recorded resource and records what is there (and clears or
  // adopts pending operations).
  virtual Diagnostics Refresh() = 0;

  virtual Diagnostics Outputs(std::map<std::string, OutputValue>* out) = 0;

  // Workspaces. Select writes .reconcile/environment; New creates an empty
  // state and selects it; Delete refuses "default", the current one, and a
  // non-empty one unless force. After Select or New, every operation works on
  // the new workspace, its providers configured anew for it.
  virtual Diagnostics ListWorkspaces(std::vector<std::string>* out) = 0;
  virtual Diagnostics SelectWorkspace(const std::string& name) = 0;
  virtual Diagnostics NewWorkspace(const std::string& name) = 0;
  virtual Diagnostics DeleteWorkspace(const std::string& name, bool force) = 0;

  // State commands.
  virtual Diagnostics ReadState(State* out) = 0;
  virtual Diagnostics PushState(const std::string& document, bool force) = 0;
  virtual Diagnostics RemoveFromState(const std::vector<std::string>& addresses,
                                      std::vector<std::string>* removed) = 0;
  virtual Diagnostics MoveInState(const std::string& from, const std::string& to) = 0;
  virtual Diagnostics Import(const std::string& address, const std::string& id) = 0;
  // Marks one managed instance tainted (the next plan replaces it), or clears
  // the mark (`taint`, `untaint`); under the lock. Untainting an instance
  // that is not tainted is an error.
  virtual Diagnostics SetTainted(const std::string& address, bool tainted) = 0;
  virtual Diagnostics ForceUnlock(const std::string& lock_id) = 0;
  // Re-encrypts the state and the pending journal under the configured key
  // provider (after a key rotation with `fallback`): both are read with
  // whichever key opens them and written anew (serial + 1).
  virtual Diagnostics RekeyState() = 0;

  // Saved plans (`plan --out`, `apply FILE`, `show FILE`), encrypted like the
  // state when the stack configures encryption (docs/encryption.md).
  virtual Diagnostics SavePlan(const std::string& path, const Plan& plan) = 0;
  virtual Diagnostics LoadPlan(const std::string& path, Plan* out) = 0;

  virtual Diagnostics Init(const InitOptions& options, std::vector<std::string>* report) = 0;

  // Adopts a Terraform state into the workspace: every managed resource of a
  // type reconcile has (aws, random, local) gets the same address, its object
  // read through the provider's import and read; dependencies, sensitive
  // paths and outputs come along. Everything else is listed in skipped.
  // Refused when the workspace already manages one of the addresses.
  virtual Diagnostics ImportTerraformState(const TerraformImportOptions& options,
                                           TerraformImport* result) = 0;
  // The workspace's state as a Terraform state document (format version 4),
  // so that Terraform can take over again.
  virtual Diagnostics TerraformStateDocument(std::string* document) = 0;

  // The dependency graph in Graphviz DOT.
  virtual Diagnostics Graph(std::string* dot) = 0;

  // Stops the operation running now (or the next one to start), as Ctrl-C
  // does: the first call starts no more provider calls and lets those in
  // flight finish (providers are told to stop), then the operation saves the
  // state, unlocks and returns an "Interrupted" error. A second call abandons
  // the calls in flight (their outcome unknown: their journal entries stay
  // for the next plan to settle); the state is still saved and unlocked.
  // Observers get a message saying what is being finished. Thread-safe and
  // callable from any thread (not from a signal handler: see tool/interrupt.h
  // for a signal-safe way). Once the interrupted operation returned, the
  // engine serves later operations as usual.
  virtual void Cancel() = 0;
  // The resource blocks and their dependencies, for drawing (`graph --format svg`).
  virtual Diagnostics DescribeGraph(ResourceGraph* out) = 0;

  // Evaluates one expression (`aws_vpc.main.cidr_block`, `local.x`,
  // `cidrsubnet(var.cidr, 8, 1)`) in the root module against the
  // configuration and the recorded state, as `reconcile console` does. The
  // state is read once, without the lock, on the first call; later calls
  // reuse it. Resources not in the state are unknown; sensitive values keep
  // their mark.
  virtual Diagnostics Evaluate(const std::string& expression, Value* out) = 0;
};

// The library's version string.
const char* Version();

}  // namespace reconcile
