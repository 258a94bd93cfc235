// The machine-readable event stream (docs/json-format.md, "The event stream"):
// what `--json` prints one line at a time and what the C ABI hands to its
// event callback. Each event is one JSON object with "@version" and "type".
// Sensitive values never appear.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "reconcile/diagnostics.h"
#include "reconcile/engine.h"
#include "reconcile/plan.h"

namespace reconcile {

inline constexpr const char* kJsonEventsVersion = "1.0";

// An Observer that turns what the engine reports into events and hands each
// to `sink`, one call at a time (calls come from the engine's worker threads).
class JsonEventStream : public Observer {
 public:
  using Sink = std::function<void(const std::string& event_json)>;
  explicit JsonEventStream(Sink sink) : sink_(std::move(sink)) {}

  void OnResourceEvent(const ResourceEvent& event) override;
  void OnDiagnostic(const Diagnostic& diagnostic) override;
  void OnApplySummary(const ApplySummary& summary) override;
  void OnMessage(const std::string& message) override;

  // "resource_drift" and "pending_operation" events, one "planned_change" per
  // change that is not a no-op, then "change_summary" for `operation`
  // ("plan", "apply" or "destroy").
  void WritePlan(const Plan& plan, const std::string& operation);
  // One "diagnostic" event each.
  void WriteDiagnostics(const Diagnostics& diagnostics);
  // One "outputs" event; a sensitive output's value is left out.
  void WriteOutputs(const std::map<std::string, OutputValue>& outputs);
  // One event of `type` carrying the members of `fields_json` (a JSON object's
  // text) after "@version" and "type" (deploy's "release_change",
  // "rollout_progress", "deploy_summary").
  void WriteEvent(const std::string& type, const std::string& fields_json);

 private:
  void Emit(const std::string& event_json);

  Sink sink_;
  // Recursive: a sink may call Engine::Cancel, which reports through here.
  std::recursive_mutex mutex_;
};

// The diagnostics as a JSON array of the "diagnostic" events' bodies:
// [{"severity": "error", "summary": ..., "detail": ..., "range": {...}, "address": ...}].
std::string DiagnosticsToJson(const Diagnostics& diagnostics);

// A value as events show it, as JSON text: sensitive parts become
// {"sensitive": true}, unknown ones {"unknown": true}.
std::string RedactedValueJson(const Value& value);

// The members of deploy's "release_change" event, as a JSON object's text:
// {"workspace": "prod", "values": [{"name", "before", "after", "origin",
// "changed"}]} (values redacted).
std::string ReleaseChangeJson(const Plan& plan);

// One rollout's latest status, as "rollout_progress" events and deploy
// summaries carry it: {"address", "name", "revision", "phase", "state",
// "running", "desired", "pending", "failed", "message", "elapsed_ms"}.
std::string RolloutProgressJson(const RolloutProgress& progress);

// `history --json`: {"workspace": W, "entries": [{"serial", "version",
// "time", "who", "operation", "summary": {"add", "change", "destroy"},
// "release": {name: value}, "task_definitions": {address: "family:rev"}}]}.
std::string HistoryToJson(const std::string& workspace, const std::vector<HistoryEntry>& entries);

}  // namespace reconcile
