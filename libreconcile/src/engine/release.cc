#include "engine/release.h"

#include <unistd.h>

#include <cstdlib>

namespace reconcile::engine {

bool HasReleaseVariables(const config::Module& root) {
  for (const auto& [name, variable] : root.variables)
    if (variable.release) return true;
  return false;
}

std::vector<ReleaseValue> DescribeRelease(const config::Module& root,
                                          const std::map<std::string, Value>& variables,
                                          const std::map<std::string, std::string>& origins,
                                          const State& recorded) {
  std::vector<ReleaseValue> out;
  for (const auto& [name, variable] : root.variables) {
    if (!variable.release) continue;
    ReleaseValue r;
    r.name = name;
    if (auto it = variables.find(name); it != variables.end()) r.after = it->second;
    if (auto it = recorded.release.find(name); it != recorded.release.end()) r.before = it->second;
    if (auto it = origins.find(name); it != origins.end()) r.origin = it->second;
    out.push_back(std::move(r));
  }
  return out;
}

bool RecordApply(const config::Module& root, const Plan& plan, const std::string& operation,
                 const ApplySummary& summary, State& state) {
  std::map<std::string, Value> release;
  for (const auto& [name, variable] : root.variables) {
    if (!variable.release) continue;
    auto it = plan.variables.find(name);
    if (it != plan.variables.end() && it->second.IsWhollyKnown()) release[name] = it->second;
  }
  bool release_changed = release.size() != state.release.size();
  for (const auto& [name, value] : release) {
    auto it = state.release.find(name);
    release_changed |= it == state.release.end() || !it->second.Equals(value);
  }
  if (!plan.HasChanges() && !release_changed) return false;
  state.release = std::move(release);
  ApplyRecord record;
  record.id = NewLineage();
  record.operation = !operation.empty() ? operation : plan.destroy ? "destroy" : "apply";
  record.who = CurrentUserAtHost();
  record.time = NowRfc3339();
  record.add = summary.added;
  record.change = summary.changed;
  record.destroy = summary.destroyed;
  state.last_apply = std::move(record);
  return true;
}

std::string CurrentUserAtHost() {
  const char* user = std::getenv("USER");
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return std::string(user != nullptr && *user != '\0' ? user : "unknown") + "@" + host;
}

}  // namespace reconcile::engine
