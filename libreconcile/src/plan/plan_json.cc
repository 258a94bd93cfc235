// PlanToJson: the machine-readable plan (docs/json-format.md). Sensitive
// values become {"sensitive": true} and unknown ones {"unknown": true}.
#include "reconcile/plan.h"
#include "state/json_writer.h"

namespace reconcile {

namespace {

constexpr const char* kPlanJsonVersion = "1.0";

void WriteRedacted(json::Writer& w, const Value& v) {
  if (v.sensitive()) {
    w.BeginObject();
    w.Field("sensitive", true);
    w.EndObject();
  } else if (v.is_unknown()) {
    w.BeginObject();
    w.Field("unknown", true);
    w.EndObject();
  } else if (v.is_list()) {
    w.BeginArray();
    for (const Value& item : v.AsList()) WriteRedacted(w, item);
    w.EndArray();
  } else if (v.is_map()) {
    w.BeginObject();
    for (const auto& [key, item] : v.AsMap()) {
      w.Key(key);
      WriteRedacted(w, item);
    }
    w.EndObject();
  } else {
    w.Value(v);
  }
}

void RedactedField(json::Writer& w, std::string_view key, const Value& v) {
  w.Key(key);
  WriteRedacted(w, v);
}

void WriteChange(json::Writer& w, const PlannedChange& change) {
  w.BeginObject();
  w.Field("address", change.address);
  w.Field("mode", change.mode == ResourceMode::kData ? "data" : "managed");
  w.Field("type", change.type);
  w.Field("provider", change.provider);
  w.Field("action", ActionName(change.action));
  RedactedField(w, "before", change.before);
  RedactedField(w, "after", change.after);
  w.Field("replace_paths", change.replace_paths);
  w.Field("create_before_destroy", change.create_before_destroy);
  w.Field("reason", change.reason);
  w.Field("depends_on", change.depends_on);
  // Deposed objects by id only: their attributes carry no sensitivity marks.
  std::vector<std::string> deposed;
  for (const Value& object : change.deposed) deposed.push_back(ObjectId(object));
  w.Field("deposed", deposed);
  w.EndObject();
}

void WriteChanges(json::Writer& w, std::string_view key, const std::vector<PlannedChange>& changes) {
  w.Key(key);
  w.BeginArray();
  for (const PlannedChange& change : changes) WriteChange(w, change);
  w.EndArray();
}

void WritePending(json::Writer& w, const std::vector<PendingOperation>& pending) {
  w.Key("pending_operations");
  w.BeginArray();
  for (const PendingOperation& op : pending) {
    w.BeginObject();
    w.Field("address", op.address);
    w.Field("type", op.type);
    w.Field("provider", op.provider);
    w.Field("action", op.action);
    w.Field("started", op.started);
    w.Field("outcome_unknown", op.outcome_unknown);
    w.EndObject();
  }
  w.EndArray();
}

void WriteOutputs(json::Writer& w, const std::vector<OutputChange>& outputs) {
  w.Key("output_changes");
  w.BeginArray();
  for (const OutputChange& output : outputs) {
    w.BeginObject();
    w.Field("name", output.name);
    w.Field("action", ActionName(output.action));
    w.Field("sensitive", output.sensitive);
    RedactedField(w, "before", output.sensitive && !output.before.is_null() ? output.before.MarkedSensitive()
                                                                            : output.before);
    RedactedField(w, "after", output.sensitive && !output.after.is_null() ? output.after.MarkedSensitive()
                                                                          : output.after);
    w.EndObject();
  }
  w.EndArray();
}

void WriteSummary(json::Writer& w, const Plan& plan) {
  PlanSummary summary = plan.Summary();
  w.Key("summary");
  w.BeginObject();
  w.Field("add", summary.add);
  w.Field("change", summary.change);
  w.Field("destroy", summary.destroy);
  w.Field("read", summary.read);
  w.EndObject();
  w.Field("changes_present", plan.HasChanges());
}

}  // namespace

std::string PlanToJson(const Plan& plan) {
  std::string out;
  json::Writer w(&out, false);
  w.BeginObject();
  w.Field("format_version", kPlanJsonVersion);
  w.Field("workspace", plan.workspace);
  w.Field("lineage", plan.lineage);
  w.Field("serial", plan.serial);
  w.Field("state_existed", plan.state_existed);
  w.Field("destroy", plan.destroy);
  w.Field("targets", plan.targets);
  w.Field("replace", plan.replace);
  w.Field("excludes", plan.excludes);
  w.Key("excluded");
  w.BeginArray();
  for (const ExcludedInstance& e : plan.excluded) {
    w.BeginObject();
    w.Field("address", e.address);
    w.Field("because_of", e.because_of);
    w.EndObject();
  }
  w.EndArray();
  w.Key("variables");
  w.BeginObject();
  for (const auto& [name, value] : plan.variables) RedactedField(w, name, value);
  w.EndObject();
  w.Key("release_values");
  w.BeginArray();
  for (const ReleaseValue& r : plan.release) {
    w.BeginObject();
    w.Field("name", r.name);
    RedactedField(w, "before", r.before);
    RedactedField(w, "after", r.after);
    w.Field("origin", r.origin);
    w.Field("changed", r.changed());
    w.EndObject();
  }
  w.EndArray();
  WriteChanges(w, "resource_changes", plan.changes);
  WriteChanges(w, "resource_drift", plan.drift);
  WritePending(w, plan.pending);
  WriteOutputs(w, plan.outputs);
  WriteSummary(w, plan);
  w.EndObject();
  return out;
}

}  // namespace reconcile
