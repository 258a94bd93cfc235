#include "engine/planner.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "engine/instance_planner.h"
#include "engine/plan_selection.h"
#include "engine/schema_conform.h"
#include "graph/parallel_walk.h"

namespace reconcile::engine {

namespace {

using Clock = std::chrono::steady_clock;

class BlockPlanner {
 public:
  BlockPlanner(const Operation& op, const PlanOptions& options, const State& refreshed, Plan* plan)
      : op_(op), options_(options), refreshed_(refreshed), plan_(plan) {}

  Diagnostics Run() {
    const auto& blocks = op_.graph->resources();
    graph::WalkOptions walk{op_.parallelism, /*stop_on_failure=*/false};
    graph::ParallelWalk(op_.graph->resource_graph(), walk,
                        [&](std::size_t i) { return PlanBlock(*blocks[i]); });
    PlanOrphans();
    if (options_.destroy) PlanDestroyAll();
    CheckPreventDestroy();
    return diags_;
  }

  const std::set<std::string>& in_config() const { return in_config_; }

 private:
  void Record(Diagnostics& local) {
    std::lock_guard<std::mutex> lock(mutex_);
    diags_.Append(local);
  }

  bool PlanBlock(const ConfigNode& node) {
    const config::ResourceBlock& block = *node.resource;
    Diagnostics local;
    op_.context->resources().Declare(node.id, ExpansionOf(block.count, block.for_each));
    ModuleScope scope(*op_.context, *node.module);
    std::vector<config::InstanceSpec> specs;
    local.Append(config::ExpandInstances(block, scope, &specs));
    std::string provider_key = ProviderKeyFor(block);
    bool data = block.mode == ResourceMode::kData;
    const ResourceSchema* schema =
        local.HasErrors() ? nullptr : op_.providers->SchemaFor(provider_key, block.type, data, local);
    Provider* provider =
        schema ? op_.providers->Configured(provider_key, *op_.context, local) : nullptr;
    if (provider == nullptr) {
      for (Diagnostic& d : local.items())
        if (!d.range.valid()) d.range = block.range;
      Record(local);
      return false;
    }
    for (const config::InstanceSpec& spec : specs) {
      if (op_.providers->interrupted()) return false;  // start no more
      ResourceAddress addr{node.module->path, block.mode, block.type, block.name, spec.key};
      PlanOne(node, spec, addr.ToString(), provider_key, *provider, *schema, local);
    }
    bool ok = !local.HasErrors();
    Record(local);
    return ok;
  }

  void PlanOne(const ConfigNode& node, const config::InstanceSpec& spec, const std::string& address,
               const std::string& provider_key, Provider& provider, const ResourceSchema& schema,
               Diagnostics& diags) {
    const config::ResourceBlock& block = *node.resource;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      in_config_.insert(address);
    }
    auto recorded = refreshed_.resources.find(address);
    const ResourceInstanceState* prior =
        recorded == refreshed_.resources.end() ? nullptr : &recorded->second;
    PlannedChange change;
    change.address = address;
    change.type = block.type;
    change.provider = provider_key;
    change.mode = block.mode;
    change.create_before_destroy = block.lifecycle.create_before_destroy;

    if (options_.destroy) {
      // Values for count/for_each of dependents come from state.
      if (prior) op_.context->resources().Set(node.id, spec.key, prior->attributes);
      return;
    }
    auto start = Clock::now();
    op_.events->Resource({Phase::kPlan, EventStatus::kStarted, address, Action::kNoOp, {}, {}, {}});
    Diagnostics local;
    ModuleScope scope(*op_.context, *node.module, &spec);
    Value raw = EvaluateBody(block.body, scope, local);
    Value config = ConformConfig(schema, raw, block.body, address, local);
    if (block.mode == ResourceMode::kData) {
      PlanData(node, provider, schema, config, &change, local);
    } else if (!local.HasErrors()) {
      InstancePlanInput in{&provider, &schema, block.type, address,
                           prior ? prior->attributes : Value(), prior && prior->tainted,
                           prior && ReplaceRequested(options_, address), config,
                           &block.lifecycle};
      local.Append(PlanInstance(in, &change));
      if (prior == nullptr && refreshed_.resources.count(address) == 0 && WasDeleted(address))
        change.reason = "deleted outside reconcile";
    }
    TagDiagnostics(local, address);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    bool failed = local.HasErrors();
    op_.events->Resource({Phase::kPlan, failed ? EventStatus::kFailed : EventStatus::kFinished,
                          address, change.action, elapsed, {}, {}});
    diags.Append(local);
    op_.context->resources().Set(node.id, spec.key, change.after);
    if (failed) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (change.action != Action::kNoOp) changed_blocks_.insert(node.id);
    plan_->changes.push_back(std::move(change));
  }

  // Whether a resource block this one depends on has a planned change.
  bool UpstreamChanges(const ConfigNode& node) {
    std::size_t index = 0;
    if (!op_.graph->FindResource(node.id, &index)) return false;
    std::vector<bool> upstream = op_.graph->resource_graph().DependencyClosure({index});
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < upstream.size(); ++i)
      if (i != index && upstream[i] && changed_blocks_.count(op_.graph->resources()[i]->id)) return true;
    return false;
  }

  bool WasDeleted(const std::string& address) const {
    return std::any_of(plan_->drift.begin(), plan_->drift.end(), [&](const PlannedChange& d) {
      return d.address == address && d.action == Action::kDelete;
    });
  }

  // A data source is read while planning unless its configuration is not
  // known yet or something it depends on is about to change (as Terraform).
  void PlanData(const ConfigNode& node, Provider& provider, const ResourceSchema& schema,
                const Value& config, PlannedChange* change, Diagnostics& diags) {
    bool unknown = config.ContainsUnknown();
    if (unknown || UpstreamChanges(node)) {
      change->action = Action::kRead;
      change->after = ProposeState(schema, Value(), config, nullptr);
      change->reason = unknown ? "configuration depends on values known only after apply"
                               : "it depends on resources with changes planned";
      return;
    }
    DataResponse r = provider.ReadDataSource({change->type, change->address, config});
    // The provider cannot know where the block is; its diagnostics point at it.
    for (Diagnostic& d : r.diagnostics.items())
      if (!d.range.valid()) d.range = node.resource->range;
    diags.Append(r.diagnostics);
    change->action = Action::kNoOp;
    change->after = NormalizeState(schema, r.state);
  }

  void AddDelete(const ResourceInstanceState& instance, const std::string& reason) {
    PlannedChange change;
    change.address = instance.address;
    change.type = instance.type;
    change.provider = instance.provider;
    change.mode = instance.mode == "data" ? ResourceMode::kData : ResourceMode::kManaged;
    change.action = Action::kDelete;
    change.before = instance.attributes;
    change.reason = reason;
    plan_->changes.push_back(std::move(change));
  }

  void PlanOrphans() {
    if (options_.destroy) return;
    for (const auto& [address, instance] : refreshed_.resources) {
      if (in_config_.count(address) || instance.mode != "managed") continue;
      AddDelete(instance, OrphanReason(address));
    }
  }

  // Why a recorded instance is not in the configuration, in Terraform's words.
  std::string OrphanReason(const std::string& address) const {
    ResourceAddress a;
    std::string error;
    if (!ResourceAddress::Parse(address, &a, &error)) return address + " is not in configuration";
    const ModuleInstance* module = FindModuleInstance(*op_.modules, a.module_path);
    if (module == nullptr) {
      std::string module_address = a.ModulePrefix();
      module_address.pop_back();  // the trailing "."
      return module_address + " is not in configuration";
    }
    const ConfigNode* node = op_.graph->FindResource(a.ResourceString());
    const std::string resource = (a.mode == ResourceMode::kData ? "data." : "") + a.type + "." + a.name;
    if (node == nullptr) return resource + " is not in configuration";
    const config::ResourceBlock& block = *node->resource;
    const Expansion expansion = ExpansionOf(block.count, block.for_each);
    switch (a.key.kind) {
      case InstanceKey::Kind::kNone:
        if (expansion == Expansion::kSingle) break;
        return "resource uses count or for_each";
      case InstanceKey::Kind::kIndex:
        if (expansion != Expansion::kCount) return "resource does not use count";
        return "index " + a.key.ToString() + " is out of range for count";
      case InstanceKey::Kind::kString:
        if (expansion != Expansion::kForEach) return "resource does not use for_each";
        return "key " + a.key.ToString() + " is not in for_each map";
    }
    return resource + " is not in configuration";
  }

  void PlanDestroyAll() {
    for (const auto& [address, instance] : refreshed_.resources) {
      if (instance.mode != "managed") continue;
      AddDelete(instance, "");
    }
  }

  // A plan that would destroy a prevent_destroy resource fails, naming it.
  void CheckPreventDestroy() {
    for (const PlannedChange& c : plan_->changes) {
      if (c.action != Action::kDelete && c.action != Action::kReplace) continue;
      ResourceAddress parsed;
      const ConfigNode* node = nullptr;
      if (!FindBlockFor(op_, c.address, &parsed, &node)) continue;
      if (!node->resource->lifecycle.prevent_destroy) continue;
      Diagnostic d;
      d.summary = "Instance " + c.address + " has lifecycle.prevent_destroy set, but the plan " +
                  (c.action == Action::kDelete ? "destroys it" : "replaces it");
      d.detail = "It is protected against destruction. To go ahead, remove prevent_destroy from "
                 "its lifecycle (or change the plan so it is kept).";
      if (!c.replace_paths.empty()) {
        d.detail += " The replacement is forced by: ";
        for (std::size_t i = 0; i < c.replace_paths.size(); ++i)
          d.detail += (i ? ", " : "") + c.replace_paths[i];
        d.detail += ".";
      }
      d.range = node->resource->lifecycle.range.valid() ? node->resource->lifecycle.range
                                                        : node->resource->range;
      d.address = c.address;
      diags_.Add(d);
    }
  }

  const Operation& op_;
  const PlanOptions& options_;
  const State& refreshed_;
  Plan* plan_;
  std::mutex mutex_;
  Diagnostics diags_;
  std::set<std::string> in_config_;
  std::set<std::string> changed_blocks_;  // block ids with a planned change
};

// Instance addresses present in the plan, by block id.
std::map<std::string, std::vector<std::string>> InstancesByBlock(const Plan& plan) {
  std::map<std::string, std::vector<std::string>> out;
  for (const PlannedChange& c : plan.changes) {
    ResourceAddress a;
    std::string error;
    if (ResourceAddress::Parse(c.address, &a, &error)) out[a.ResourceString()].push_back(c.address);
  }
  return out;
}

void PlanOutputs(const Operation& op, const PlanOptions& options, const State& refreshed,
                 Plan* plan, Diagnostics& diags) {
  const config::Module& root = *op.stack->root;
  for (const auto& [name, block] : root.outputs) {
    OutputChange change;
    change.name = name;
    change.sensitive = block.sensitive;
    auto before = refreshed.outputs.find(name);
    if (before != refreshed.outputs.end()) change.before = before->second.value;
    if (!options.destroy) change.after = op.context->Output(*op.modules, name, diags);
    bool had = before != refreshed.outputs.end();
    if (options.destroy) change.action = had ? Action::kDelete : Action::kNoOp;
    else if (!had) change.action = Action::kCreate;
    else change.action = change.before.Equals(change.after) ? Action::kNoOp : Action::kUpdate;
    plan->outputs.push_back(std::move(change));
  }
  for (const auto& [name, output] : refreshed.outputs) {
    if (root.outputs.count(name)) continue;
    plan->outputs.push_back({name, Action::kDelete, output.value, Value(), output.sensitive});
  }
}

}  // namespace

void LinkDependencies(const Operation& op, const State& state, Plan* plan) {
  std::map<std::string, std::vector<std::string>> by_block = InstancesByBlock(*plan);
  for (PlannedChange& c : plan->changes) {
    std::set<std::string> deps;
    ResourceAddress parsed;
    const ConfigNode* node = nullptr;
    std::size_t index = 0;
    // Config edges count for deletes too (destroy keeps dependents first);
    // a resource no longer configured has only its recorded dependencies.
    if (FindBlockFor(op, c.address, &parsed, &node) && op.graph->FindResource(node->id, &index)) {
      for (std::size_t d : op.graph->resource_graph().Dependencies(index)) {
        const std::string& block = op.graph->resources()[d]->id;
        if (by_block.count(block)) deps.insert(block);
      }
    }
    auto recorded = state.resources.find(c.address);
    if (recorded != state.resources.end()) {
      for (const std::string& block : recorded->second.dependencies)
        if (by_block.count(block)) deps.insert(block);
    }
    if (node != nullptr) deps.erase(node->id);
    c.depends_on.assign(deps.begin(), deps.end());
  }
}

namespace {

// Deposed objects in the state go with their instance's change, to be
// destroyed by the apply. A copy of the current object (a depose that was
// interrupted before the replacement was made) is not a separate object.
void AttachDeposed(const State& state, Plan* plan) {
  for (PlannedChange& c : plan->changes) {
    auto recorded = state.resources.find(c.address);
    if (recorded == state.resources.end() || recorded->second.deposed.empty()) continue;
    std::set<std::string> seen = {ObjectId(recorded->second.attributes)};
    for (const Value& object : recorded->second.deposed) {
      std::string id = ObjectId(object);
      if (id.empty() || seen.insert(id).second) c.deposed.push_back(object);
    }
  }
}

}  // namespace

Diagnostics PlanChanges(const Operation& op, const PlanOptions& options, const State& refreshed,
                        Plan* plan) {
  BlockPlanner planner(op, options, refreshed, plan);
  Diagnostics diags = planner.Run();
  if (!diags.HasErrors()) PlanOutputs(op, options, refreshed, plan, diags);
  LinkDependencies(op, refreshed, plan);
  AttachDeposed(refreshed, plan);
  std::sort(plan->changes.begin(), plan->changes.end(),
            [](const PlannedChange& a, const PlannedChange& b) { return a.address < b.address; });
  return diags;
}

}  // namespace reconcile::engine
