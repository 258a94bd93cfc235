#include "reconcile/provider.h"

namespace reconcile {

namespace {

Attribute Make(std::string name, AttributeType type, bool required, bool optional, bool computed) {
  Attribute a;
  a.name = std::move(name);
  a.type = type;
  a.required = required;
  a.optional = optional;
  a.computed = computed;
  return a;
}

}  // namespace

Attribute Attribute::Required(std::string name, AttributeType type) {
  return Make(std::move(name), type, true, false, false);
}
Attribute Attribute::Optional(std::string name, AttributeType type) {
  return Make(std::move(name), type, false, true, false);
}
Attribute Attribute::Computed(std::string name, AttributeType type) {
  return Make(std::move(name), type, false, false, true);
}
Attribute Attribute::OptionalComputed(std::string name, AttributeType type) {
  return Make(std::move(name), type, false, true, true);
}

const Attribute* ResourceSchema::Find(std::string_view name) const {
  for (const Attribute& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

Diagnostics Provider::ValidateResource(const std::string&, const Value&) { return {}; }

PlanResponse Provider::PlanResource(const PlanRequest& request) {
  return PlanResponse{request.proposed_state, {}, {}};
}

std::vector<ReadResponse> Provider::ReadResources(const std::vector<ReadRequest>& requests) {
  std::vector<ReadResponse> out;
  out.reserve(requests.size());
  for (const ReadRequest& r : requests) out.push_back(ReadResource(r));
  return out;
}

ImportResponse Provider::ImportResource(const ImportRequest& request) {
  ImportResponse out;
  out.diagnostics.Error("Import is not supported for " + request.type,
                        "The " + Info().name + " provider cannot import this resource type.");
  return out;
}

ReadResponse Provider::AdoptResource(const AdoptRequest&) { return {}; }

DataResponse Provider::ReadDataSource(const DataRequest& request) {
  DataResponse out;
  out.diagnostics.Error("Unknown data source " + request.type,
                        "The " + Info().name + " provider has no data source of this type.");
  return out;
}

UpgradeStateResponse Provider::UpgradeState(const UpgradeStateRequest& request) {
  return UpgradeStateResponse{request.state, {}};
}

RolloutResponse Provider::RolloutStatus(const RolloutRequest&) { return {}; }

namespace {
constexpr std::pair<RolloutPhase, std::string_view> kRolloutPhaseNames[] = {
    {RolloutPhase::kNone, "none"},
    {RolloutPhase::kInProgress, "in_progress"},
    {RolloutPhase::kCompleted, "completed"},
    {RolloutPhase::kFailed, "failed"},
    {RolloutPhase::kRolledBack, "rolled_back"},
};
}  // namespace

std::string_view RolloutPhaseName(RolloutPhase phase) {
  for (const auto& [value, name] : kRolloutPhaseNames)
    if (value == phase) return name;
  return "none";
}

bool ParseRolloutPhase(std::string_view name, RolloutPhase* out) {
  for (const auto& [value, text] : kRolloutPhaseNames) {
    if (text != name) continue;
    *out = value;
    return true;
  }
  return false;
}

std::string ProviderNameForType(std::string_view type) {
  std::size_t underscore = type.find('_');
  return std::string(underscore == std::string_view::npos ? type : type.substr(0, underscore));
}

}  // namespace reconcile
