// The Engine of reconcile/engine.h: each public operation locks the
// workspace's state, runs the phases (refresh, plan, apply) over the stack,
// and unlocks.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <mutex>
#include <set>

#include "config/stack/instances.h"
#include "config/stack/reference_check.h"
#include "config/stack/stack_loader.h"
#include "engine/applier.h"
#include "engine/config_graph.h"
#include "engine/console.h"
#include "engine/evaluation.h"
#include "engine/graph_description.h"
#include "engine/module_expansion.h"
#include "engine/history.h"
#include "engine/module_tree.h"
#include "engine/operation.h"
#include "engine/plan_selection.h"
#include "engine/planner.h"
#include "engine/provider_set.h"
#include "engine/refresh.h"
#include "encryption/encrypting_backend.h"
#include "engine/release.h"
#include "engine/rollout_wait.h"
#include "engine/schema_conform.h"
#include "engine/stack_inputs.h"
#include "engine/state_edits.h"
#include "engine/state_encryption.h"
#include "engine/state_store.h"
#include "engine/terraform_import.h"
#include "migrate/terraform_export.h"
#include "plan/plan_file.h"
#include "state/atomic_file.h"
#include "provider/log_redaction.h"
#include "reconcile/engine.h"

#ifndef RECONCILE_VERSION
#define RECONCILE_VERSION "0.0.0"
#endif

namespace reconcile {

const char* Version() { return RECONCILE_VERSION; }

namespace engine {
namespace {

namespace fs = std::filesystem;

// The pieces of one phase's evaluation. With modules that have count or
// for_each, the phase has its own expanded module tree and graph; otherwise
// it shares the engine's.
struct Phase {
  std::unique_ptr<ModuleInstance> modules;
  std::unique_ptr<ConfigGraph> graph;
  ResourceValues values;
  std::unique_ptr<EvalContext> context;
  Operation op;
};

class EngineImpl : public Engine {
 public:
  explicit EngineImpl(EngineOptions options) : options_(std::move(options)) {}

  Diagnostics Load() {
    Diagnostics diags;
    options_.stack_dir = fs::absolute(options_.stack_dir).lexically_normal().string();
    if (!options_.stack_dir.empty() && options_.stack_dir.back() == '/' && options_.stack_dir.size() > 1)
      options_.stack_dir.pop_back();
    workspace_ = SelectedWorkspace(options_);
    diags.Append(LoadStackFor(options_, &stack_));
    if (diags.HasErrors() || !stack_.root) return diags;
    if (stack_.root->stack_name.empty())
      stack_.root->stack_name = fs::path(options_.stack_dir).filename().string();
    modules_ = BuildModuleTree(stack_);
    graph_diags_ = ConfigGraph::Build(*modules_, &graph_);
    providers_ = std::make_unique<ProviderSet>(options_, stack_, workspace_);
    events_ = std::make_unique<Events>(options_.observer);
    return diags;
  }

  const std::string& workspace() const override { return workspace_; }

  DeployChannels Channels() const override {
    DeployChannels out;
    if (!stack_.root || !stack_.root->deploy) return out;
    out.variable = stack_.root->deploy->variable;
    out.channels = stack_.root->deploy->channels;
    return out;
  }

  // ---- configuration checks -------------------------------------------------

  // The engine's variable sources, then the assignments of the operation
  // under way (PlanOptions::variables: a deploy's release values).
  config::VariableSources VariableSourcesOfThisRun() const {
    config::VariableSources sources = GatherVariableSources(options_, workspace_);
    for (const VariableAssignment& v : run_variables_) sources.cli.emplace_back(v.name, v.value);
    return sources;
  }

  // Sets PlanOptions::variables for the length of one operation.
  class RunVariables {
   public:
    RunVariables(EngineImpl& engine, const std::vector<VariableAssignment>& variables) : engine_(engine) {
      engine_.run_variables_ = variables;
    }
    ~RunVariables() { engine_.run_variables_.clear(); }
    RunVariables(const RunVariables&) = delete;
    RunVariables& operator=(const RunVariables&) = delete;

   private:
    EngineImpl& engine_;
  };

  // References, cycles and variables: what every evaluating operation needs.
  Diagnostics CheckConfiguration(std::map<std::string, Value>* variables) {
    Diagnostics diags = config::CheckReferences(stack_);
    diags.Append(graph_diags_);
    config::VariableSources sources = VariableSourcesOfThisRun();
    sources.unset_release_unknown = true;  // until the state is read (ResolveReleaseVariables)
    diags.Append(config::ResolveRootVariables(*stack_.root, sources, variables));
    HideSensitiveInLog(*variables);
    return diags;
  }

  // Resolves the variables again with the release values `recorded` holds, and
  // notes each release value's origin for the plan.
  Diagnostics ResolveReleaseVariables(const State& recorded, std::map<std::string, Value>* variables) {
    release_.clear();
    if (!HasReleaseVariables(*stack_.root)) return {};
    config::VariableSources sources = VariableSourcesOfThisRun();
    sources.recorded = recorded.release;
    sources.recorded_origin = kRecordedOrigin;
    std::map<std::string, std::string> origins;
    variables->clear();
    Diagnostics diags = config::ResolveRootVariables(*stack_.root, sources, variables, &origins);
    release_ = DescribeRelease(*stack_.root, *variables, origins, recorded);
    HideSensitiveInLog(*variables);
    return diags;
  }

  // Sensitive variables' values never reach a log, in this process or (sent
  // with the requests that carry them) a plugin's.
  static void HideSensitiveInLog(const std::map<std::string, Value>& variables) {
    std::vector<std::string> secrets;
    for (const auto& [name, value] : variables) plugin::CollectSensitiveStrings(value, &secrets);
    for (const std::string& secret : secrets) plugin::HideInLog(secret);
  }

  // The evaluation of one phase; errors expanding modules' count and
  // for_each go to diags.
  std::unique_ptr<Phase> NewPhase(const std::map<std::string, Value>& variables, Diagnostics& diags) {
    auto phase = std::make_unique<Phase>();
    const ModuleInstance* modules = modules_.get();
    const ConfigGraph* graph = &graph_;
    if (HasExpandedModules(stack_)) {
      diags.Append(ExpandModuleTree(stack_, variables, workspace_, options_.stack_dir, &phase->modules));
      phase->graph = std::make_unique<ConfigGraph>();
      diags.Append(ConfigGraph::Build(*phase->modules, phase->graph.get()));
      modules = phase->modules.get();
      graph = phase->graph.get();
    }
    phase->context = std::make_unique<EvalContext>(*modules, variables, workspace_,
                                                   options_.stack_dir, &phase->values);
    phase->op = Operation{&stack_, modules, graph, providers_.get(), phase->context.get(),
                          events_.get(), std::max(1, options_.parallelism)};
    return phase;
  }

  Diagnostics Validate() override {
    std::map<std::string, Value> variables;
    Diagnostics diags = CheckConfiguration(&variables);
    if (diags.HasErrors()) return diags;
    std::unique_ptr<Phase> phase = NewPhase(variables, diags);
    if (diags.HasErrors()) return diags;
    phase->context->set_resources_unknown(true);
    std::set<std::string> reported;  // a block's expansion errors, once for all module instances
    for (const ConfigNode* node : phase->op.graph->resources()) {
      const config::ResourceBlock& block = *node->resource;
      std::string what = (block.mode == ResourceMode::kData ? "data " : "resource ") + node->id;
      Diagnostics local;
      Diagnostics expansion = CheckKnownExpansion(block, *phase->context, *node->module);
      for (Diagnostic& d : expansion.items())
        if (reported.insert(d.ToString()).second) local.items().push_back(std::move(d));
      const ResourceSchema* schema = providers_->SchemaFor(
          ProviderKeyFor(block), block.type, block.mode == ResourceMode::kData, local);
      for (Diagnostic& d : local.items())
        if (!d.range.valid()) d.range = block.range;
      if (schema != nullptr) {
        CheckBodyAgainstSchema(*schema, block.body, what, local);
        config::InstanceSpec spec;
        if (block.for_each) spec = {InstanceKey::String("?"), Value::Unknown(), Value::Unknown()};
        if (block.count) spec = {InstanceKey::Index(0), {}, {}};
        ModuleScope scope(*phase->context, *node->module, &spec);
        Value raw = EvaluateBody(block.body, scope, local);
        ConformConfig(*schema, raw, block.body, what, local);
      }
      diags.Append(local);
    }
    return diags;
  }

  // The errors of a block's count or for_each whose value is known without
  // any resource (a literal, variables, locals): a wrong type, a negative or
  // fractional count, duplicate or null keys. A value known only when
  // planning is left to the plan.
  static Diagnostics CheckKnownExpansion(const config::ResourceBlock& block, EvalContext& context,
                                         const ModuleInstance& module) {
    Diagnostics diags;
    const std::optional<config::Expression>& meta = block.count ? block.count : block.for_each;
    if (!meta) return diags;
    ModuleScope scope(context, module);
    Value value = meta->Evaluate(scope, diags);
    if (diags.HasErrors() || value.is_unknown() || (value.is_list() && value.ContainsUnknown()))
      return diags;
    diags.Append(block.count ? config::CheckCountValue(value, meta->range())
                             : config::CheckForEachValue(value, meta->range()));
    return diags;
  }

  // ---- plan and apply ------------------------------------------------------------

  // Lock and load; on failure the store is unlocked.
  Diagnostics Open(StateStore& store, const std::string& operation) {
    Diagnostics diags;
    if (options_.lock) {
      events_->Message("Acquiring state lock...");
      diags.Append(store.Lock(operation, options_.lock_timeout));
      if (diags.HasErrors()) return diags;
    }
    diags.Append(store.Load());
    return diags;
  }

  Diagnostics PlanLocked(StateStore& store, const PlanOptions& options,
                         const std::map<std::string, Value>& variables, Plan* plan) {
    Diagnostics diags = CheckSelectionAddresses(options);
    if (diags.HasErrors()) return diags;
    State recorded = store.Snapshot();
    *plan = Plan{};
    plan->workspace = workspace_;
    plan->lineage = recorded.lineage;
    plan->serial = recorded.serial;
    plan->state_existed = store.existed();
    plan->destroy = options.destroy;
    plan->targets = options.targets;
    plan->replace = options.replace;
    plan->excludes = options.excludes;
    plan->variables = variables;
    plan->release = release_;
    plan->config_digest = ConfigDigest(options_);
    for (const auto& [address, op] : recorded.pending) plan->pending.push_back(op);

    std::unique_ptr<Phase> phase = NewPhase(variables, diags);
    if (diags.HasErrors()) return diags;
    RefreshResult refreshed;
    diags.Append(RefreshState(phase->op, recorded, options.refresh, &refreshed));
    if (diags.HasErrors()) return diags;
    plan->drift = refreshed.drift;
    if (options.refresh_only) {
      for (const auto& [address, instance] : refreshed.state.resources) {
        PlannedChange c;
        c.address = address;
        c.type = instance.type;
        c.provider = instance.provider;
        c.action = Action::kNoOp;
        c.before = c.after = instance.attributes;
        plan->changes.push_back(std::move(c));
      }
      return diags;
    }
    diags.Append(PlanChanges(phase->op, options, refreshed.state, plan));
    if (!options.targets.empty()) diags.Append(ApplyTargets(options, plan));
    diags.Append(ExcludeFromPlan(options, plan));
    diags.Append(CheckReplaceUsed(options, *plan));
    return diags;
  }

  // Keeps only targeted changes and what they depend on (or, destroying, what
  // depends on them).
  Diagnostics ApplyTargets(const PlanOptions& options, Plan* plan) {
    Diagnostics diags;
    std::vector<ResourceAddress> targets;
    for (const std::string& text : options.targets) {
      ResourceAddress a;
      std::string error;
      if (!ResourceAddress::Parse(text, &a, &error)) {
        diags.Error("Invalid --target", error);
        continue;
      }
      targets.push_back(a);
    }
    // depends_on names resources; expand them to their instances.
    std::map<std::string, const PlannedChange*> by_address;
    std::map<std::string, std::vector<std::string>> instances;   // resource -> instances
    std::map<std::string, std::vector<std::string>> dependents;  // instance -> dependent instances
    for (const PlannedChange& c : plan->changes) {
      by_address[c.address] = &c;
      ResourceAddress a;
      std::string error;
      if (ResourceAddress::Parse(c.address, &a, &error)) instances[a.ResourceString()].push_back(c.address);
    }
    for (const PlannedChange& c : plan->changes)
      for (const std::string& d : c.depends_on)
        for (const std::string& i : instances[d]) dependents[i].push_back(c.address);
    std::set<std::string> keep;
    std::vector<std::string> stack;
    for (const PlannedChange& c : plan->changes) {
      ResourceAddress a;
      std::string error;
      if (!ResourceAddress::Parse(c.address, &a, &error)) continue;
      for (const ResourceAddress& t : targets)
        if (AddressMatches(t, a)) stack.push_back(c.address);
    }
    if (stack.empty() && !diags.HasErrors())
      diags.Warning("No resource matches the targets", "Nothing will change.");
    while (!stack.empty()) {
      std::string a = stack.back();
      stack.pop_back();
      if (!keep.insert(a).second) continue;
      if (options.destroy) {
        for (const std::string& d : dependents[a]) stack.push_back(d);
      } else if (auto it = by_address.find(a); it != by_address.end()) {
        for (const std::string& d : it->second->depends_on)
          for (const std::string& i : instances[d]) stack.push_back(i);
      }
    }
    std::erase_if(plan->changes, [&](const PlannedChange& c) { return !keep.count(c.address); });
    return diags;
  }

  using LockedBody = std::function<Diagnostics(StateStore&, const std::map<std::string, Value>&)>;

  // Checks the configuration (resolving variables) unless told not to, locks
  // and loads the workspace's state, runs `body`, and unlocks whatever happened.
  Diagnostics WithLockedState(const std::string& operation, const LockedBody& body,
                              bool check_configuration = true) {
    std::map<std::string, Value> variables;
    Diagnostics diags;
    if (check_configuration) diags = CheckConfiguration(&variables);
    if (diags.HasErrors()) return diags;
    std::unique_ptr<Backend> backend_owner;
    Backend* backend = BackendFor(&backend_owner, diags);
    if (backend == nullptr) return diags;
    StateStore store(*backend, workspace_, Version());
    diags.Append(Open(store, operation));
    if (!diags.HasErrors() && check_configuration)
      diags.Append(ResolveReleaseVariables(store.Snapshot(), &variables));
    if (!diags.HasErrors() && !cancelled()) diags.Append(body(store, variables));
    diags.Append(store.Unlock());
    EndOperation(operation, diags);
    return diags;
  }

  Diagnostics MakePlan(const PlanOptions& options, Plan* out) override {
    RunVariables run(*this, options.variables);
    return WithLockedState("plan", [&](StateStore& store, const std::map<std::string, Value>& vars) {
      return PlanLocked(store, options, vars, out);
    });
  }

  // Settles pending operations, records refreshed values, applies.
  Diagnostics ApplyLocked(StateStore& store, const Plan& plan, ApplySummary* summary,
                          const std::string& operation = "") {
    Diagnostics diags;
    std::unique_ptr<Phase> phase = NewPhase(plan.variables, diags);
    if (diags.HasErrors()) return diags;
    State recorded = store.Snapshot();
    if (!recorded.pending.empty()) {
      RefreshResult settled;
      diags.Append(RefreshState(phase->op, recorded, /*read_resources=*/false, &settled));
      if (diags.HasErrors()) return diags;
      diags.Append(RecordRefresh(store, settled, &plan));
      if (diags.HasErrors()) return diags;
    }
    store.Update([&](State& s) {
      for (const PlannedChange& d : plan.drift) {
        if (d.action == Action::kDelete) s.resources.erase(d.address);
        else if (auto it = s.resources.find(d.address); it != s.resources.end())
          it->second.attributes = d.after;
      }
    });
    store.StartWriter();
    diags.Append(ApplyPlan(phase->op, plan, store, summary));
    bool record_kept = false;
    if (!diags.HasErrors() && !cancelled())
      store.Update([&](State& s) { record_kept = RecordApply(*stack_.root, plan, operation, *summary, s); });
    Diagnostics saved = store.Flush();
    if (saved.HasErrors()) saved.Append(store.KeepUnwritten(ErroredStatePath(), ErroredStateSealer()));
    diags.Append(saved);
    if (record_kept && !diags.HasErrors()) diags.Append(KeepStateVersion(store, workspace_));
    if (!cancelled()) {
      events_->Summary(*summary);
      return diags;
    }
    diags.Error("Apply interrupted",
                "It stopped after " + std::to_string(summary->added) + " added, " +
                    std::to_string(summary->changed) + " changed, " +
                    std::to_string(summary->destroyed) + " destroyed. What finished is recorded "
                    "in the state; apply again to do the rest.");
    return diags;
  }

  Diagnostics Apply(const Plan& plan, const ApplyOptions& options, ApplySummary* summary) override {
    Diagnostics diags = CheckReferencesOnly();
    if (diags.HasErrors()) return diags;
    if (plan.workspace != workspace_) {
      diags.Error("The saved plan is for workspace \"" + plan.workspace + "\"",
                  "The selected workspace is \"" + workspace_ + "\". Select \"" + plan.workspace +
                      "\" or make a new plan.");
      return diags;
    }
    if (plan.config_digest != ConfigDigest(options_)) {
      diags.Error("The configuration changed since the plan was made",
                  "Make a new plan; a saved plan applies only to the configuration it was made "
                  "from.");
      return diags;
    }
    Plan resolved = plan;
    diags.Append(ResolveOmittedVariables(&resolved));
    if (diags.HasErrors()) return diags;
    std::unique_ptr<Backend> backend_owner;
    Backend* backend = BackendFor(&backend_owner, diags);
    if (backend == nullptr) return diags;
    StateStore store(*backend, workspace_, Version());
    diags.Append(Open(store, "apply"));
    if (!diags.HasErrors()) {
      State current = store.Snapshot();
      bool moved = plan.state_existed
                       ? (!store.existed() || current.lineage != plan.lineage ||
                          current.serial != plan.serial)
                       : (store.existed() && !current.empty());
      if (moved) {
        diags.Error("Saved plan is stale",
                    "The state changed since this plan was made (plan: serial " +
                        std::to_string(plan.serial) + ", state: serial " +
                        std::to_string(current.serial) + "). Make a new plan.");
      } else if (!cancelled() && (!options.confirm || options.confirm(plan)) && !cancelled()) {
        diags.Append(ApplyLocked(store, resolved, summary, options.operation));
      }
    }
    diags.Append(store.Unlock());
    EndOperation("apply", diags);
    return diags;
  }

  Diagnostics PlanAndApply(const PlanOptions& plan_options, const ApplyOptions& apply_options,
                           Plan* plan, ApplySummary* summary) override {
    RunVariables run(*this, plan_options.variables);
    return WithLockedState(plan_options.destroy ? "destroy" : "apply",
                           [&](StateStore& store, const std::map<std::string, Value>& vars) {
                             Diagnostics diags = PlanLocked(store, plan_options, vars, plan);
                             if (!diags.HasErrors() && !cancelled() &&
                                 (!apply_options.confirm || apply_options.confirm(*plan)) &&
                                 !cancelled())
                               diags.Append(ApplyLocked(store, *plan, summary, apply_options.operation));
                             return diags;
                           });
  }

  Diagnostics Refresh() override {
    return WithLockedState("refresh", [&](StateStore& store, const std::map<std::string, Value>& vars) {
      Diagnostics diags;
      std::unique_ptr<Phase> phase = NewPhase(vars, diags);
      if (diags.HasErrors()) return diags;
      RefreshResult refreshed;
      diags.Append(RefreshState(phase->op, store.Snapshot(), true, &refreshed));
      if (diags.HasErrors()) return diags;
      diags.Append(RecordRefresh(store, refreshed, nullptr));
      return diags;
    });
  }

  // ---- deploys --------------------------------------------------------------------

  Diagnostics WaitForRollouts(const Plan& applied, const RolloutWaitOptions& options,
                              RolloutWaitResult* result) override {
    State state;
    Diagnostics diags = ReadState(&state);
    if (diags.HasErrors()) return diags;
    std::unique_ptr<Phase> phase = NewPhase(applied.variables, diags);
    if (diags.HasErrors()) return diags;
    std::vector<RolloutTarget> targets;
    for (const PlannedChange& change : applied.changes) {
      bool started = change.action == Action::kCreate || change.action == Action::kUpdate ||
                     change.action == Action::kReplace;
      auto it = state.resources.find(change.address);
      if (!started || change.mode != ResourceMode::kManaged || it == state.resources.end()) continue;
      Provider* provider = providers_->Configured(it->second.provider, *phase->context, diags);
      if (provider == nullptr) return diags;
      targets.push_back({change.address, provider, {it->second.type, change.address, it->second.attributes}});
    }
    diags.Append(WatchRollouts(targets, options, result));
    return diags;
  }

  Diagnostics History(std::size_t limit, std::vector<HistoryEntry>* out) override {
    Diagnostics diags;
    std::unique_ptr<Backend> backend_owner;
    Backend* backend = BackendFor(&backend_owner, diags);
    if (backend != nullptr) diags.Append(ReadHistory(*backend, workspace_, limit, out));
    return diags;
  }

  // A saved plan keeps sensitive variables by name only (unknown): their
  // values come from their sources again, as for a plan.
  Diagnostics ResolveOmittedVariables(Plan* plan) {
    Diagnostics diags;
    bool any = std::any_of(plan->variables.begin(), plan->variables.end(),
                           [](const auto& v) { return v.second.is_unknown(); });
    if (!any) return diags;
    std::map<std::string, Value> current;
    diags = config::ResolveRootVariables(*stack_.root, GatherVariableSources(options_, workspace_), &current);
    HideSensitiveInLog(current);
    for (auto& [name, value] : plan->variables) {
      if (!value.is_unknown()) continue;
      auto it = current.find(name);
      if (it == current.end() || it->second.is_null()) {
        diags.Error("The sensitive variable \"" + name + "\" has no value",
                    "A saved plan does not keep sensitive values: give it again (RECONCILE_VAR_" + name +
                        ", --var or --var-file) when applying the plan.");
        continue;
      }
      value = it->second;
    }
    return diags;
  }

  // Where an apply keeps the state it could not write: .reconcile/errored-<workspace>.json.
  std::string ErroredStatePath() const {
    return (fs::path(options_.stack_dir) / ".reconcile" / ("errored-" + workspace_ + ".json")).string();
  }

  // ---- reading state -----------------------------------------------------------

  Diagnostics ReadState(State* out) override {
    Diagnostics diags;
    std::unique_ptr<Backend> backend_owner;
    Backend* backend = BackendFor(&backend_owner, diags);
    if (backend == nullptr) return diags;
    StateStore store(*backend, workspace_, Version());
    diags.Append(store.Load());
    *out = store.Snapshot();
    return diags;
  }

  Diagnostics Outputs(std::map<std::string, OutputValue>* out) override {
    State state;
    Diagnostics diags = ReadState(&state);
    for (const auto& [name, output] : state.outputs) (*out)[name] = {output.value, output.sensitive};
    return diags;
  }

  // ---- workspaces ---------------------------------------------------------------

  Diagnostics ListWorkspaces(std::vector<std::string>* out) override {
    Diagnostics diags;
    std::unique_ptr<Backend> backend_owner;
    Backend* backend = BackendFor(&backend_owner, diags);
    if (backend != nullptr) diags.Append(backend->ListWorkspaces(out));
    return diags;
  }

  bool WorkspaceExists(const std::string& name, Diagnostics& diags) {
    std::vector<std::string> names;
    diags.Append(ListWorkspaces(&names));
    return std::find(names.begin(), names.end(), name) != names.end();
  }

  static bool ValidWorkspaceName(const std::string& name) {
    if (name.empty() || name.size() > 90) return false;
    for (char c : name)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    return name != "." && name != "..";
  }

  Diagnostics SelectWorkspace(const std::string& name) override {
    Diagnostics diags;
    if (!WorkspaceExists(name, diags)) {
      if (!diags.HasErrors())
        diags.Error("Workspace \"" + name + "\" does not exist",
                    "Create it with `reconcile workspace new " + name + "`.");
      return diags;
    }
    diags.Append(WriteSelectedWorkspace(options_.stack_dir, name));
    if (!diags.HasErrors()) UseWorkspace(name);
    return diags;
  }

  Diagnostics NewWorkspace(const std::string& name) override {
    Diagnostics diags;
    if (!ValidWorkspaceName(name)) {
      diags.Error("Invalid workspace name \"" + name + "\"",
                  "Use letters, digits, '-', '_' and '.' (at most 90 characters).");
      return diags;
    }
    if (WorkspaceExists(name, diags)) {
      diags.Error("Workspace \"" + name + "\" already exists", "Select it with `reconcile workspace select " + name + "`.");
      return diags;
    }
    if (diags.HasErrors()) return diags;
    std::unique_ptr<Backend> backend_owner;
    Backend* backend = BackendFor(&backend_owner, diags);
    if (backend == nullptr) return diags;
    State empty;
    empty.lineage = NewLineage();
    empty.serial = 1;
    empty.tool_version = Version();
    diags.Append(backend->WriteState(name, {SerializeState(empty), empty.lineage, empty.serial}));
    if (!diags.HasErrors()) diags.Append(WriteSelectedWorkspace(options_.stack_dir, name));
    if (!diags.HasErrors()) UseWorkspace(name);
    return diags;
  }

  Diagnostics DeleteWorkspace(const std::string& name, bool force) override {
    Diagnostics diags;
    if (name == "default") {
      diags.Error("The default workspace cannot be deleted", "");
      return diags;
    }
    if (name == workspace_) {
      diags.Error("Workspace \"" + name + "\" is the current workspace",
                  "Select another workspace (`reconcile workspace select default`) first.");
      return diags;
    }
    if (!WorkspaceExists(name, diags)) {
      if (!diags.HasErrors()) diags.Error("Workspace \"" + name + "\" does not exist", "");
      return diags;
    }
    std::unique_ptr<Backend> backend_owner;
    Backend* backend = BackendFor(&backend_owner, diags);
    if (backend == nullptr) return diags;
    StateStore store(*backend, name, Version());
    diags.Append(store.Lock("workspace delete", options_.lock_timeout));
    if (diags.HasErrors()) return diags;
    diags.Append(store.Load());
    State state = store.Snapshot();
    if (!force && !state.empty()) {
      diags.Error("Workspace \"" + name + "\" is not empty",
                  "It still manages " + std::to_string(state.resources.size()) +
                      " resource instance(s). Destroy them first, or pass --force to forget them "
                      "(they will keep running, unmanaged).");
      diags.Append(store.Unlock());
      return diags;
    }
    diags.Append(store.Unlock());
    diags.Append(backend->DeleteWorkspace(name));
    return diags;
  }

  // ---- state commands -----------------------------------------------------------

  // Edits the state under the lock and writes it back (state commands, import).
  Diagnostics ChangeState(const std::string& operation, const std::function<Diagnostics(State&)>& change) {
    return WithLockedState(
        operation,
        [&](StateStore& store, const std::map<std::string, Value>&) {
          State state = store.Snapshot();
          Diagnostics diags = change(state);
          if (diags.HasErrors()) return diags;
          store.Update([&](State& s) { s = state; });
          diags.Append(store.WriteNow());
          return diags;
        },
        /*check_configuration=*/false);
  }

  Diagnostics PushState(const std::string& text, bool force) override {
    State pushed;
    std::string document;
    Diagnostics diags;
    std::shared_ptr<encryption::DocumentCipher> cipher = Cipher(diags);
    if (!cipher) return diags;
    // A plaintext push (what `state pull` printed) is welcome even when
    // enforced: it is sealed on the way in.
    if (encryption::IsEncryptedDocument(text))
      diags.Append(cipher->Open(Binding("state"), "the pushed state", text, &document));
    else
      document = text;
    if (diags.HasErrors()) return diags;
    diags.Append(ParseState(document, &pushed));
    if (diags.HasErrors()) return diags;
    return ChangeState("state push", [&](State& s) {
      Diagnostics d;
      if (!force && !s.lineage.empty() && s.serial > 0 && pushed.lineage != s.lineage) {
        d.Error("Cannot push state of another lineage",
                "The stored state has lineage " + s.lineage + ", the pushed one " + pushed.lineage +
                    ". Use --force to replace it anyway.");
        return d;
      }
      if (!force && pushed.serial < s.serial) {
        d.Error("Cannot push an older state",
                "The stored state has serial " + std::to_string(s.serial) + ", the pushed one " +
                    std::to_string(pushed.serial) + ". Use --force to replace it anyway.");
        return d;
      }
      std::uint64_t serial = s.serial;
      auto pending = s.pending;
      s = pushed;
      s.pending = pending;
      // The write adds one; keep the stored lineage when forcing another in.
      s.serial = std::max(serial, pushed.serial);
      return d;
    });
  }

  Diagnostics RemoveFromState(const std::vector<std::string>& addresses,
                              std::vector<std::string>* removed) override {
    return ChangeState("state rm", [&](State& s) {
      Diagnostics d;
      for (const std::string& text : addresses) {
        ResourceAddress target;
        std::string error;
        if (!ResourceAddress::Parse(text, &target, &error)) {
          d.Error("Invalid address", error);
          continue;
        }
        bool any = false;
        for (auto it = s.resources.begin(); it != s.resources.end();) {
          ResourceAddress a;
          if (ResourceAddress::Parse(it->first, &a, &error) && AddressMatches(target, a)) {
            removed->push_back(it->first);
            it = s.resources.erase(it);
            any = true;
          } else {
            ++it;
          }
        }
        if (!any) d.Error("No instance in state matches " + text, "See `reconcile state list`.");
      }
      return d;
    });
  }

  Diagnostics MoveInState(const std::string& from, const std::string& to) override {
    return ChangeState("state mv", [&](State& s) {
      Diagnostics d;
      ResourceAddress src, dst;
      std::string error;
      if (!ResourceAddress::Parse(from, &src, &error) || !ResourceAddress::Parse(to, &dst, &error)) {
        d.Error("Invalid address", error);
        return d;
      }
      std::vector<std::pair<std::string, std::string>> moves;
      for (const auto& [address, instance] : s.resources) {
        ResourceAddress a;
        if (!ResourceAddress::Parse(address, &a, &error) || !AddressMatches(src, a)) continue;
        ResourceAddress target = dst;
        if (src.key.kind == InstanceKey::Kind::kNone && dst.key.kind == InstanceKey::Kind::kNone)
          target.key = a.key;
        moves.emplace_back(address, target.ToString());
      }
      if (moves.empty()) {
        d.Error("No instance in state matches " + from, "See `reconcile state list`.");
        return d;
      }
      for (const auto& [old_address, new_address] : moves) {
        if (s.resources.count(new_address)) {
          d.Error("Cannot move to " + new_address, "An instance with that address is already in state.");
          return d;
        }
      }
      for (const auto& [old_address, new_address] : moves) {
        ResourceInstanceState instance = s.resources.at(old_address);
        ResourceAddress parsed;
        ResourceAddress::Parse(new_address, &parsed, &error);
        if (parsed.type != instance.type) {
          d.Error("Cannot move " + old_address + " to " + new_address,
                  "The resource types differ (" + instance.type + " vs " + parsed.type + ").");
          return d;
        }
        instance.address = new_address;
        s.resources.erase(old_address);
        s.resources[new_address] = std::move(instance);
      }
      return d;
    });
  }

  Diagnostics Import(const std::string& address, const std::string& id) override {
    std::map<std::string, Value> variables;
    Diagnostics diags = CheckConfiguration(&variables);
    if (diags.HasErrors()) return diags;
    std::unique_ptr<Phase> phase = NewPhase(variables, diags);
    if (diags.HasErrors()) return diags;
    ResourceAddress parsed;
    const ConfigNode* node = nullptr;
    if (!FindBlockFor(phase->op, address, &parsed, &node) || parsed.mode != ResourceMode::kManaged) {
      diags.Error("Import target " + address + " is not in the configuration",
                  "Add a resource block for it first, then import into that address.");
      return diags;
    }
    std::string key = ProviderKeyFor(*node->resource);
    return ChangeState("import", [&](State& s) {
      Diagnostics d;
      if (s.resources.count(address)) {
        d.Error("Resource " + address + " is already managed",
                "Remove it from state first (`reconcile state rm`) to import another object.");
        return d;
      }
      Provider* provider = providers_->Configured(key, *phase->context, d);
      const ResourceSchema* schema =
          provider ? providers_->SchemaFor(key, parsed.type, false, d) : nullptr;
      if (schema == nullptr) return d;
      ImportResponse imported = provider->ImportResource({parsed.type, address, id});
      d.Append(imported.diagnostics);
      if (d.HasErrors()) return d;
      ReadResponse read = provider->ReadResource({parsed.type, address, imported.state});
      d.Append(read.diagnostics);
      if (d.HasErrors()) return d;
      if (read.new_state.is_null()) {
        d.Error("Cannot import " + address + ": object \"" + id + "\" does not exist",
                "Check the id (and the provider's region/account).");
        return d;
      }
      ResourceInstanceState instance;
      instance.address = address;
      instance.mode = "managed";
      instance.type = parsed.type;
      instance.provider = key;
      instance.attributes = NormalizeState(*schema, read.new_state);
      instance.schema_version = schema->version;
      std::size_t index = 0;
      const ConfigGraph& graph = *phase->op.graph;
      if (graph.FindResource(node->id, &index))
        for (std::size_t dep : graph.resource_graph().Dependencies(index))
          instance.dependencies.push_back(graph.resources()[dep]->id);
      s.resources[address] = std::move(instance);
      TagDiagnostics(d, address);
      return d;
    });
  }

  Diagnostics SetTainted(const std::string& address, bool tainted) override {
    return ChangeState(tainted ? "taint" : "untaint",
                       [&](State& s) { return SetTaintedIn(s, address, tainted); });
  }

  Diagnostics ImportTerraformState(const TerraformImportOptions& options, TerraformImport* result) override {
    return WithLockedState("import", [&](StateStore& store, const std::map<std::string, Value>& vars) {
      Diagnostics diags;
      std::unique_ptr<Phase> phase = NewPhase(vars, diags);
      if (diags.HasErrors()) return diags;
      std::unique_ptr<Backend> backend_owner;
      Backend* backend = BackendFor(&backend_owner, diags);
      if (backend == nullptr) return diags;
      return ImportTerraform(phase->op, store, backend, options_, workspace_, options, result);
    });
  }

  Diagnostics TerraformStateDocument(std::string* document) override {
    State state;
    Diagnostics diags = ReadState(&state);
    if (!diags.HasErrors()) *document = migrate::TerraformDocument(state);
    return diags;
  }

  Diagnostics ForceUnlock(const std::string& lock_id) override {
    Diagnostics diags;
    std::unique_ptr<Backend> backend_owner;
    Backend* backend = BackendFor(&backend_owner, diags);
    if (backend != nullptr) diags.Append(backend->ForceUnlock(workspace_, lock_id));
    return diags;
  }

  Diagnostics RekeyState() override {
    return WithLockedState(
        "state rekey",
        [&](StateStore& store, const std::map<std::string, Value>&) {
          store.Update([](State&) {});
          Diagnostics diags = store.WriteNow();
          if (!diags.HasErrors()) diags.Append(store.ClearPending({}));
          return diags;
        },
        /*check_configuration=*/false);
  }

  Diagnostics SavePlan(const std::string& path, const Plan& plan) override {
    Diagnostics diags;
    std::shared_ptr<encryption::DocumentCipher> cipher = Cipher(diags);
    if (!cipher) return diags;
    encryption::DocumentBinding binding = Binding("plan");
    binding.workspace = plan.workspace;
    binding.lineage = plan.lineage;
    binding.serial = plan.serial;
    std::string document;
    diags.Append(cipher->Seal(binding, SerializePlan(plan), &document));
    if (diags.HasErrors()) return diags;
    files::AtomicWriteOptions options;
    options.mode = 0600;
    diags.Append(files::WriteAtomically(path, document, options));
    return diags;
  }

  Diagnostics LoadPlan(const std::string& path, Plan* out) override {
    Diagnostics diags;
    std::string content, error;
    switch (files::ReadWholeFile(path, &content, &error)) {
      case files::ReadStatus::kMissing:
        diags.Error("cannot read plan file " + path, "no such file");
        return diags;
      case files::ReadStatus::kFailed:
        diags.Error("cannot read plan file " + path, error);
        return diags;
      case files::ReadStatus::kOk:
        break;
    }
    std::shared_ptr<encryption::DocumentCipher> cipher = Cipher(diags);
    if (!cipher) return diags;
    std::string document;
    diags.Append(cipher->Open(Binding("plan"), "plan file " + path, content, &document));
    if (!diags.HasErrors()) diags.Append(ParsePlanFile(document, path, out));
    return diags;
  }

  Diagnostics Init(const InitOptions& options, std::vector<std::string>* report) override {
    Diagnostics diags;
    std::unique_ptr<Backend> backend_owner;
    Backend* backend = BackendFor(&backend_owner, diags);
    if (backend == nullptr) return diags;
    if (options.bootstrap) diags.Append(backend->Bootstrap(report));
    if (diags.HasErrors()) return diags;
    diags.Append(backend->Check());
    if (diags.HasErrors()) return diags;
    report->push_back("Backend \"" + backend->Name() + "\" is ready.");
    if (backend->Name() != "local") diags.Append(MigrateLocalState(*backend, options, report));
    std::set<std::string> used;
    for (const ConfigNode* node : graph_.resources()) used.insert(ProviderKeyFor(*node->resource));
    for (const std::string& key : used) {
      Diagnostics local;
      Provider* provider = providers_->Started(key, local);
      if (provider != nullptr) {
        ProviderInfo info = provider->Info();
        report->push_back("Provider \"" + key + "\": " + info.name + " " + info.version + ".");
      }
      diags.Append(local);
    }
    return diags;
  }

  Diagnostics MigrateLocalState(Backend& remote, const InitOptions& options,
                                std::vector<std::string>* report) {
    Diagnostics diags;
    std::shared_ptr<encryption::DocumentCipher> cipher = Cipher(diags);
    if (!cipher) return diags;
    std::unique_ptr<Backend> local = std::make_unique<encryption::EncryptingBackend>(
        MakeLocalBackend((fs::path(options_.stack_dir) / ".reconcile" / "state").string()), nullptr, cipher,
        Binding("state").stack);
    std::vector<std::string> names;
    diags.Append(local->ListWorkspaces(&names));
    for (const std::string& name : names) {
      std::optional<std::string> document;
      diags.Append(local->ReadState(name, &document));
      if (!document) continue;
      State state;
      if (ParseState(*document, &state).HasErrors() || state.resources.empty()) continue;
      if (!options.migrate_state) {
        report->push_back("Local state for workspace \"" + name +
                          "\" exists; run `reconcile init --migrate-state` to copy it into the " +
                          remote.Name() + " backend.");
        continue;
      }
      std::optional<std::string> existing;
      diags.Append(remote.ReadState(name, &existing));
      if (existing) {
        report->push_back("Workspace \"" + name + "\" already has remote state; local state left alone.");
        continue;
      }
      diags.Append(remote.WriteState(name, {*document, state.lineage, state.serial}));
      if (!diags.HasErrors())
        report->push_back("Copied local state of workspace \"" + name + "\" into the " + remote.Name() + " backend.");
    }
    return diags;
  }

  Diagnostics Evaluate(const std::string& expression, Value* out) override {
    if (!console_) {
      std::map<std::string, Value> variables;
      State state;
      Diagnostics diags = CheckConfiguration(&variables);
      if (!diags.HasErrors()) diags.Append(ReadState(&state));
      if (diags.HasErrors()) return diags;
      console_ = std::make_unique<ConsoleEvaluator>(*modules_, graph_, std::move(variables),
                                                    workspace_, options_.stack_dir, state);
    }
    *out = Value();
    return expression.empty() ? Diagnostics() : console_->Evaluate(expression, out);
  }

  Diagnostics DescribeGraph(ResourceGraph* out) override {
    Diagnostics diags = graph_diags_;
    if (!diags.HasErrors()) *out = DescribeResourceGraph(graph_);
    return diags;
  }

  Diagnostics Graph(std::string* dot) override {
    Diagnostics diags = graph_diags_;
    if (!diags.HasErrors()) *dot = graph_.resource_graph().ToDot("reconcile");
    return diags;
  }

  // ---- interrupts -----------------------------------------------------------------

  void Cancel() override {
    std::lock_guard<std::mutex> lock(cancel_mutex_);
    int requests = ++cancel_requests_;
    auto operations = [](int n) {
      return std::to_string(n) + (n == 1 ? " operation" : " operations") + " in flight";
    };
    if (requests == 1) {
      providers_->Interrupt();
      events_->MessageAboutInFlight([&](int n) {
        return "Interrupt received: finishing " + operations(n) + ", starting no more.";
      });
    } else if (requests == 2) {
      events_->MessageAboutInFlight([&](int n) {
        return "Second interrupt: abandoning " + operations(n) +
               " (their outcome is unknown; the next plan settles them). Saving the state and "
               "releasing the lock.";
      });
      providers_->Abandon();
    }
  }

 private:
  bool cancelled() const { return cancel_requests_.load() > 0; }

  // After an operation: an interrupted one reports an "Interrupted" error
  // (what it did is incomplete), and the engine gets fresh providers (the old
  // ones were stopped) and a clear cancel state for the next operation.
  void EndOperation(const std::string& operation, Diagnostics& diags) {
    std::unique_ptr<ProviderSet> stopped;  // destroyed (plugins ended) outside the lock
    std::lock_guard<std::mutex> lock(cancel_mutex_);
    if (cancel_requests_ == 0) return;
    bool reported = std::any_of(diags.begin(), diags.end(), [](const Diagnostic& d) {
      return d.summary == "Apply interrupted";
    });
    if (!reported)
      diags.Error("Interrupted", "The " + operation + " stopped before it finished; nothing "
                                 "more was started.");
    cancel_requests_ = 0;
    stopped = std::move(providers_);
    providers_ = std::make_unique<ProviderSet>(options_, stack_, workspace_);
  }

  Diagnostics CheckReferencesOnly() {
    Diagnostics diags = config::CheckReferences(stack_);
    diags.Append(graph_diags_);
    return diags;
  }

  // Later operations work on `name`, with providers configured for it.
  void UseWorkspace(const std::string& name) {
    workspace_ = name;
    cipher_.reset();
    providers_->SelectWorkspace(name);
  }

  // The cipher of the stack's encryption settings (made once per workspace:
  // a passphrase's key derivation is slow on purpose). Null on bad settings.
  std::shared_ptr<encryption::DocumentCipher> Cipher(Diagnostics& diags) {
    if (!cipher_) cipher_ = MakeStackCipher(stack_, options_, workspace_, diags);
    return cipher_;
  }

  // What a document of this kind in the selected workspace is sealed to.
  encryption::DocumentBinding Binding(const std::string& kind) const {
    encryption::DocumentBinding binding;
    binding.kind = kind;
    binding.stack = stack_.root ? stack_.root->stack_name : "";
    binding.workspace = workspace_;
    return binding;
  }

  // Seals the errored state as the backend would have.
  StateStore::DocumentSealer ErroredStateSealer() {
    return [this](const State& state, std::string* document) {
      Diagnostics diags;
      std::shared_ptr<encryption::DocumentCipher> cipher = Cipher(diags);
      if (!cipher) return diags;
      encryption::DocumentBinding binding = Binding("state");
      binding.lineage = state.lineage;
      binding.serial = state.serial;
      std::string sealed;
      diags.Append(cipher->Seal(binding, *document, &sealed));
      if (!diags.HasErrors()) *document = std::move(sealed);
      return diags;
    };
  }

  // The backend to use (the embedder's, or the stack's), behind the
  // encryption of the stack's [encryption] settings.
  Backend* BackendFor(std::unique_ptr<Backend>* owner, Diagnostics& diags) {
    std::shared_ptr<encryption::DocumentCipher> cipher = Cipher(diags);
    if (!cipher) return nullptr;
    std::unique_ptr<Backend> inner;
    if (!options_.backend) {
      inner = BackendForStack(stack_, &diags);
      if (!inner) return nullptr;
    }
    *owner = std::make_unique<encryption::EncryptingBackend>(std::move(inner), options_.backend.get(), cipher,
                                                             Binding("state").stack);
    return owner->get();
  }

  EngineOptions options_;
  std::string workspace_;
  config::Stack stack_;
  std::unique_ptr<ModuleInstance> modules_;
  ConfigGraph graph_;
  Diagnostics graph_diags_;
  std::unique_ptr<ProviderSet> providers_;
  std::shared_ptr<encryption::DocumentCipher> cipher_;
  std::unique_ptr<Events> events_;
  std::mutex cancel_mutex_;  // guards Cancel against EndOperation's swap of providers_
  std::atomic<int> cancel_requests_{0};
  std::unique_ptr<ConsoleEvaluator> console_;  // made by the first Evaluate
  std::vector<ReleaseValue> release_;  // of the run under way (ResolveReleaseVariables)
  std::vector<VariableAssignment> run_variables_;  // PlanOptions::variables of the run under way
};

}  // namespace
}  // namespace engine

std::unique_ptr<Engine> Engine::Open(EngineOptions options, Diagnostics* diags) {
  auto engine = std::make_unique<engine::EngineImpl>(std::move(options));
  Diagnostics load = engine->Load();
  bool failed = load.HasErrors();
  diags->Append(load);
  if (failed) return nullptr;
  return engine;
}

}  // namespace reconcile
