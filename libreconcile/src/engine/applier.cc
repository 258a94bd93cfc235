#include "engine/applier.h"

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <set>

#include "engine/instance_planner.h"
#include "engine/schema_conform.h"
#include "graph/dependency_graph.h"
#include "graph/parallel_walk.h"

namespace reconcile::engine {

namespace {

using Clock = std::chrono::steady_clock;
using Vertex = graph::DependencyGraph::Vertex;

// One provider call of the apply: the create/update/read of an instance, or
// the destroy of its current (or deposed) object, or the destroy of the
// objects an earlier create_before_destroy left deposed.
struct Step {
  enum class Kind : unsigned char { kApply, kDestroy, kDestroyDeposed, kBarrier } kind = Kind::kApply;
  const PlannedChange* change = nullptr;
};

class Applier {
 public:
  Applier(const Operation& op, const Plan& plan, StateStore& store)
      : op_(op), plan_(plan), store_(store) {}

  Diagnostics Run(ApplySummary* summary) {
    auto start = Clock::now();
    SeedValues();
    BuildGraph();
    if (!diags_.HasErrors()) {
      graph::WalkOptions walk{op_.parallelism, /*stop_on_failure=*/true};
      graph::ParallelWalk(graph_, walk, [&](Vertex v) { return Run(steps_[v]); });
    }
    if (!diags_.HasErrors() && !op_.providers->interrupted()) RecordOutputs();
    summary_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    *summary = summary_;
    return diags_;
  }

 private:
  // What references see before anything is applied: planned values.
  // (Instances outside the plan, e.g. not targeted, keep their recorded values.)
  void SeedValues() {
    for (const ConfigNode* node : op_.graph->resources()) {
      const config::ResourceBlock& b = *node->resource;
      op_.context->resources().Declare(node->id, b.count     ? ResourceValues::Expansion::kCount
                                                 : b.for_each ? ResourceValues::Expansion::kForEach
                                                              : ResourceValues::Expansion::kSingle);
    }
    State recorded = store_.Snapshot();
    ResourceAddress a;
    std::string error;
    for (const auto& [address, instance] : recorded.resources) {
      if (ResourceAddress::Parse(address, &a, &error) && op_.graph->FindResource(a.ResourceString()))
        op_.context->resources().Set(a.ResourceString(), a.key, instance.attributes);
    }
    for (const PlannedChange& c : plan_.changes) {
      if (c.action == Action::kDelete || !ResourceAddress::Parse(c.address, &a, &error)) continue;
      op_.context->resources().Set(a.ResourceString(), a.key, c.after);
    }
  }

  Vertex AddStep(Step::Kind kind, const PlannedChange& c) {
    Vertex v = graph_.AddVertex((kind == Step::Kind::kApply ? "apply " : "destroy ") + c.address);
    steps_.push_back({kind, &c});
    (kind == Step::Kind::kApply ? apply_step_ : destroy_step_)[c.address] = v;
    return v;
  }

  // The block (resource address without instance key) of an instance.
  static std::string BlockOf(const std::string& address) {
    ResourceAddress a;
    std::string error;
    return ResourceAddress::Parse(address, &a, &error) ? a.ResourceString() : address;
  }

  // A step that does nothing, standing for "every step of a block of this
  // kind": dependencies go through it, so N dependents of M instances cost
  // N + M edges, not N x M.
  Vertex Barrier(std::map<std::string, Vertex>& barriers, const std::string& block, const char* what) {
    auto it = barriers.find(block);
    if (it != barriers.end()) return it->second;
    Vertex v = graph_.AddVertex(std::string(what) + " " + block);
    steps_.push_back({Step::Kind::kBarrier, nullptr});
    barriers[block] = v;
    return v;
  }

  void AddSteps() {
    for (const PlannedChange& c : plan_.changes) {
      by_address_[c.address] = &c;
      switch (c.action) {
        case Action::kNoOp:
          if (c.mode == ResourceMode::kData) AddStep(Step::Kind::kApply, c);
          break;
        case Action::kCreate:
        case Action::kUpdate:
        case Action::kRead:
          AddStep(Step::Kind::kApply, c);
          break;
        case Action::kDelete:
          AddStep(Step::Kind::kDestroy, c);
          break;
        case Action::kReplace: {
          Vertex destroy = AddStep(Step::Kind::kDestroy, c);
          Vertex create = AddStep(Step::Kind::kApply, c);
          if (c.create_before_destroy) graph_.AddDependency(destroy, create);
          else graph_.AddDependency(create, destroy);
          break;
        }
      }
    }
    // Objects left deposed go after their instance's own steps; when the
    // instance itself goes, before its current object, so the state never
    // drops the instance while deposed objects of it remain.
    for (const PlannedChange& c : plan_.changes) {
      if (c.deposed.empty()) continue;
      Vertex v = graph_.AddVertex("destroy deposed " + c.address);
      steps_.push_back({Step::Kind::kDestroyDeposed, &c});
      if (auto it = apply_step_.find(c.address); it != apply_step_.end()) graph_.AddDependency(v, it->second);
      if (auto it = destroy_step_.find(c.address); it != destroy_step_.end()) {
        if (c.action == Action::kDelete) graph_.AddDependency(it->second, v);
        else graph_.AddDependency(v, it->second);
      }
      graph_.AddDependency(Barrier(destroyed_, BlockOf(c.address), "destroyed"), v);
    }
    // Every step of a block feeds that block's barrier.
    for (const auto& [address, v] : apply_step_)
      graph_.AddDependency(Barrier(applied_, BlockOf(address), "applied"), v);
    for (const auto& [address, v] : destroy_step_)
      graph_.AddDependency(Barrier(destroyed_, BlockOf(address), "destroyed"), v);
  }

  // depends_on holds the blocks (resource addresses) a change waits for.
  void BuildGraph() {
    AddSteps();
    std::map<std::string, std::vector<std::pair<std::string, Vertex>>> destroys_by_block;
    for (const auto& [address, v] : destroy_step_) destroys_by_block[BlockOf(address)].emplace_back(address, v);
    std::set<std::pair<std::string, std::string>> linked;  // (dependency block, dependent block)
    for (const PlannedChange& c : plan_.changes) {
      std::string block = BlockOf(c.address);
      auto apply = apply_step_.find(c.address);
      for (const std::string& dep : c.depends_on) {
        // Creates and updates wait for what they reference.
        if (apply != apply_step_.end() && applied_.count(dep))
          graph_.AddDependency(apply->second, applied_.at(dep));
        if (!linked.insert({dep, block}).second) continue;
        // Each instance of a dependency is destroyed only after the dependent
        // block's destroys, and after its remaining instances were updated
        // away from it (not when the dependency is destroyed and then
        // re-created: those applies already wait for the re-creation).
        auto dep_destroys = destroys_by_block.find(dep);
        if (dep_destroys == destroys_by_block.end()) continue;
        for (const auto& [address, v] : dep_destroys->second) {
          if (destroyed_.count(block)) graph_.AddDependency(v, destroyed_.at(block));
          const PlannedChange* dep_change = FindChange(address);
          bool recreated = dep_change && dep_change->action == Action::kReplace &&
                           !dep_change->create_before_destroy;
          if (applied_.count(block) && !recreated) graph_.AddDependency(v, applied_.at(block));
        }
      }
    }
    std::vector<Vertex> cycle = graph_.FindCycle();
    if (!cycle.empty()) {
      std::string chain;
      for (std::size_t i = 0; i < cycle.size(); ++i) chain += (i ? " -> " : "") + graph_.name(cycle[i]);
      diags_.Error("The plan's operations form a cycle: " + chain,
                   "This can happen when create_before_destroy is set on one resource and not on "
                   "a resource it depends on. Set it on both.");
    }
  }

  const PlannedChange* FindChange(const std::string& address) const {
    auto it = by_address_.find(address);
    return it == by_address_.end() ? nullptr : it->second;
  }

  void Fail(Diagnostics& local, const std::string& address) {
    TagDiagnostics(local, address);
    std::lock_guard<std::mutex> lock(mutex_);
    diags_.Append(local);
    ++summary_.failed;
  }

  bool Run(const Step& step) {
    if (step.kind == Step::Kind::kBarrier) return true;
    if (store_.write_failed() || op_.providers->interrupted()) return false;  // start no more
    const PlannedChange& c = *step.change;
    Action shown = step.kind == Step::Kind::kApply ? c.action : Action::kDelete;
    if (c.action == Action::kReplace && step.kind == Step::Kind::kApply) shown = Action::kCreate;
    auto start = Clock::now();
    op_.events->Resource({Phase::kApply, EventStatus::kStarted, c.address, shown, {}, {}, {}});
    Diagnostics local;
    std::string id;
    if (step.kind == Step::Kind::kDestroy) Destroy(c, local);
    else if (step.kind == Step::Kind::kDestroyDeposed) DestroyDeposed(c, local);
    else ApplyOne(c, local, &id);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    if (local.HasErrors()) {
      std::string first;
      for (const Diagnostic& d : local)
        if (d.severity == Severity::kError) {
          first = d.summary;
          break;
        }
      op_.events->Resource({Phase::kApply, EventStatus::kFailed, c.address, shown, elapsed, id, first});
      Fail(local, c.address);
      return false;
    }
    op_.events->Resource({Phase::kApply, EventStatus::kFinished, c.address, shown, elapsed, id, {}});
    std::lock_guard<std::mutex> lock(mutex_);
    diags_.Append(local);  // warnings
    if (shown == Action::kCreate) ++summary_.added;
    else if (shown == Action::kUpdate) ++summary_.changed;
    else if (step.kind == Step::Kind::kDestroyDeposed) summary_.destroyed += static_cast<int>(c.deposed.size());
    else if (shown == Action::kDelete) ++summary_.destroyed;
    return true;
  }

  // The client token of an operation: the one its journal entry already
  // holds when this is a retry of it (same action, same planned state: an
  // earlier run stopped mid-call or could not tell whether the call took
  // effect), else a new random nonce.
  std::string TokenFor(const std::string& address, const std::string& action, const Value& planned) const {
    std::optional<PendingOperation> earlier = store_.FindPending(address);
    if (earlier && earlier->action == action && !earlier->client_token.empty() &&
        earlier->planned_state.Equals(planned))
      return earlier->client_token;
    return NewLineage();
  }

  // Settles the journal entry of a finished create or delete: it goes after
  // the next state write, unless the provider could not tell whether the call
  // took effect; then it stays, marked, for the next plan to look up.
  void EndOperation(const PendingOperation& pending, const ApplyResponse& r, Diagnostics& diags) {
    if (!(r.outcome_unknown && r.diagnostics.HasErrors() && r.new_state.is_null())) {
      store_.EndPending(pending.address);
      return;
    }
    diags.Append(store_.MarkOutcomeUnknown(pending.address));
    diags.Warning("The " + pending.action + " of " + pending.address + " may have taken effect",
                  "The call failed without saying whether the object was " +
                      (pending.action == "create" ? std::string("made") : std::string("deleted")) +
                      ". reconcile keeps it in the pending-operation journal: the next plan, apply or refresh "
                      "looks the object up and records what it finds before changing anything else.");
  }

  void Destroy(const PlannedChange& c, Diagnostics& diags) {
    std::optional<ResourceInstanceState> recorded = store_.FindResource(c.address);
    if (!recorded) return;  // already gone
    bool deposed = c.action == Action::kReplace && c.create_before_destroy;
    if (deposed && recorded->deposed.empty()) return;
    // The object this apply deposed is the last one (older ones, left by an
    // earlier apply, are the change's `deposed` list).
    Value prior = deposed ? recorded->deposed.back() : recorded->attributes;
    Provider* provider = op_.providers->Configured(c.provider, *op_.context, diags);
    if (provider == nullptr) return;
    PendingOperation pending{c.address, c.type, c.provider, "delete", NowRfc3339(),
                             TokenFor(c.address, "delete", Value()), {}, prior};
    diags.Append(store_.BeginPending(pending));
    if (diags.HasErrors()) return;
    ApplyResponse r = provider->ApplyResource(
        {c.type, c.address, ApplyAction::kDelete, prior, Value(), Value(), pending.client_token});
    diags.Append(r.diagnostics);
    if (!r.diagnostics.HasErrors()) {
      bool replacing = c.action == Action::kReplace;
      store_.Update([&](State& s) {
        auto cur = s.resources.find(c.address);
        if (cur == s.resources.end()) return;
        // With create_before_destroy the new object may already be recorded;
        // the old one lives on as deposed until this delete.
        if (replacing && c.create_before_destroy && !cur->second.deposed.empty()) {
          cur->second.EraseDeposed(prior);
        } else {
          s.resources.erase(cur);
        }
      });
      if (!replacing) {
        ResourceAddress a;
        std::string error;
        if (ResourceAddress::Parse(c.address, &a, &error))
          op_.context->resources().Remove(a.ResourceString(), a.key);
      }
    }
    EndOperation(pending, r, diags);
  }

  // Destroys the objects an earlier create_before_destroy left deposed.
  void DestroyDeposed(const PlannedChange& c, Diagnostics& diags) {
    Provider* provider = op_.providers->Configured(c.provider, *op_.context, diags);
    if (provider == nullptr) return;
    for (const Value& object : c.deposed) {
      PendingOperation pending{c.address, c.type, c.provider, "delete", NowRfc3339(),
                               TokenFor(c.address, "delete", Value()), {}, object};
      diags.Append(store_.BeginPending(pending));
      if (diags.HasErrors()) return;
      ApplyResponse r = provider->ApplyResource(
          {c.type, c.address, ApplyAction::kDelete, object, Value(), Value(), pending.client_token});
      diags.Append(r.diagnostics);
      if (!r.diagnostics.HasErrors()) {
        store_.Update([&](State& s) {
          auto cur = s.resources.find(c.address);
          if (cur == s.resources.end()) return;
          cur->second.EraseDeposed(object);
          // Nothing left of an instance whose only objects were deposed.
          if (cur->second.deposed.empty() && cur->second.attributes.is_null()) s.resources.erase(cur);
        });
      }
      EndOperation(pending, r, diags);
      if (diags.HasErrors()) return;
    }
  }

  void ApplyOne(const PlannedChange& c, Diagnostics& diags, std::string* id) {
    ResourceAddress parsed;
    const ConfigNode* node = nullptr;
    if (!FindBlockFor(op_, c.address, &parsed, &node)) {
      diags.Error("Resource " + c.address + " is not in the configuration",
                  "The plan names a resource the configuration no longer has; plan again.");
      return;
    }
    bool data = c.mode == ResourceMode::kData;
    Provider* provider = op_.providers->Configured(c.provider, *op_.context, diags);
    const ResourceSchema* schema =
        provider ? op_.providers->SchemaFor(c.provider, c.type, data, diags) : nullptr;
    if (schema == nullptr) return;
    if (data && c.action == Action::kNoOp) {
      Record(c, *node, parsed, *schema, c.after, false);
      return;
    }
    Value config;
    diags.Append(EvaluateInstanceConfig(op_, *node, parsed.key, *schema, c.address, &config));
    if (diags.HasErrors()) return;
    if (data) {
      DataResponse r = provider->ReadDataSource({c.type, c.address, config});
      diags.Append(r.diagnostics);
      if (!r.diagnostics.HasErrors()) Record(c, *node, parsed, *schema, NormalizeState(*schema, r.state), false);
      return;
    }
    bool creating = c.action == Action::kCreate || c.action == Action::kReplace;
    // A create_before_destroy replacement leaves the old object current until
    // the new one is recorded (Record deposes it in the same change).
    bool superseding = c.action == Action::kReplace && c.create_before_destroy;
    Value prior = creating && !superseding ? Value() : CurrentObject(c.address);
    PlanResponse final_plan = provider->PlanResource(
        {c.type, c.address, creating ? Value() : prior,
         ProposeState(*schema, creating ? Value() : prior, config, &node->resource->lifecycle), config});
    diags.Append(final_plan.diagnostics);
    if (diags.HasErrors()) return;
    PendingOperation pending;
    if (creating) {
      Value planned = WithoutWriteOnly(*schema, final_plan.planned_state).WithoutMarks();
      pending = {c.address, c.type, c.provider, "create", NowRfc3339(), TokenFor(c.address, "create", planned),
                 planned, superseding ? prior : Value()};
      diags.Append(store_.BeginPending(pending));
      if (diags.HasErrors()) return;
    }
    ApplyResponse r = provider->ApplyResource(
        {c.type, c.address, creating ? ApplyAction::kCreate : ApplyAction::kUpdate, creating ? Value() : prior,
         final_plan.planned_state, config, pending.client_token});
    diags.Append(r.diagnostics);
    if (!r.new_state.is_null()) {
      Value state = NormalizeState(*schema, r.new_state);
      if (const Value* v = state.Find("id"); v && v->is_string()) *id = v->AsString();
      Record(c, *node, parsed, *schema, state, r.diagnostics.HasErrors() && creating);
    }
    if (creating) EndOperation(pending, r, diags);
  }

  // The recorded current object of `address` (null when there is none).
  Value CurrentObject(const std::string& address) const {
    std::optional<ResourceInstanceState> recorded = store_.FindResource(address);
    return recorded ? recorded->attributes : Value();
  }

  // Records the object an apply step made or changed. For a
  // create_before_destroy replacement the object it supersedes becomes
  // deposed in the same change, so the state always holds both.
  void Record(const PlannedChange& c, const ConfigNode& node, const ResourceAddress& parsed,
              const ResourceSchema& schema, const Value& state, bool tainted) {
    std::vector<std::string> deps;
    std::size_t index = 0;
    if (op_.graph->FindResource(node.id, &index)) {
      for (std::size_t d : op_.graph->resource_graph().Dependencies(index))
        deps.push_back(op_.graph->resources()[d]->id);
    }
    bool superseding = c.action == Action::kReplace && c.create_before_destroy;
    store_.Update([&](State& s) {
      ResourceInstanceState& r = s.resources[c.address];
      Value superseded;
      if (superseding && !r.attributes.is_null() && !SameObject(r.attributes, state))
        superseded = r.attributes;
      r.address = c.address;
      r.mode = c.mode == ResourceMode::kData ? "data" : "managed";
      r.type = c.type;
      r.provider = c.provider;
      r.attributes = state;
      r.dependencies = deps;
      r.schema_version = schema.version;
      r.tainted = tainted;
      r.AddDeposed(superseded);
    });
    op_.context->resources().Set(parsed.ResourceString(), parsed.key, state);
  }

  // Records the root outputs. A targeted apply leaves resources out, so an
  // output that cannot be evaluated then keeps its recorded value (or stays
  // absent) instead of failing the apply.
  void RecordOutputs() {
    Diagnostics local;
    std::map<std::string, OutputState> outputs;
    // A partial apply (--target, --exclude) leaves resources out: an output
    // that needs one keeps the value recorded before, and is no error.
    bool partial = !plan_.targets.empty() || !plan_.excluded.empty();
    std::set<std::string> kept;
    if (!plan_.destroy) {
      for (const auto& [name, block] : op_.stack->root->outputs) {
        Diagnostics one;
        Value v = op_.context->Output(*op_.modules, name, one);
        if (partial && one.HasErrors()) {
          kept.insert(name);
          continue;
        }
        local.Append(one);
        outputs[name] = {v, block.sensitive || v.ContainsSensitive()};
      }
    }
    store_.Update([&](State& s) {
      for (const std::string& name : kept)
        if (auto it = s.outputs.find(name); it != s.outputs.end()) outputs[name] = it->second;
      s.outputs = outputs;
    });
    std::lock_guard<std::mutex> lock(mutex_);
    diags_.Append(local);
  }

  const Operation& op_;
  const Plan& plan_;
  StateStore& store_;
  graph::DependencyGraph graph_;
  std::vector<Step> steps_;
  std::map<std::string, Vertex> apply_step_;
  std::map<std::string, Vertex> destroy_step_;
  std::map<std::string, const PlannedChange*> by_address_;
  std::map<std::string, Vertex> applied_;    // block -> barrier after all its apply steps
  std::map<std::string, Vertex> destroyed_;  // block -> barrier after all its destroy steps
  std::mutex mutex_;
  Diagnostics diags_;
  ApplySummary summary_;
};

}  // namespace

Diagnostics ApplyPlan(const Operation& op, const Plan& plan, StateStore& store,
                      ApplySummary* summary) {
  Applier applier(op, plan, store);
  return applier.Run(summary);
}

}  // namespace reconcile::engine
