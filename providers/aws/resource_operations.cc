#include "resource_operations.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "fields.h"
#include "tags.h"
#include "waiter.h"

namespace reconcile::aws_provider {

namespace {

// Reads of types without a batched read run on this many threads.
constexpr std::size_t kParallelReads = 8;

bool HasAttribute(const ResourceSchema& schema, std::string_view name) {
  return schema.Find(name) != nullptr;
}

Value IdState(const std::string& id) { return Value::Map({{"id", Value::String(id)}}); }

// The state to hand back after a failed create: what exists (its id), so the
// engine records it tainted instead of losing track of it.
Value CreatedRemains(const Value& current) {
  return IdOf(current).empty() ? Value() : current;
}

// A failed call that makes or removes an object, with what is known of it.
// Without an object to show, a failure that may have taken effect is unknown.
ApplyResponse Failed(ResourceContext& ctx, Value remains) {
  ApplyResponse out{std::move(remains), ctx.diagnostics()};
  out.outcome_unknown = out.new_state.is_null() && ctx.outcome_unknown();
  return out;
}

ApplyResponse Create(const ResourceType& type, ResourceContext& ctx, const Value& planned) {
  Value created = type.create(ctx, planned);
  Value current = KnownPart(planned, created);
  if (ctx.failed()) return Failed(ctx, CreatedRemains(current));
  if (IdOf(current).empty()) {
    ctx.Error("The create of " + type.name + " returned no id", "This is a provider bug.");
    return {Value(), ctx.diagnostics()};
  }
  if (ctx.state_complete()) return {created, ctx.diagnostics()};
  Value state = ReadAfterCreate(ctx, [&] { return type.read(ctx, current); });
  if (state.is_null()) return {current, ctx.diagnostics()};
  return {state, ctx.diagnostics()};
}

ApplyResponse Update(const ResourceType& type, const ProviderRuntime& runtime, ResourceContext& ctx,
                     const Value& prior, const Value& planned) {
  if (type.update) type.update(ctx, prior, planned);
  Value id = IdState(ctx.new_id().empty() ? IdOf(prior) : ctx.new_id());
  if (!ctx.failed() && type.update_tags) {
    TagChanges changes = PlannedTagChanges(runtime.default_tags, prior, planned);
    if (!changes.empty()) type.update_tags(ctx, KnownPart(planned, id), changes);
  }
  // Read back what is there now, even after a failure part way.
  ResourceContext reader(runtime, ctx.address());
  Value state = type.read(reader, KnownPart(planned, id));
  if (!ctx.failed()) ctx.diagnostics().Append(reader.diagnostics());
  if (state.is_null() && !ctx.failed())
    ctx.Error("The object disappeared during its update", "It was deleted outside reconcile.");
  return {state, ctx.diagnostics()};
}

}  // namespace

Value KnownPart(const Value& planned, const Value& partial) {
  Value out = Value::Map({});
  if (planned.is_map()) {
    for (const auto& [key, value] : planned.AsMap())
      out.Set(key, value.ContainsUnknown() ? Value() : value);
  }
  if (partial.is_map()) {
    for (const auto& [key, value] : partial.AsMap()) out.Set(key, value);
  }
  return out;
}

void FinishResourceType(ResourceType& type) {
  std::vector<Attribute>& attributes = type.schema.attributes;
  if (!HasAttribute(type.schema, "id")) {
    attributes.insert(attributes.begin(),
                      Attribute::Computed("id", AttributeType::kString).Describe("the AWS id"));
  }
  if (type.update_tags && !HasAttribute(type.schema, "tags")) {
    for (Attribute& a : TagAttributes()) attributes.push_back(std::move(a));
  }
  if (!type.import) {
    type.import = [](ResourceContext&, const std::string& id) { return IdState(id); };
  }
}

PlanResponse PlanWith(const ResourceType& type, const ProviderRuntime& runtime,
                      const PlanRequest& request) {
  PlanResponse response{request.proposed_state, {}, {}};
  if (!response.planned_state.is_map()) return response;
  if (type.update_tags) PlanTagsAll(runtime.default_tags, response.planned_state);
  if (type.plan) {
    ResourceContext ctx(runtime, request.address);
    type.plan(ctx, request, response);
    response.diagnostics.Append(ctx.diagnostics());
  }
  return response;
}

ApplyResponse ApplyWith(const ResourceType& type, const ProviderRuntime& runtime,
                        const ApplyRequest& request) {
  ResourceContext ctx(runtime, request.address, request.client_token);
  switch (request.action) {
    case ApplyAction::kCreate:
      return Create(type, ctx, request.planned_state);
    case ApplyAction::kUpdate:
      return Update(type, runtime, ctx, request.prior_state, request.planned_state);
    case ApplyAction::kDelete:
      type.remove(ctx, request.prior_state);
      return ctx.failed() ? Failed(ctx, Value()) : ApplyResponse{Value(), ctx.diagnostics()};
  }
  return {};
}

ReadResponse ReadWith(const ResourceType& type, const ProviderRuntime& runtime,
                      const ReadRequest& request) {
  ResourceContext ctx(runtime, request.address);
  Value state = type.read(ctx, request.current_state);
  return {ctx.failed() ? Value() : state, ctx.diagnostics()};
}

std::vector<ReadResponse> ReadManyWith(const ResourceType& type, const ProviderRuntime& runtime,
                                       const std::vector<ReadRequest>& requests) {
  if (type.read_batch && requests.size() > 1) {
    ResourceContext batch(runtime, "");
    std::vector<ReadResponse> out = type.read_batch(batch, requests);
    out.resize(requests.size());
    return out;
  }
  std::vector<ReadResponse> out(requests.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < requests.size(); i = next++) out[i] = ReadWith(type, runtime, requests[i]);
  };
  std::vector<std::thread> threads;
  std::size_t count = std::min(kParallelReads, requests.size());
  for (std::size_t t = 1; t < count; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  return out;
}

ImportResponse ImportWith(const ResourceType& type, const ProviderRuntime& runtime,
                          const ImportRequest& request) {
  ResourceContext ctx(runtime, request.address);
  Value state = type.import(ctx, request.id);
  return {ctx.failed() ? Value() : state, ctx.diagnostics()};
}

ReadResponse AdoptWith(const ResourceType& type, const ProviderRuntime& runtime,
                       const AdoptRequest& request) {
  if (!type.adopt) return {};
  ResourceContext ctx(runtime, request.address, request.client_token);
  Value found = type.adopt(ctx, request.planned_state);
  if (ctx.failed() || found.is_null()) return {Value(), ctx.diagnostics()};
  Value state = type.read(ctx, KnownPart(request.planned_state, found));
  return {ctx.failed() ? Value() : state, ctx.diagnostics()};
}

}  // namespace reconcile::aws_provider
