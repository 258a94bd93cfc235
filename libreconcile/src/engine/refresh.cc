#include "engine/refresh.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "engine/schema_conform.h"

namespace reconcile::engine {

namespace {

using Clock = std::chrono::steady_clock;

// An interrupted delete of `deleted` finished: the object is gone. When it
// was a deposed object only that object leaves the state; otherwise the whole
// instance does.
void ForgetDeleted(State& state, const std::string& address, const Value& deleted) {
  auto it = state.resources.find(address);
  if (it == state.resources.end()) return;
  ResourceInstanceState& r = it->second;
  if (!SameObject(r.attributes, deleted)) {
    r.EraseDeposed(deleted);
    return;
  }
  state.resources.erase(it);
}

// A pending create is settled when its result is in the state, or when a
// lookup (ownership tags, client token, natural key: the provider's
// AdoptResource) found the object, which is then recorded, or found nothing.
// For the create of a create_before_destroy replacement, the state holds the
// object it replaces until the new one is recorded: the found object becomes
// current and the replaced one deposed.
bool SettleCreate(const Operation& op, Provider& provider, const ResourceSchema& schema,
                  const PendingOperation& pending, State& state, RefreshResult* out, Diagnostics& diags) {
  const std::string& address = pending.address;
  const bool replacing = !pending.prior_state.is_null();
  auto current = state.resources.find(address);
  bool holds_replaced = current != state.resources.end() && replacing &&
                        SameObject(current->second.attributes, pending.prior_state);
  if (current != state.resources.end() && !holds_replaced) return true;  // its result was recorded
  ReadResponse found =
      provider.AdoptResource({pending.type, address, pending.planned_state, pending.client_token});
  diags.Append(found.diagnostics);
  if (found.diagnostics.HasErrors()) return false;
  if (found.new_state.is_null() || (replacing && SameObject(found.new_state, pending.prior_state))) {
    out->unmade_creates.insert(address);
    return true;
  }
  Value object = NormalizeState(schema, found.new_state);
  if (holds_replaced) {
    ResourceInstanceState& instance = current->second;
    instance.deposed.push_back(instance.attributes);
    instance.attributes = object;
    instance.tainted = false;
  } else {
    ResourceInstanceState adopted;
    adopted.address = address;
    adopted.mode = "managed";
    adopted.type = pending.type;
    adopted.provider = pending.provider;
    adopted.attributes = object;
    adopted.schema_version = schema.version;
    state.resources[address] = std::move(adopted);
  }
  std::string id = ObjectId(object);
  op.events->Message("Adopted " + address + (id.empty() ? "" : " (" + id + ")") + ", created by an interrupted apply" +
                     (holds_replaced ? "; the object it replaces is now deposed." : "."));
  return true;
}

// A pending delete is settled when the object it deleted is no longer
// recorded, or when a read shows whether it still exists (gone: it leaves the
// state; there: it stays, the delete did not happen).
bool SettleDelete(Provider& provider, const PendingOperation& pending, bool read_resources, State& state,
                  Diagnostics& diags) {
  auto current = state.resources.find(pending.address);
  if (current == state.resources.end()) return true;
  const ResourceInstanceState& instance = current->second;
  bool is_current = SameObject(instance.attributes, pending.prior_state);
  bool is_deposed = std::any_of(instance.deposed.begin(), instance.deposed.end(),
                                [&](const Value& object) { return SameObject(object, pending.prior_state); });
  if (!is_current && !is_deposed) return true;
  if (is_current && read_resources) return true;  // the refresh just read it: it is still there
  ReadResponse r = provider.ReadResource({pending.type, pending.address, pending.prior_state});
  diags.Append(r.diagnostics);
  if (r.diagnostics.HasErrors()) return false;
  if (r.new_state.is_null()) ForgetDeleted(state, pending.address, pending.prior_state);
  return true;
}

// Runs fn(i) for i in [0, n) on up to `parallelism` threads.
void ParallelFor(std::size_t n, int parallelism, const std::function<void(std::size_t)>& fn) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) fn(i);
  };
  std::size_t threads = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, parallelism)));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

struct Batch {
  std::string provider;
  std::string type;
  std::vector<std::string> addresses;
};

// Brings an instance's attributes to the provider's current schema version.
Diagnostics Upgrade(Provider& provider, const ResourceSchema& schema,
                    ResourceInstanceState& instance) {
  Diagnostics diags;
  if (instance.schema_version >= schema.version) return diags;
  UpgradeStateResponse r =
      provider.UpgradeState({instance.type, instance.schema_version, instance.attributes});
  diags.Append(r.diagnostics);
  if (!diags.HasErrors()) {
    instance.attributes = NormalizeState(schema, r.state);
    instance.schema_version = schema.version;
  }
  TagDiagnostics(diags, instance.address);
  return diags;
}

}  // namespace

Diagnostics RefreshState(const Operation& op, const State& recorded, bool read_resources,
                         RefreshResult* out) {
  Diagnostics diags;
  std::mutex mutex;
  out->state = recorded;
  State& state = out->state;

  // Group managed instances by provider and type.
  std::map<std::pair<std::string, std::string>, Batch> batches;
  for (const auto& [address, instance] : state.resources) {
    if (instance.mode != "managed") continue;
    Batch& b = batches[{instance.provider, instance.type}];
    b.provider = instance.provider;
    b.type = instance.type;
    b.addresses.push_back(address);
  }
  std::vector<Batch> work;
  for (auto& [key, batch] : batches) work.push_back(std::move(batch));

  ParallelFor(work.size(), op.parallelism, [&](std::size_t i) {
    const Batch& batch = work[i];
    Diagnostics local;
    Provider* provider = op.providers->Configured(batch.provider, *op.context, local);
    const ResourceSchema* schema =
        provider ? op.providers->SchemaFor(batch.provider, batch.type, false, local) : nullptr;
    if (schema == nullptr) {
      std::lock_guard<std::mutex> lock(mutex);
      diags.Append(local);
      return;
    }
    std::vector<ReadRequest> requests;
    {
      std::lock_guard<std::mutex> lock(mutex);
      for (const std::string& address : batch.addresses) {
        ResourceInstanceState& instance = state.resources.at(address);
        local.Append(Upgrade(*provider, *schema, instance));
        requests.push_back({batch.type, address, instance.attributes});
      }
    }
    if (!read_resources || local.HasErrors()) {
      std::lock_guard<std::mutex> lock(mutex);
      diags.Append(local);
      return;
    }
    auto start = Clock::now();
    for (const ReadRequest& r : requests)
      op.events->Resource({Phase::kRefresh, EventStatus::kStarted, r.address, Action::kNoOp, {}, {}, {}});
    std::vector<ReadResponse> responses = provider->ReadResources(requests);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    std::lock_guard<std::mutex> lock(mutex);
    for (std::size_t j = 0; j < requests.size(); ++j) {
      const std::string& address = requests[j].address;
      ReadResponse r = j < responses.size() ? responses[j] : ReadResponse{};
      if (j >= responses.size())
        r.diagnostics.Error("Provider returned too few read results", "", {});
      TagDiagnostics(r.diagnostics, address);
      local.Append(r.diagnostics);
      bool failed = r.diagnostics.HasErrors();
      op.events->Resource({Phase::kRefresh, failed ? EventStatus::kFailed : EventStatus::kFinished,
                           address, Action::kNoOp, elapsed, {}, {}});
      if (failed) continue;
      ResourceInstanceState& instance = state.resources.at(address);
      if (r.new_state.is_null()) {
        out->drift.push_back({address, instance.type, instance.provider, ResourceMode::kManaged,
                              Action::kDelete, instance.attributes, Value(), {}, false,
                              "deleted outside reconcile", {}});
        state.resources.erase(address);
        continue;
      }
      Value refreshed = NormalizeState(*schema, r.new_state);
      if (!refreshed.Equals(instance.attributes)) {
        out->drift.push_back({address, instance.type, instance.provider, ResourceMode::kManaged,
                              Action::kUpdate, instance.attributes, refreshed, {}, false,
                              "changed outside reconcile", {}});
      }
      instance.attributes = refreshed;
    }
    diags.Append(local);
  });

  // Pending operations of an interrupted apply.
  for (const auto& [address, pending] : recorded.pending) {
    Diagnostics local;
    Provider* provider = op.providers->Configured(pending.provider, *op.context, local);
    const ResourceSchema* schema =
        provider ? op.providers->SchemaFor(pending.provider, pending.type, false, local) : nullptr;
    bool settled = false;
    if (schema != nullptr && pending.action == "create") {
      settled = SettleCreate(op, *provider, *schema, pending, state, out, local);
    } else if (schema != nullptr) {
      settled = SettleDelete(*provider, pending, read_resources, state, local);
    }
    TagDiagnostics(local, address);
    if (settled && !local.HasErrors()) out->reconciled_pending.push_back(address);
    diags.Append(local);
  }
  return diags;
}

Diagnostics RecordRefresh(StateStore& store, const RefreshResult& refreshed, const Plan* plan) {
  store.Update([&](State& s) { s.resources = refreshed.state.resources; });
  Diagnostics diags = store.WriteNow();
  if (diags.HasErrors()) return diags;  // the journal keeps every entry: nothing is recorded yet
  std::set<std::string> created_again;
  if (plan != nullptr) {
    for (const PlannedChange& c : plan->changes)
      if (c.action == Action::kCreate || c.action == Action::kReplace) created_again.insert(c.address);
  }
  std::vector<std::string> clear;
  for (const std::string& address : refreshed.reconciled_pending)
    if (!(refreshed.unmade_creates.count(address) && created_again.count(address))) clear.push_back(address);
  diags.Append(store.ClearPending(clear));
  return diags;
}

}  // namespace reconcile::engine
