#include "engine/refresh.h"

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "engine/schema_conform.h"

namespace reconcile::engine {

namespace {

using Clock = std::chrono::steady_clock;

// An interrupted delete of `deleted` finished: the object is gone. When it
// was a deposed object (its id is not the current one's) only that object
// leaves the state; otherwise the whole instance does.
void ForgetDeleted(State& state, const std::string& address, const Value& deleted) {
  auto it = state.resources.find(address);
  if (it == state.resources.end()) return;
  ResourceInstanceState& r = it->second;
  const std::string id = ObjectId(deleted);
  const std::string current = ObjectId(r.attributes);
  if (!id.empty() && !current.empty() && id != current) {
    r.EraseDeposed(deleted);
    return;
  }
  state.resources.erase(it);
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
    if (op.providers->interrupted()) return;  // start no more
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
    if (schema == nullptr) {
      diags.Append(local);
      continue;
    }
    if (pending.action == "create" && !state.resources.count(address)) {
      ReadResponse found = provider->AdoptResource(
          {pending.type, address, pending.planned_state, pending.client_token});
      TagDiagnostics(found.diagnostics, address);
      local.Append(found.diagnostics);
      if (!found.diagnostics.HasErrors() && !found.new_state.is_null()) {
        ResourceInstanceState adopted;
        adopted.address = address;
        adopted.mode = "managed";
        adopted.type = pending.type;
        adopted.provider = pending.provider;
        adopted.attributes = NormalizeState(*schema, found.new_state);
        adopted.schema_version = schema->version;
        state.resources[address] = std::move(adopted);
        op.events->Message("Adopted " + address + ", created by an interrupted apply.");
      }
    } else if (pending.action == "delete" && state.resources.count(address) && !read_resources) {
      ReadResponse r = provider->ReadResource({pending.type, address, pending.prior_state});
      if (!r.diagnostics.HasErrors() && r.new_state.is_null()) ForgetDeleted(state, address, pending.prior_state);
    }
    if (!local.HasErrors()) out->reconciled_pending.push_back(address);
    diags.Append(local);
  }
  return diags;
}

}  // namespace reconcile::engine
