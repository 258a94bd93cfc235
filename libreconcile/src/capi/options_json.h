// The JSON documents the C ABI takes (reconcile/c_api.h): engine options for
// rc_open, plan options for rc_plan, destroy options for rc_destroy. A
// document is an object whose every member is known and of the right type;
// anything else is an error naming the member and what was expected.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "reconcile/diagnostics.h"
#include "reconcile/engine.h"

namespace reconcile::capi {

// Empty text means {}. Fills `out` (whose other fields keep their values).
Diagnostics ParseEngineOptions(std::string_view text, EngineOptions* out);
Diagnostics ParsePlanOptions(std::string_view text, PlanOptions* out);
// {"targets": [...]}; sets destroy.
Diagnostics ParseDestroyOptions(std::string_view text, PlanOptions* out);

// rc_deploy's options.
struct DeployOptions {
  std::vector<VariableAssignment> release;  // "release": {"image_tag": "v2"}
  bool wait = true;
  RolloutWaitOptions rollouts;  // "timeout_ms", "poll_interval_ms"
};
Diagnostics ParseDeployOptions(std::string_view text, DeployOptions* out);

// The text a JSON value gives a variable, as --var would take it: a string as
// it is, anything else as the literal expression that denotes it.
std::string VariableText(const nlohmann::json& value);

}  // namespace reconcile::capi
