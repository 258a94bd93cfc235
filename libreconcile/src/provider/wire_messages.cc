// The params and results of the protocol's methods.
#include <nlohmann/json.hpp>

#include "provider/wire.h"
#include "provider/wire_fields.h"

namespace reconcile::wire {

using nlohmann::json;

std::string_view ApplyActionName(ApplyAction action) {
  switch (action) {
    case ApplyAction::kCreate:
      return "create";
    case ApplyAction::kUpdate:
      return "update";
    case ApplyAction::kDelete:
      return "delete";
  }
  return "create";
}

namespace {

bool ParseApplyAction(const std::string& name, ApplyAction* out) {
  for (ApplyAction a : {ApplyAction::kCreate, ApplyAction::kUpdate, ApplyAction::kDelete}) {
    if (ApplyActionName(a) == name) {
      *out = a;
      return true;
    }
  }
  return false;
}

}  // namespace

json Encode(const ConfigureRequest& r) {
  return json{{"config", EncodeValue(r.config)}, {"stack", r.stack}, {"workspace", r.workspace}};
}

bool Decode(const json& j, ConfigureRequest* out, std::string* error) {
  FieldReader f(j, "configure params", error);
  return f.ValueField("config", &out->config)
      .String("stack", &out->stack)
      .String("workspace", &out->workspace)
      .ok();
}

json Encode(const PlanRequest& r) {
  return json{{"type", r.type},
              {"address", r.address},
              {"prior_state", EncodeValue(r.prior_state)},
              {"proposed_state", EncodeValue(r.proposed_state)},
              {"config", EncodeValue(r.config)}};
}

bool Decode(const json& j, PlanRequest* out, std::string* error) {
  FieldReader f(j, "plan params", error);
  return f.String("type", &out->type, true)
      .String("address", &out->address)
      .ValueField("prior_state", &out->prior_state)
      .ValueField("proposed_state", &out->proposed_state)
      .ValueField("config", &out->config)
      .ok();
}

json Encode(const ApplyRequest& r) {
  return json{{"type", r.type},
              {"address", r.address},
              {"action", ApplyActionName(r.action)},
              {"prior_state", EncodeValue(r.prior_state)},
              {"planned_state", EncodeValue(r.planned_state)},
              {"config", EncodeValue(r.config)},
              {"client_token", r.client_token}};
}

bool Decode(const json& j, ApplyRequest* out, std::string* error) {
  FieldReader f(j, "apply params", error);
  std::string action;
  f.String("type", &out->type, true)
      .String("address", &out->address)
      .String("action", &action, true)
      .ValueField("prior_state", &out->prior_state)
      .ValueField("planned_state", &out->planned_state)
      .ValueField("config", &out->config)
      .String("client_token", &out->client_token);
  if (f.ok() && !ParseApplyAction(action, &out->action))
    f.Fail("action", "must be \"create\", \"update\" or \"delete\"");
  return f.ok();
}

json Encode(const ReadRequest& r) {
  return json{
      {"type", r.type}, {"address", r.address}, {"current_state", EncodeValue(r.current_state)}};
}

bool Decode(const json& j, ReadRequest* out, std::string* error) {
  FieldReader f(j, "read params", error);
  return f.String("type", &out->type, true)
      .String("address", &out->address)
      .ValueField("current_state", &out->current_state)
      .ok();
}

json Encode(const ImportRequest& r) {
  return json{{"type", r.type}, {"address", r.address}, {"id", r.id}};
}

bool Decode(const json& j, ImportRequest* out, std::string* error) {
  FieldReader f(j, "import params", error);
  return f.String("type", &out->type, true)
      .String("address", &out->address)
      .String("id", &out->id, true)
      .ok();
}

json Encode(const AdoptRequest& r) {
  return json{{"type", r.type},
              {"address", r.address},
              {"planned_state", EncodeValue(r.planned_state)},
              {"client_token", r.client_token}};
}

bool Decode(const json& j, AdoptRequest* out, std::string* error) {
  FieldReader f(j, "adopt params", error);
  return f.String("type", &out->type, true)
      .String("address", &out->address)
      .ValueField("planned_state", &out->planned_state)
      .String("client_token", &out->client_token)
      .ok();
}

json Encode(const DataRequest& r) {
  return json{{"type", r.type}, {"address", r.address}, {"config", EncodeValue(r.config)}};
}

bool Decode(const json& j, DataRequest* out, std::string* error) {
  FieldReader f(j, "read_data params", error);
  return f.String("type", &out->type, true)
      .String("address", &out->address)
      .ValueField("config", &out->config)
      .ok();
}

json Encode(const UpgradeStateRequest& r) {
  return json{{"type", r.type}, {"from_version", r.from_version}, {"state", EncodeValue(r.state)}};
}

bool Decode(const json& j, UpgradeStateRequest* out, std::string* error) {
  FieldReader f(j, "upgrade_state params", error);
  return f.String("type", &out->type, true)
      .Int("from_version", &out->from_version)
      .ValueField("state", &out->state)
      .ok();
}

json Encode(const PlanResponse& r) {
  return json{{"planned_state", EncodeValue(r.planned_state)},
              {"requires_replace", r.requires_replace},
              {"diagnostics", EncodeDiagnostics(r.diagnostics)}};
}

bool Decode(const json& j, PlanResponse* out, std::string* error) {
  FieldReader f(j, "plan result", error);
  return f.ValueField("planned_state", &out->planned_state)
      .Strings("requires_replace", &out->requires_replace)
      .DiagnosticsField("diagnostics", &out->diagnostics)
      .ok();
}

json Encode(const ApplyResponse& r) {
  json out{{"new_state", EncodeValue(r.new_state)},
           {"diagnostics", EncodeDiagnostics(r.diagnostics)}};
  // Sent only when set, so older hosts see exactly the answers they know.
  if (r.outcome_unknown) out["outcome_unknown"] = true;
  return out;
}

bool Decode(const json& j, ApplyResponse* out, std::string* error) {
  FieldReader f(j, "apply result", error);
  return f.ValueField("new_state", &out->new_state)
      .DiagnosticsField("diagnostics", &out->diagnostics)
      .Bool("outcome_unknown", &out->outcome_unknown)
      .ok();
}

json Encode(const ReadResponse& r) {
  return json{{"new_state", EncodeValue(r.new_state)},
              {"diagnostics", EncodeDiagnostics(r.diagnostics)}};
}

bool Decode(const json& j, ReadResponse* out, std::string* error) {
  FieldReader f(j, "read result", error);
  return f.ValueField("new_state", &out->new_state)
      .DiagnosticsField("diagnostics", &out->diagnostics)
      .ok();
}

json Encode(const ImportResponse& r) {
  return json{{"state", EncodeValue(r.state)}, {"diagnostics", EncodeDiagnostics(r.diagnostics)}};
}

bool Decode(const json& j, ImportResponse* out, std::string* error) {
  FieldReader f(j, "import result", error);
  return f.ValueField("state", &out->state).DiagnosticsField("diagnostics", &out->diagnostics).ok();
}

json Encode(const DataResponse& r) {
  return json{{"state", EncodeValue(r.state)}, {"diagnostics", EncodeDiagnostics(r.diagnostics)}};
}

bool Decode(const json& j, DataResponse* out, std::string* error) {
  FieldReader f(j, "read_data result", error);
  return f.ValueField("state", &out->state).DiagnosticsField("diagnostics", &out->diagnostics).ok();
}

json Encode(const UpgradeStateResponse& r) {
  return json{{"state", EncodeValue(r.state)}, {"diagnostics", EncodeDiagnostics(r.diagnostics)}};
}

bool Decode(const json& j, UpgradeStateResponse* out, std::string* error) {
  FieldReader f(j, "upgrade_state result", error);
  return f.ValueField("state", &out->state).DiagnosticsField("diagnostics", &out->diagnostics).ok();
}

json Encode(const RolloutRequest& r) {
  return json{{"type", r.type}, {"address", r.address}, {"state", EncodeValue(r.state)}};
}

bool Decode(const json& j, RolloutRequest* out, std::string* error) {
  FieldReader f(j, "rollout_status params", error);
  return f.String("type", &out->type, true)
      .String("address", &out->address)
      .ValueField("state", &out->state)
      .ok();
}

json Encode(const RolloutResponse& r) {
  return json{{"phase", RolloutPhaseName(r.phase)},
              {"name", r.name},
              {"revision", r.revision},
              {"state", r.state},
              {"running", r.running},
              {"desired", r.desired},
              {"pending", r.pending},
              {"failed", r.failed},
              {"message", r.message},
              {"diagnostics", EncodeDiagnostics(r.diagnostics)}};
}

bool Decode(const json& j, RolloutResponse* out, std::string* error) {
  FieldReader f(j, "rollout_status result", error);
  std::string phase = "none";
  f.String("phase", &phase)
      .String("name", &out->name)
      .String("revision", &out->revision)
      .String("state", &out->state)
      .Int("running", &out->running)
      .Int("desired", &out->desired)
      .Int("pending", &out->pending)
      .Int("failed", &out->failed)
      .String("message", &out->message)
      .DiagnosticsField("diagnostics", &out->diagnostics);
  if (f.ok() && !ParseRolloutPhase(phase, &out->phase))
    f.Fail("phase", "expected none, in_progress, completed, failed or rolled_back");
  return f.ok();
}

}  // namespace reconcile::wire
