#include "engine/instance_planner.h"

#include <algorithm>
#include <set>

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
      v = *configured;
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
  if (in.prior_tainted) {
    diags.Append(AskProvider(in, Value(), &response));
    change->action = Action::kReplace;
    change->after = response.planned_state;
    change->reason = "tainted: a previous create did not complete";
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
