// Machine-readable output (--json): one JSON object per line, each with
// "@version" and "type" (docs/json-format.md). Sensitive values never appear.
#pragma once

#include <mutex>

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "reconcile/engine.h"
#include "reconcile/plan.h"

namespace reconcile::tool {

inline constexpr const char* kJsonEventsVersion = "1.0";

class JsonEventWriter : public Observer {
 public:
  void OnResourceEvent(const ResourceEvent& event) override;
  void OnDiagnostic(const Diagnostic& diagnostic) override;
  void OnApplySummary(const ApplySummary& summary) override;
  void OnMessage(const std::string& message) override;

  // One "planned_change" line per change, "drift" lines, then "change_summary".
  void WritePlan(const Plan& plan, const std::string& operation);
  void WriteDiagnostics(const Diagnostics& diags);
  void WriteOutputs(const std::map<std::string, OutputValue>& outputs);
  // A line of `type` with `fields` (an object) after "@version" and "type".
  void WriteEvent(const std::string& type, const nlohmann::json& fields);
  // A value for machine output: sensitive parts become {"sensitive": true}.
  static nlohmann::json RedactedValue(const Value& value);

 private:
  void Emit(const std::string& json_object_body);
  std::mutex mutex_;
};

}  // namespace reconcile::tool
