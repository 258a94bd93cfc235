// The machine-readable event stream (docs/json-format.md, "The event stream"):
// what `--json` prints one line at a time and what the C ABI hands to its
// event callback. Each event is one JSON object with "@version" and "type".
// Sensitive values never appear.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

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
  std::mutex mutex_;
};

// The diagnostics as a JSON array of the "diagnostic" events' bodies:
// [{"severity": "error", "summary": ..., "detail": ..., "range": {...}, "address": ...}].
std::string DiagnosticsToJson(const Diagnostics& diagnostics);

// A value as events show it, as JSON text: sensitive parts become
// {"sensitive": true}, unknown ones {"unknown": true}.
std::string RedactedValueJson(const Value& value);

}  // namespace reconcile
