// Release variables (docs/deploy.md): a root variable declared `release =
// true` keeps the value the workspace's last successful apply used, recorded
// in its state; later runs that do not set it use the recorded value. The
// same apply also leaves an ApplyRecord (who, what, when) in the state, which
// is what `reconcile history` reads back from earlier state versions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/stack/stack.h"
#include "reconcile/engine.h"
#include "reconcile/plan.h"
#include "reconcile/state.h"

namespace reconcile::engine {

// How plans name a value taken from the state.
inline constexpr const char* kRecordedOrigin = "recorded by the last apply";

bool HasReleaseVariables(const config::Module& root);

// Each release variable of `root`: the value resolved for this run, where it
// came from (`origins`, from ResolveRootVariables), and what `recorded` held.
std::vector<ReleaseValue> DescribeRelease(const config::Module& root,
                                          const std::map<std::string, Value>& variables,
                                          const std::map<std::string, std::string>& origins,
                                          const State& recorded);

// After a successful apply of `plan`: records its release values and an
// ApplyRecord for `operation` ("apply" or "destroy" when empty). Returns false
// (and leaves `state` alone) when the apply changed nothing worth recording.
bool RecordApply(const config::Module& root, const Plan& plan, const std::string& operation,
                 const ApplySummary& summary, State& state);

// user@host of this process.
std::string CurrentUserAtHost();

}  // namespace reconcile::engine
