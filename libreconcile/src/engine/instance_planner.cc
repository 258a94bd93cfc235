#include "engine/instance_planner.h"

#include <algorithm>
#include <set>

#include "engine/schema_conform.h"

namespace reconcile::engine {

namespace {

bool Ignored(const config::Lifecycle* lifecycle, const std::string& name) {
  if (lifecycle == nullptr) return false;
  if (lifecycle->ignore_all_changes) return true;
  return std::find(lifecycle->ignore_changes.begin(), lifecycle->ignore_changes.end(), name) !=
         lifecycle->ignore_changes.end();
}

// Copies the prior value at `path` into `proposed` (ignore_changes on a
// nested path such as "tags.Name").
void KeepPriorAt(Value& proposed, const Value& prior, const ValuePath& path) {
  const Value* from = &prior;
  for (const PathStep& step : path) {
    if (step.is_index) {
      if (!from->is_list() || step.index >= from->AsList().size()) return;
      from = &from->AsList()[step.index];
    } else {
      from = from->Find(step.key);
      if (from == nullptr) return;
    }
  }
  Value* to = &proposed;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const PathStep& step = path[i];
    if (step.is_index) {
      if (!to->is_list() || step.index >= to->AsList().size()) return;
      to = &to->MutableList()[step.index];
    } else {
      if (to->is_null()) *to = Value::Map({});
      if (!to->is_map()) return;
      to = &to->MutableMap()[step.key];
    }
  }
  *to = *from;
}

Value MergeNested(const Attribute& a, const Value& configured, const Value* previous);

// A configured block's unset computed fields take the prior block's values.
Value MergeObject(const std::vector<Attribute>& fields, const Value& configured, const Value& previous) {
  if (!configured.is_map() || !previous.is_map()) return configured;
  Value out = configured;
  for (const Attribute& f : fields) {
    const Value* mine = configured.Find(f.name);
    const Value* before = previous.Find(f.name);
    if (before == nullptr) continue;
    if ((mine == nullptr || mine->is_null()) && f.computed) {
      out.Set(f.name, *before);
    } else if (mine != nullptr && !f.nested.empty()) {
      out.Set(f.name, MergeNested(f, *mine, before));
    }
  }
  return out;
}

// Nested blocks: fields the provider computes are kept from the prior block at
// the same position, so a block that only omits them is not a change.
Value MergeNested(const Attribute& a, const Value& configured, const Value* previous) {
  if (previous == nullptr || a.nested.empty()) return configured;
  if (a.type == AttributeType::kObject) return MergeObject(a.nested, configured, *previous);
  if (!configured.is_list() || !previous->is_list()) return configured;
  Value out = configured;
  ValueList& items = out.MutableList();
  const ValueList& before = previous->AsList();
  for (std::size_t i = 0; i < items.size() && i < before.size(); ++i)
    items[i] = MergeObject(a.nested, items[i], before[i]);
  return out;
}

}  // namespace

Value ProposeState(const ResourceSchema& schema, const Value& prior, const Value& config,
                   const config::Lifecycle* lifecycle) {
  ValueMap out;
  for (const Attribute& a : schema.attributes) {
    const Value* configured = config.Find(a.name);
    const Value* previous = prior.Find(a.name);
    Value v;
    if (!prior.is_null() && Ignored(lifecycle, a.name)) {
      v = previous ? *previous : Value();
    } else if (configured != nullptr && !configured->is_null()) {
      v = MergeNested(a, *configured, previous);
    } else if (a.computed) {
      v = prior.is_null() ? Value::Unknown() : (previous ? *previous : Value());
    } else if (!a.default_value.is_null()) {
      v = a.default_value;
    }
    if (a.sensitive && !v.is_null()) v.set_sensitive(true);
    out.emplace(a.name, std::move(v));
  }
  Value proposed = Value::Map(std::move(out));
  if (lifecycle != nullptr && !prior.is_null()) {
    for (const std::string& path_text : lifecycle->ignore_changes) {
      ValuePath path;
      if (ParsePath(path_text, &path) && path.size() > 1) KeepPriorAt(proposed, prior, path);
    }
  }
  return proposed;
}

std::vector<std::string> ChangedAttributes(const Value& prior, const Value& planned) {
  std::set<std::string> names;
  if (planned.is_map()) {
    for (const auto& [k, v] : planned.AsMap()) {
      const Value* p = prior.Find(k);
      if (p == nullptr ? !v.is_null() : !p->Equals(v)) names.insert(k);
    }
  }
  if (prior.is_map()) {
    for (const auto& [k, v] : prior.AsMap())
      if (planned.Find(k) == nullptr && !v.is_null()) names.insert(k);
  }
  return {names.begin(), names.end()};
}

namespace {

Diagnostics AskProvider(const InstancePlanInput& in, const Value& prior, PlanResponse* out) {
  Value proposed = ProposeState(*in.schema, prior, in.config, in.lifecycle);
  PlanRequest request{in.type, in.address, prior, proposed, in.config};
  *out = in.provider->PlanResource(request);
  // Write-only values reach the provider at apply time, never a plan.
  out->planned_state = WithoutWriteOnly(*in.schema, out->planned_state);
  for (Diagnostic& d : out->diagnostics.items())
    if (d.address.empty()) d.address = in.address;
  return out->diagnostics;
}

}  // namespace

Diagnostics PlanInstance(const InstancePlanInput& in, PlannedChange* change) {
  Diagnostics diags;
  change->before = in.prior;
  PlanResponse response;
  if (in.prior.is_null()) {
    diags.Append(AskProvider(in, Value(), &response));
    change->action = Action::kCreate;
    change->after = response.planned_state;
    return diags;
  }
  if (in.replace_requested || in.prior_tainted) {
    diags.Append(AskProvider(in, Value(), &response));
    change->action = Action::kReplace;
    change->after = response.planned_state;
    change->reason = in.replace_requested ? kReasonReplaceRequested : kReasonTainted;
    return diags;
  }
  diags.Append(AskProvider(in, in.prior, &response));
  if (diags.HasErrors()) return diags;
  std::vector<std::string> changed = ChangedAttributes(in.prior, response.planned_state);
  if (changed.empty()) {
    change->action = Action::kNoOp;
    change->after = response.planned_state;
    return diags;
  }
  std::set<std::string> forcing(response.requires_replace.begin(), response.requires_replace.end());
  for (const std::string& name : changed) {
    const Attribute* a = in.schema->Find(name);
    if (a != nullptr && a->force_new) forcing.insert(name);
  }
  if (forcing.empty()) {
    change->action = Action::kUpdate;
    change->after = response.planned_state;
    return diags;
  }
  change->action = Action::kReplace;
  change->replace_paths.assign(forcing.begin(), forcing.end());
  PlanResponse fresh;
  diags.Append(AskProvider(in, Value(), &fresh));
  change->after = fresh.planned_state;
  return diags;
}

}  // namespace reconcile::engine
