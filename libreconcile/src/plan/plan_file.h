// A saved plan's document on its own, without the file around it: what
// WritePlanFile writes and ReadPlanFile reads (the plan-file fuzz target
// parses it from memory).
#pragma once

#include <string>
#include <string_view>

#include "reconcile/plan.h"

namespace reconcile {

std::string SerializePlan(const Plan& plan);
// Parses a saved plan's text; `path` names the file in messages.
Diagnostics ParsePlanFile(std::string_view content, const std::string& path, Plan* out);

}  // namespace reconcile
