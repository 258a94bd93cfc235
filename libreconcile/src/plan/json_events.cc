// The --json event stream (docs/json-format.md): engine events, plans,
// diagnostics and outputs as one JSON object each.
#include "reconcile/json_events.h"

#include <nlohmann/json.hpp>

namespace reconcile {

namespace {

using nlohmann::json;

// A value for machine output: sensitive parts become {"sensitive": true},
// unknown ones {"unknown": true}.
json Redacted(const Value& v) {
  if (v.sensitive()) return json{{"sensitive", true}};
  if (v.is_unknown()) return json{{"unknown", true}};
  if (v.is_list()) {
    json arr = json::array();
    for (const Value& item : v.AsList()) arr.push_back(Redacted(item));
    return arr;
  }
  if (v.is_map()) {
    json obj = json::object();
    for (const auto& [k, item] : v.AsMap()) obj[k] = Redacted(item);
    return obj;
  }
  return json::parse(ToJson(v));
}

const char* PhaseName(Phase p) {
  switch (p) {
    case Phase::kRefresh:
      return "refresh";
    case Phase::kPlan:
      return "plan";
    case Phase::kApply:
      return "apply";
  }
  return "";
}

json Base(const char* type) { return json{{"@version", kJsonEventsVersion}, {"type", type}}; }

// The fields of a "diagnostic" event.
void AddDiagnosticFields(const Diagnostic& d, json& j) {
  j["severity"] = d.severity == Severity::kError ? "error" : "warning";
  j["summary"] = d.summary;
  j["detail"] = d.detail;
  if (d.range.valid())
    j["range"] = {{"filename", d.range.file}, {"line", d.range.line}, {"column", d.range.column}};
  if (!d.address.empty()) j["address"] = d.address;
}

}  // namespace

void JsonEventStream::WriteEvent(const std::string& type, const std::string& fields_json) {
  json j = Base(type.c_str());
  json fields = json::parse(fields_json);  // kept alive: items() refers into it
  for (const auto& [key, value] : fields.items()) j[key] = value;
  Emit(j.dump());
}

std::string RedactedValueJson(const Value& value) { return Redacted(value).dump(); }

std::string ReleaseChangeJson(const Plan& plan) {
  json values = json::array();
  for (const ReleaseValue& r : plan.release)
    values.push_back({{"name", r.name},
                      {"before", Redacted(r.before)},
                      {"after", Redacted(r.after)},
                      {"origin", r.origin},
                      {"changed", r.changed()}});
  return json{{"workspace", plan.workspace}, {"values", values}}.dump();
}

std::string RolloutProgressJson(const RolloutProgress& p) {
  const RolloutResponse& s = p.status;
  return json{{"address", p.address},
              {"name", s.name},
              {"revision", s.revision},
              {"phase", std::string(RolloutPhaseName(s.phase))},
              {"state", s.state},
              {"running", s.running},
              {"desired", s.desired},
              {"pending", s.pending},
              {"failed", s.failed},
              {"message", s.message},
              {"elapsed_ms", p.elapsed.count()}}
      .dump();
}

std::string HistoryToJson(const std::string& workspace, const std::vector<HistoryEntry>& entries) {
  json list = json::array();
  for (const HistoryEntry& e : entries) {
    json release = json::object();
    for (const auto& [name, value] : e.release) release[name] = Redacted(value);
    list.push_back({{"serial", e.serial},
                    {"version", e.version},
                    {"time", e.apply.time},
                    {"who", e.apply.who},
                    {"operation", e.apply.operation},
                    {"summary", {{"add", e.apply.add}, {"change", e.apply.change}, {"destroy", e.apply.destroy}}},
                    {"release", release},
                    {"task_definitions", e.task_definitions}});
  }
  return json{{"workspace", workspace}, {"entries", list}}.dump();
}

void JsonEventStream::Emit(const std::string& event_json) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (sink_) sink_(event_json);
}

void JsonEventStream::OnResourceEvent(const ResourceEvent& e) {
  if (e.phase == Phase::kPlan) return;
  std::string type = std::string(PhaseName(e.phase)) +
                     (e.status == EventStatus::kStarted    ? "_start"
                      : e.status == EventStatus::kFinished ? "_complete"
                                                           : "_errored");
  json j = Base(type.c_str());
  j["address"] = e.address;
  if (e.phase == Phase::kApply) j["action"] = std::string(ActionName(e.action));
  if (e.status != EventStatus::kStarted) j["elapsed_ms"] = e.elapsed.count();
  if (!e.id.empty()) j["id"] = e.id;
  if (!e.message.empty()) j["message"] = e.message;
  Emit(j.dump());
}

void JsonEventStream::OnDiagnostic(const Diagnostic& d) {
  Diagnostics one;
  one.Add(d);
  WriteDiagnostics(one);
}

void JsonEventStream::OnApplySummary(const ApplySummary& s) {
  json j = Base("change_summary");
  j["operation"] = "apply";
  j["add"] = s.added;
  j["change"] = s.changed;
  j["remove"] = s.destroyed;
  j["failed"] = s.failed;
  j["elapsed_ms"] = s.elapsed.count();
  Emit(j.dump());
}

void JsonEventStream::OnMessage(const std::string& message) {
  json j = Base("log");
  j["message"] = message;
  Emit(j.dump());
}

void JsonEventStream::WritePlan(const Plan& plan, const std::string& operation) {
  for (const PlannedChange& d : plan.drift) {
    json j = Base("resource_drift");
    j["address"] = d.address;
    j["action"] = std::string(ActionName(d.action));
    Emit(j.dump());
  }
  for (const PendingOperation& p : plan.pending) {
    json j = Base("pending_operation");
    j["address"] = p.address;
    j["action"] = p.action;
    j["started"] = p.started;
    Emit(j.dump());
  }
  for (const PlannedChange& c : plan.changes) {
    if (c.action == Action::kNoOp) continue;
    json j = Base("planned_change");
    j["address"] = c.address;
    j["action"] = std::string(ActionName(c.action));
    if (!c.reason.empty()) j["reason"] = c.reason;
    if (!c.replace_paths.empty()) j["replace_paths"] = c.replace_paths;
    j["before"] = Redacted(c.before);
    j["after"] = Redacted(c.after);
    Emit(j.dump());
  }
  PlanSummary s = plan.Summary();
  json j = Base("change_summary");
  j["operation"] = operation;
  j["add"] = s.add;
  j["change"] = s.change;
  j["remove"] = s.destroy;
  j["changes_present"] = plan.HasChanges();
  Emit(j.dump());
}

void JsonEventStream::WriteDiagnostics(const Diagnostics& diags) {
  for (const Diagnostic& d : diags) {
    json j = Base("diagnostic");
    AddDiagnosticFields(d, j);
    Emit(j.dump());
  }
}

void JsonEventStream::WriteOutputs(const std::map<std::string, OutputValue>& outputs) {
  json j = Base("outputs");
  json values = json::object();
  for (const auto& [name, o] : outputs) {
    bool sensitive = o.sensitive || o.value.ContainsSensitive();
    values[name] = {{"sensitive", sensitive}};
    if (!sensitive) values[name]["value"] = Redacted(o.value);
  }
  j["outputs"] = values;
  Emit(j.dump());
}

std::string DiagnosticsToJson(const Diagnostics& diagnostics) {
  json list = json::array();
  for (const Diagnostic& d : diagnostics) {
    json j = json::object();
    AddDiagnosticFields(d, j);
    list.push_back(std::move(j));
  }
  return list.dump();
}

}  // namespace reconcile
