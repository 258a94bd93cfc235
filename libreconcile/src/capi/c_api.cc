// The C ABI of reconcile/c_api.h over the C++ Engine: JSON documents in and
// out, each call run under the handle's lock, every exception caught here.
#include "reconcile/c_api.h"

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>

#include <nlohmann/json.hpp>

#include "capi/options_json.h"
#include "reconcile/engine.h"
#include "reconcile/json_events.h"

#ifndef RECONCILE_LIBDIR_TO_PLUGINS
#define RECONCILE_LIBDIR_TO_PLUGINS "../libexec/reconcile"
#endif

using nlohmann::json;
using reconcile::Diagnostics;

namespace {

// How many of its latest plans an engine keeps for rc_apply.
constexpr std::size_t kRememberedPlans = 8;

struct RememberedPlan {
  json document;  // what rc_plan returned, parsed
  reconcile::Plan plan;
};

}  // namespace

struct rc_engine {
  rc_engine() : events([this](const std::string& event) { Forward(event); }) {}

  void Forward(const std::string& event) {
    std::lock_guard<std::recursive_mutex> lock(callback_mutex);
    if (callback != nullptr) callback(event.c_str(), user);
  }

  // Guards the callback; held while it runs, so once rc_set_event_callback
  // returns the old callback is not called again.
  std::recursive_mutex callback_mutex;
  rc_event_callback callback = nullptr;
  void* user = nullptr;
  reconcile::JsonEventStream events;

  // rc_deploy's wait for rollouts: rc_cancel then stops the wait (the engine
  // has no operation to interrupt, and must not carry the cancel into the next).
  std::atomic<bool> waiting{false};
  std::atomic<bool> stop_waiting{false};
  std::mutex call_mutex;  // one operation at a time
  std::unique_ptr<reconcile::Engine> engine;
  std::deque<RememberedPlan> plans;  // oldest first
};

namespace {

char* Copy(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out != nullptr) std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

void Set(char** out, const std::string& text) {
  if (out != nullptr) *out = Copy(text);
}

void Clear(char** out) {
  if (out != nullptr) *out = nullptr;
}

// Runs `body` with every exception turned into an error diagnostic, then
// reports the diagnostics (as events and in *diagnostics_json).
template <typename Body>
int Guarded(rc_engine* handle, const char* function, char** diagnostics_json, Body&& body) {
  Clear(diagnostics_json);
  Diagnostics diags;
  int result = RC_ERROR;
  try {
    if (handle == nullptr) {
      diags.Error(std::string(function) + ": the engine is NULL", "Pass the handle rc_open returned.");
    } else {
      result = body(diags);
    }
  } catch (const std::exception& e) {
    diags.Error(std::string("Internal error in ") + function, e.what());
    result = RC_ERROR;
  } catch (...) {
    diags.Error(std::string("Internal error in ") + function, "An unknown exception was caught.");
    result = RC_ERROR;
  }
  if (diags.HasErrors() && result != RC_ERROR) result = RC_ERROR;
  try {
    if (handle != nullptr) handle->events.WriteDiagnostics(diags);
    Set(diagnostics_json, reconcile::DiagnosticsToJson(diags));
  } catch (...) {
    Set(diagnostics_json, "[{\"severity\":\"error\",\"summary\":\"Internal error\",\"detail\":\"\"}]");
  }
  return result;
}

// <libdir>/../libexec/reconcile of the library holding this code, when it is
// a directory: the plugins installed with it.
std::string InstalledPluginDir() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&rc_open), &info) == 0 || info.dli_fname == nullptr) return {};
  std::error_code error;
  std::filesystem::path library = std::filesystem::canonical(info.dli_fname, error);
  if (error) return {};
  std::filesystem::path dir = (library.parent_path() / RECONCILE_LIBDIR_TO_PLUGINS).lexically_normal();
  return std::filesystem::is_directory(dir, error) ? dir.string() : std::string();
}

json SummaryJson(const reconcile::ApplySummary& summary) {
  return {{"add", summary.added},
          {"change", summary.changed},
          {"remove", summary.destroyed},
          {"failed", summary.failed},
          {"elapsed_ms", summary.elapsed.count()}};
}

// After an apply: the outputs event, as `apply --json` documents.
void ReportOutputs(rc_engine* handle, Diagnostics& diags) {
  std::map<std::string, reconcile::OutputValue> outputs;
  Diagnostics read = handle->engine->Outputs(&outputs);
  if (read.HasErrors()) {
    diags.Append(read);
    return;
  }
  handle->events.WriteOutputs(outputs);
}

// Applies a plan document this engine did not make: plans again under the
// lock and applies only when the new plan is the same document.
int ApplyForeignPlan(rc_engine* handle, const json& document, reconcile::ApplySummary* summary,
                     Diagnostics& diags) {
  reconcile::PlanOptions options;
  options.destroy = document.value("destroy", false);
  if (auto targets = document.find("targets"); targets != document.end() && targets->is_array())
    for (const json& target : *targets)
      if (target.is_string()) options.targets.push_back(target.get<std::string>());
  std::string workspace = document.value("workspace", std::string());
  if (workspace != handle->engine->workspace()) {
    diags.Error("The plan is for workspace \"" + workspace + "\"",
                "The selected workspace is \"" + handle->engine->workspace() + "\". Select \"" + workspace +
                    "\" or make a new plan.");
    return RC_ERROR;
  }
  bool refused = false;
  reconcile::ApplyOptions apply;
  apply.confirm = [&](const reconcile::Plan& fresh) {
    json given = document;
    json made = json::parse(reconcile::PlanToJson(fresh));
    bool state_existed = given.value("state_existed", false);
    if (!state_existed && !fresh.state_existed) {
      // No state yet: each plan names a new lineage; nothing to compare.
      given.erase("lineage");
      made.erase("lineage");
    }
    if (made == given) return true;
    refused = true;
    std::uint64_t serial = given.value("serial", std::uint64_t{0});
    if (state_existed != fresh.state_existed ||
        (state_existed && (fresh.lineage != given.value("lineage", std::string()) || fresh.serial != serial))) {
      diags.Error("The plan is stale", "The state changed since this plan was made (plan: serial " +
                                           std::to_string(serial) + ", state: serial " +
                                           std::to_string(fresh.serial) + "). Make a new plan.");
    } else {
      diags.Error("The plan no longer matches the stack and its resources",
                  "Planning again under the lock gave another plan; nothing was changed. Make a new "
                  "plan.");
    }
    return false;
  };
  reconcile::Plan fresh;
  diags.Append(handle->engine->PlanAndApply(options, apply, &fresh, summary));
  return refused || diags.HasErrors() ? RC_ERROR : RC_OK;
}

// Sets a flag for its lifetime.
class Raised {
 public:
  explicit Raised(std::atomic<bool>& flag) : flag_(flag) { flag_ = true; }
  ~Raised() { flag_ = false; }
  Raised(const Raised&) = delete;
  Raised& operator=(const Raised&) = delete;

 private:
  std::atomic<bool>& flag_;
};

// Release values given that are not release variables of the stack.
std::vector<std::string> NotReleaseVariables(const std::vector<reconcile::VariableAssignment>& given,
                                             const reconcile::Plan& plan) {
  std::vector<std::string> out;
  for (const reconcile::VariableAssignment& v : given) {
    bool known = std::any_of(plan.release.begin(), plan.release.end(),
                             [&](const reconcile::ReleaseValue& r) { return r.name == v.name; });
    if (!known) out.push_back(v.name);
  }
  return out;
}

// What a wait's result says: the outcome and, for each rollout that did not
// complete, why.
std::string DeployOutcome(const reconcile::RolloutWaitResult& result, std::vector<std::string>* problems) {
  if (result.stopped) return "stopped";
  if (result.Succeeded()) return "completed";
  std::string outcome = result.timed_out ? "timed_out" : "failed";
  for (const reconcile::RolloutProgress& p : result.rollouts) {
    if (p.status.phase == reconcile::RolloutPhase::kCompleted) continue;
    if (p.status.phase == reconcile::RolloutPhase::kRolledBack) outcome = "rolled_back";
    problems->push_back(p.address + ": " +
                        (p.status.message.empty() ? std::string(reconcile::RolloutPhaseName(p.status.phase))
                                                  : p.status.message));
  }
  return outcome;
}

}  // namespace

extern "C" {

rc_engine* rc_open(const char* options_json, char** diagnostics_json) {
  Clear(diagnostics_json);
  Diagnostics diags;
  rc_engine* result = nullptr;
  try {
    auto handle = std::make_unique<rc_engine>();
    reconcile::EngineOptions options;
    diags = reconcile::capi::ParseEngineOptions(options_json == nullptr ? "" : options_json, &options);
    if (!diags.HasErrors()) {
      if (std::string installed = InstalledPluginDir(); !installed.empty())
        options.plugin_dirs.push_back(installed);
      options.observer = &handle->events;
      handle->engine = reconcile::Engine::Open(std::move(options), &diags);
      if (handle->engine) result = handle.release();
    }
  } catch (const std::exception& e) {
    diags.Error("Internal error in rc_open", e.what());
  } catch (...) {
    diags.Error("Internal error in rc_open", "An unknown exception was caught.");
  }
  try {
    Set(diagnostics_json, reconcile::DiagnosticsToJson(diags));
  } catch (...) {
    Set(diagnostics_json, "[{\"severity\":\"error\",\"summary\":\"Internal error\",\"detail\":\"\"}]");
  }
  return result;
}

int rc_plan(rc_engine* handle, const char* plan_options_json, char** plan_json, char** diagnostics_json) {
  Clear(plan_json);
  return Guarded(handle, "rc_plan", diagnostics_json, [&](Diagnostics& diags) {
    std::lock_guard<std::mutex> lock(handle->call_mutex);
    reconcile::PlanOptions options;
    diags.Append(reconcile::capi::ParsePlanOptions(plan_options_json == nullptr ? "" : plan_options_json, &options));
    if (diags.HasErrors()) return RC_ERROR;
    RememberedPlan made;
    diags.Append(handle->engine->MakePlan(options, &made.plan));
    if (diags.HasErrors()) return RC_ERROR;
    handle->events.WritePlan(made.plan, options.destroy ? "destroy" : "plan");
    std::string document = reconcile::PlanToJson(made.plan);
    made.document = json::parse(document);
    bool changes = made.plan.HasChanges();
    handle->plans.push_back(std::move(made));
    if (handle->plans.size() > kRememberedPlans) handle->plans.pop_front();
    Set(plan_json, document);
    return changes ? RC_CHANGES : RC_OK;
  });
}

int rc_apply(rc_engine* handle, const char* plan_json, char** summary_json, char** diagnostics_json) {
  Clear(summary_json);
  return Guarded(handle, "rc_apply", diagnostics_json, [&](Diagnostics& diags) {
    std::lock_guard<std::mutex> lock(handle->call_mutex);
    json document = json::parse(plan_json == nullptr ? "" : plan_json, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded() || !document.is_object() ||
        document.value("format_version", std::string()).rfind("1.", 0) != 0) {
      diags.Error("rc_apply: not a plan document",
                  "Pass the plan_json rc_plan returned (a JSON object with format_version \"1.x\").");
      return RC_ERROR;
    }
    reconcile::ApplySummary summary;
    int result = RC_OK;
    auto made = std::find_if(handle->plans.rbegin(), handle->plans.rend(),
                             [&](const RememberedPlan& p) { return p.document == document; });
    if (made != handle->plans.rend()) {
      diags.Append(handle->engine->Apply(made->plan, reconcile::ApplyOptions{}, &summary));
      result = diags.HasErrors() ? RC_ERROR : RC_OK;
    } else {
      result = ApplyForeignPlan(handle, document, &summary, diags);
    }
    if (result == RC_OK && !document.value("destroy", false)) ReportOutputs(handle, diags);
    Set(summary_json, SummaryJson(summary).dump());
    return result;
  });
}

int rc_destroy(rc_engine* handle, const char* options_json, char** summary_json, char** diagnostics_json) {
  Clear(summary_json);
  return Guarded(handle, "rc_destroy", diagnostics_json, [&](Diagnostics& diags) {
    std::lock_guard<std::mutex> lock(handle->call_mutex);
    reconcile::PlanOptions options;
    diags.Append(reconcile::capi::ParseDestroyOptions(options_json == nullptr ? "" : options_json, &options));
    if (diags.HasErrors()) return RC_ERROR;
    reconcile::ApplyOptions apply;
    apply.confirm = [&](const reconcile::Plan& plan) {
      handle->events.WritePlan(plan, "destroy");
      return true;
    };
    reconcile::Plan plan;
    reconcile::ApplySummary summary;
    diags.Append(handle->engine->PlanAndApply(options, apply, &plan, &summary));
    Set(summary_json, SummaryJson(summary).dump());
    return diags.HasErrors() ? RC_ERROR : RC_OK;
  });
}

int rc_refresh(rc_engine* handle, char** diagnostics_json) {
  return Guarded(handle, "rc_refresh", diagnostics_json, [&](Diagnostics& diags) {
    std::lock_guard<std::mutex> lock(handle->call_mutex);
    diags.Append(handle->engine->Refresh());
    return diags.HasErrors() ? RC_ERROR : RC_OK;
  });
}

int rc_outputs(rc_engine* handle, char** outputs_json, char** diagnostics_json) {
  Clear(outputs_json);
  return Guarded(handle, "rc_outputs", diagnostics_json, [&](Diagnostics& diags) {
    std::lock_guard<std::mutex> lock(handle->call_mutex);
    std::map<std::string, reconcile::OutputValue> outputs;
    diags.Append(handle->engine->Outputs(&outputs));
    if (diags.HasErrors()) return RC_ERROR;
    json document = json::object();
    for (const auto& [name, output] : outputs)
      document[name] = {{"sensitive", output.sensitive || output.value.ContainsSensitive()},
                        {"value", json::parse(reconcile::ToJson(output.value))}};
    Set(outputs_json, document.dump());
    return RC_OK;
  });
}

int rc_select_workspace(rc_engine* handle, const char* name, char** diagnostics_json) {
  return Guarded(handle, "rc_select_workspace", diagnostics_json, [&](Diagnostics& diags) {
    std::lock_guard<std::mutex> lock(handle->call_mutex);
    if (name == nullptr) {
      diags.Error("rc_select_workspace: the name is NULL", "Pass a workspace name such as \"prod\".");
      return RC_ERROR;
    }
    std::vector<std::string> names;
    diags.Append(handle->engine->ListWorkspaces(&names));
    if (diags.HasErrors()) return RC_ERROR;
    bool exists = std::find(names.begin(), names.end(), name) != names.end();
    diags.Append(exists ? handle->engine->SelectWorkspace(name) : handle->engine->NewWorkspace(name));
    return diags.HasErrors() ? RC_ERROR : RC_OK;
  });
}

int rc_workspaces(rc_engine* handle, char** workspaces_json, char** diagnostics_json) {
  Clear(workspaces_json);
  return Guarded(handle, "rc_workspaces", diagnostics_json, [&](Diagnostics& diags) {
    std::lock_guard<std::mutex> lock(handle->call_mutex);
    std::vector<std::string> names;
    diags.Append(handle->engine->ListWorkspaces(&names));
    if (diags.HasErrors()) return RC_ERROR;
    Set(workspaces_json, json{{"current", handle->engine->workspace()}, {"workspaces", names}}.dump());
    return RC_OK;
  });
}

int rc_deploy(rc_engine* handle, const char* options_json, char** result_json, char** diagnostics_json) {
  Clear(result_json);
  return Guarded(handle, "rc_deploy", diagnostics_json, [&](Diagnostics& diags) {
    std::lock_guard<std::mutex> lock(handle->call_mutex);
    reconcile::capi::DeployOptions options;
    diags.Append(reconcile::capi::ParseDeployOptions(options_json == nullptr ? "" : options_json, &options));
    if (diags.HasErrors()) return RC_ERROR;
    handle->stop_waiting = false;
    reconcile::PlanOptions plan_options;
    plan_options.variables = options.release;
    reconcile::ApplyOptions apply;
    apply.operation = "deploy";
    apply.confirm = [&](const reconcile::Plan& plan) {
      std::vector<std::string> unknown = NotReleaseVariables(options.release, plan);
      if (!unknown.empty()) {
        std::string names;
        for (const reconcile::ReleaseValue& r : plan.release) names += (names.empty() ? "" : ", ") + r.name;
        diags.Error("\"" + unknown.front() + "\" is not a release variable of this stack",
                    names.empty() ? "The stack declares no release variable; declare one with `release = true`."
                                  : "Release variables: " + names + ". Nothing was changed.");
        return false;
      }
      handle->events.WriteEvent("release_change", reconcile::ReleaseChangeJson(plan));
      handle->events.WritePlan(plan, "deploy");
      return true;
    };
    reconcile::Plan plan;
    reconcile::ApplySummary summary;
    diags.Append(handle->engine->PlanAndApply(plan_options, apply, &plan, &summary));
    json result = {{"release", json::parse(reconcile::ReleaseChangeJson(plan))},
                   {"summary", SummaryJson(summary)},
                   {"rollouts", json::array()},
                   {"problems", json::array()}};
    if (diags.HasErrors()) return RC_ERROR;
    std::string outcome = !plan.HasChanges() ? "unchanged" : !options.wait ? "not_waited" : "";
    if (outcome.empty()) {
      reconcile::RolloutWaitOptions wait = options.rollouts;
      wait.stop_requested = [handle] { return handle->stop_waiting.load(); };
      wait.on_progress = [handle](const std::vector<reconcile::RolloutProgress>& rollouts) {
        for (const reconcile::RolloutProgress& p : rollouts)
          handle->events.WriteEvent("rollout_progress", reconcile::RolloutProgressJson(p));
      };
      reconcile::RolloutWaitResult waited;
      {
        Raised waiting(handle->waiting);
        diags.Append(handle->engine->WaitForRollouts(plan, wait, &waited));
      }
      std::vector<std::string> problems;
      outcome = DeployOutcome(waited, &problems);
      for (const reconcile::RolloutProgress& p : waited.rollouts)
        result["rollouts"].push_back(json::parse(reconcile::RolloutProgressJson(p)));
      result["problems"] = problems;
      if (outcome != "completed") {
        std::string detail;
        for (const std::string& p : problems) detail += (detail.empty() ? "" : "\n") + p;
        diags.Error(outcome == "stopped"     ? "Deploy stopped waiting (cancelled); the rollouts go on"
                    : outcome == "timed_out" ? "Deploy timed out"
                    : outcome == "rolled_back" ? "Deploy rolled back"
                                               : "Deploy failed",
                    detail.empty() ? "Nothing more was changed." : detail);
      }
    }
    result["result"] = outcome;
    if (outcome == "completed" || outcome == "unchanged" || outcome == "not_waited") ReportOutputs(handle, diags);
    handle->events.WriteEvent("deploy_summary", json{{"operation", "deploy"},
                                                     {"workspace", handle->engine->workspace()},
                                                     {"result", outcome},
                                                     {"problems", result["problems"]},
                                                     {"rollouts", result["rollouts"]}}
                                                    .dump());
    Set(result_json, result.dump());
    return diags.HasErrors() ? RC_ERROR : RC_OK;
  });
}

int rc_history(rc_engine* handle, int limit, char** history_json, char** diagnostics_json) {
  Clear(history_json);
  return Guarded(handle, "rc_history", diagnostics_json, [&](Diagnostics& diags) {
    std::lock_guard<std::mutex> lock(handle->call_mutex);
    if (limit < 0) {
      diags.Error("rc_history: the limit is negative", "Pass 0 for the default (20) or a number of entries.");
      return RC_ERROR;
    }
    std::vector<reconcile::HistoryEntry> entries;
    diags.Append(handle->engine->History(limit == 0 ? 20 : static_cast<std::size_t>(limit), &entries));
    if (diags.HasErrors()) return RC_ERROR;
    Set(history_json, reconcile::HistoryToJson(handle->engine->workspace(), entries));
    return RC_OK;
  });
}

void rc_set_event_callback(rc_engine* handle, rc_event_callback callback, void* user) {
  if (handle == nullptr) return;
  std::lock_guard<std::recursive_mutex> lock(handle->callback_mutex);
  handle->callback = callback;
  handle->user = user;
}

void rc_cancel(rc_engine* handle) {
  // Not under call_mutex: the operation to stop holds it. The engine lives
  // until rc_close, which must not race this call.
  if (handle == nullptr || !handle->engine) return;
  if (handle->waiting) {
    handle->stop_waiting = true;
    return;
  }
  try {
    handle->engine->Cancel();
  } catch (...) {
    // Cancel reports through the events; nothing is left to tell here.
  }
}

void rc_free(char* text) { std::free(text); }

void rc_close(rc_engine* handle) {
  if (handle == nullptr) return;
  try {
    {
      std::lock_guard<std::mutex> lock(handle->call_mutex);
      handle->engine.reset();
    }
    delete handle;
  } catch (...) {
    // Stopping plugins reports through diagnostics, not exceptions; nothing
    // is left to tell the caller here.
  }
}

}  // extern "C"
