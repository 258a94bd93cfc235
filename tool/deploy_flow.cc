#include "deploy_flow.h"

#include <signal.h>

#include <atomic>
#include <map>
#include <set>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "command_line.h"
#include "json_events.h"
#include "progress.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

using nlohmann::json;

std::atomic<bool> interrupted{false};

void OnInterrupt(int) { interrupted = true; }

// SIGINT sets `interrupted` while this lives (waiting only: the apply before
// it keeps the tool's usual handling).
class InterruptWatch {
 public:
  InterruptWatch() {
    interrupted = false;
    struct sigaction action {};
    action.sa_handler = OnInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_);
  }
  ~InterruptWatch() { sigaction(SIGINT, &previous_, nullptr); }
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

 private:
  struct sigaction previous_ {};
};

std::string ValueText(const Value& value) { return value.is_null() ? "(none)" : ReleaseValueText(value); }

// "image_tag: 2024-05-01 -> 2024-05-08 in prod" per release value.
std::vector<std::string> Heading(const Plan& plan) {
  std::vector<std::string> lines;
  for (const ReleaseValue& r : plan.release) {
    if (r.changed())
      lines.push_back(fmt::format("{}: {} -> {} in {}", r.name, ValueText(r.before), ValueText(r.after),
                                  plan.workspace));
    else
      lines.push_back(fmt::format("{}: {} (unchanged) in {}", r.name, ValueText(r.after), plan.workspace));
  }
  return lines;
}

json ReleaseJson(const Plan& plan) { return json::parse(ReleaseChangeJson(plan)); }

json RolloutJson(const RolloutProgress& p) { return json::parse(RolloutProgressJson(p)); }

// "IN_PROGRESS, 1/2 running, 1 pending, 0 failed, app:3"
std::string StatusText(const RolloutResponse& s) {
  std::string state = s.state.empty() ? std::string(RolloutPhaseName(s.phase)) : s.state;
  return fmt::format("{}, {}/{} running, {} pending, {} failed{}", state, s.running, s.desired, s.pending, s.failed,
                     s.revision.empty() ? "" : ", " + s.revision);
}

// "aws_ecs_service.app (web): IN_PROGRESS, 1/2 running, 1 pending, 0 failed, app:3"
std::string ProgressLine(const RolloutProgress& p) {
  return fmt::format("{}{}: {}", p.address, p.status.name.empty() ? "" : " (" + p.status.name + ")",
                     StatusText(p.status));
}

// Names given on the command line that are not release variables of the stack.
std::vector<std::string> NotReleaseVariables(const std::vector<std::string>& assignments, const Plan& plan) {
  std::set<std::string> release;
  for (const ReleaseValue& r : plan.release) release.insert(r.name);
  std::vector<std::string> out;
  for (const std::string& a : assignments) {
    std::string name = a.substr(0, a.find('='));
    if (!release.count(name)) out.push_back(name);
  }
  return out;
}

// Whether `text` matches `pattern`, where '*' stands for any run of characters.
bool GlobMatch(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// "devbuild-* -> dev, release-* -> prod".
std::string ChannelList(const DeployChannels& channels) {
  std::string out;
  for (const auto& [pattern, workspace] : channels.channels)
    out += (out.empty() ? "" : ", ") + pattern + " -> " + workspace;
  return out;
}

// Routes flow.tag through the stack's channels: the workspace to deploy to,
// and the release value to set. False (reported) when it cannot.
bool RouteTag(const GlobalOptions& global, DeployFlow& flow, GlobalOptions* routed) {
  std::unique_ptr<Engine> engine = OpenEngine(global, flow.flags, nullptr);
  if (!engine) return false;
  DeployChannels channels = engine->Channels();
  if (channels.variable.empty() || channels.channels.empty()) {
    PrintError(global, "--tag needs [deploy] channels in the stack",
               "Declare them, e.g.\n  [deploy]\n  variable = \"image_tag\"\n  channels = { \"release-*\" = \"prod\" }\n"
               "or name the value: `reconcile deploy image_tag=" + flow.tag + "`.");
    return false;
  }
  for (const auto& [pattern, workspace] : channels.channels) {
    if (!GlobMatch(pattern, flow.tag)) continue;
    if (!global.workspace.empty() && global.workspace != workspace) {
      PrintError(global, fmt::format("Tag \"{}\" belongs to workspace \"{}\", not \"{}\"", flow.tag, workspace,
                                     global.workspace),
                 fmt::format("The channel \"{}\" routes it there; drop --workspace or deploy another tag.", pattern));
      return false;
    }
    routed->workspace = workspace;
    flow.assignments.push_back(channels.variable + "=" + flow.tag);
    return true;
  }
  PrintError(global, fmt::format("Tag \"{}\" matches no deploy channel", flow.tag),
             fmt::format("Channels: {}.", ChannelList(channels)));
  return false;
}

class DeployRun {
 public:
  DeployRun(const GlobalOptions& global, DeployFlow& flow)
      : global_(global), flow_(flow), color_(UseColor(global)), progress_(color_, !flow.json) {}

  int Run() {
    if (flow_.json && !flow_.auto_approve) {
      PrintError(global_, "--json needs --auto-approve",
                 "There is no way to answer the confirmation question in JSON mode.");
      return kExitError;
    }
    RolloutWaitOptions wait;
    if (!Durations(&wait)) return kExitError;
    for (const std::string& a : flow_.assignments) {
      if (a.find('=') == std::string::npos || a.front() == '=') {
        PrintError(global_, fmt::format("Invalid release value \"{}\"", a),
                   "Expected NAME=VALUE, e.g. `reconcile deploy image_tag=v42`.");
        return kExitError;
      }
      flow_.flags.vars.push_back(a);
    }
    Observer* observer = flow_.json ? static_cast<Observer*>(&json_) : &progress_;
    engine_ = OpenEngine(global_, flow_.flags, observer);
    if (!engine_) return kExitError;
    Plan plan;
    ApplySummary summary;
    ApplyOptions apply;
    apply.operation = flow_.operation;
    apply.confirm = [&](const Plan& p) { return Confirm(p); };
    Diagnostics diags = engine_->PlanAndApply({}, apply, &plan, &summary);
    Report(diags);
    if (!refusal_.empty()) {
      PrintError(global_, refusal_, refusal_detail_);
      return kExitError;
    }
    if (cancelled_) {
      PrintError(global_, "Deploy cancelled", "Nothing was changed.");
      return kExitError;
    }
    if (diags.HasErrors()) return kExitError;
    if (!plan.HasChanges()) return Finish("unchanged", {}, "Nothing to deploy: the workspace already runs it.");
    if (flow_.no_wait) return Finish("not_waited", {}, "Not waiting for rollouts (--no-wait).");
    return Wait(plan, wait);
  }

 private:
  bool Durations(RolloutWaitOptions* wait) {
    if (!ParseDuration(flow_.timeout, &wait->timeout)) {
      PrintError(global_, fmt::format("Invalid --timeout \"{}\"", flow_.timeout), "Expected a duration such as 30s or 10m.");
      return false;
    }
    if (!ParseDuration(flow_.poll_interval, &wait->poll_interval) || wait->poll_interval.count() <= 0) {
      PrintError(global_, fmt::format("Invalid --poll-interval \"{}\"", flow_.poll_interval),
                 "Expected a duration above zero such as 5s.");
      return false;
    }
    return true;
  }

  bool Confirm(const Plan& plan) {
    std::vector<std::string> unknown = NotReleaseVariables(flow_.assignments, plan);
    if (!unknown.empty()) {
      std::vector<std::string> names;
      for (const ReleaseValue& r : plan.release) names.push_back(r.name);
      refusal_ = fmt::format("\"{}\" is not a release variable of this stack", unknown.front());
      refusal_detail_ = names.empty() ? "The stack declares no release variable; declare one with `release = true`."
                                      : fmt::format("Release variables: {}.", fmt::join(names, ", "));
      return false;
    }
    if (flow_.json) {
      json_.WriteEvent("release_change", ReleaseJson(plan));
      json_.WritePlan(plan, flow_.operation);
      return true;
    }
    for (const std::string& line : Heading(plan)) fmt::print("{}\n", Styled(color_, Style::kStrong, line));
    fmt::print("\n{}", RenderPlan(plan, {color_, false}));
    if (!plan.HasChanges() || flow_.auto_approve) {
      fmt::print("\n");
      return true;
    }
    if (AskYes(flow_.operation == "rollback" ? "Do you want to roll back?" : "Do you want to deploy?",
               "reconcile will apply the plan above, then wait for the rollouts it starts.")) {
      fmt::print("\n");
      return true;
    }
    cancelled_ = true;
    return false;
  }

  void Report(const Diagnostics& diags) {
    if (flow_.json) json_.WriteDiagnostics(diags);
    else PrintDiagnostics(global_, diags);
  }

  int Wait(const Plan& plan, RolloutWaitOptions wait) {
    InterruptWatch watch;
    wait.stop_requested = [] { return interrupted.load(); };
    wait.on_progress = [&](const std::vector<RolloutProgress>& rollouts) { ShowProgress(rollouts); };
    if (!flow_.json) fmt::print("Waiting for rollouts (timeout {})...\n", FormatElapsed(wait.timeout));
    std::fflush(stdout);
    RolloutWaitResult result;
    Diagnostics diags = engine_->WaitForRollouts(plan, wait, &result);
    Report(diags);
    if (result.stopped)
      return Finish("stopped", result, "Stopped waiting (interrupted); the rollouts go on, nothing was changed.");
    if (result.Succeeded()) {
      std::string what = result.rollouts.empty() ? "Deploy complete: nothing to wait for."
                                                 : fmt::format("Deploy complete: {} rollout(s) completed.",
                                                               result.rollouts.size());
      return Finish("completed", result, what);
    }
    std::vector<std::string> problems;
    for (const RolloutProgress& p : result.rollouts) {
      if (p.status.phase == RolloutPhase::kCompleted) continue;
      if (p.status.phase == RolloutPhase::kInProgress)
        problems.push_back(fmt::format("{}: still {} after {}", p.address, StatusText(p.status),
                                       FormatElapsed(wait.timeout)));
      else
        problems.push_back(fmt::format("{}: {}", p.address, p.status.message));
    }
    std::string outcome = result.timed_out ? "timed_out" : "failed";
    for (const RolloutProgress& p : result.rollouts)
      if (p.status.phase == RolloutPhase::kRolledBack) outcome = "rolled_back";
    std::string summary = result.timed_out ? fmt::format("Deploy timed out after {}", FormatElapsed(wait.timeout))
                                           : "Deploy failed";
    return Finish(outcome, result, summary, problems);
  }

  void ShowProgress(const std::vector<RolloutProgress>& rollouts) {
    for (const RolloutProgress& p : rollouts) {
      std::string line = ProgressLine(p);
      if (shown_[p.address] == line) continue;
      shown_[p.address] = line;
      if (flow_.json) json_.WriteEvent("rollout_progress", RolloutJson(p));
      else fmt::print("  {} [{}]\n", line, FormatElapsed(p.elapsed));
      std::fflush(stdout);
    }
  }

  int Finish(const std::string& outcome, const RolloutWaitResult& result, const std::string& summary,
             const std::vector<std::string>& problems = {}) {
    bool ok = outcome == "completed" || outcome == "unchanged" || outcome == "not_waited";
    if (flow_.json) {
      json rollouts = json::array();
      for (const RolloutProgress& p : result.rollouts) rollouts.push_back(RolloutJson(p));
      json_.WriteEvent("deploy_summary",
                       {{"operation", flow_.operation}, {"workspace", engine_->workspace()},
                        {"result", outcome}, {"message", summary}, {"problems", problems}, {"rollouts", rollouts}});
      return ok ? kExitOk : kExitError;
    }
    if (ok) {
      fmt::print("\n{}\n", Styled(color_, Style::kSuccess, summary));
      return kExitOk;
    }
    std::string detail;
    for (const std::string& p : problems) detail += (detail.empty() ? "" : "\n") + p;
    if (outcome == "rolled_back" || outcome == "failed")
      detail += "\nThe state records the release values this run applied; `reconcile rollback` deploys the "
                "previous ones.";
    PrintError(global_, summary, detail);
    return kExitError;
  }

  const GlobalOptions& global_;
  DeployFlow& flow_;
  bool color_;
  JsonEventWriter json_;
  ProgressPrinter progress_;
  std::unique_ptr<Engine> engine_;
  bool cancelled_ = false;
  std::string refusal_;
  std::string refusal_detail_;
  std::map<std::string, std::string> shown_;  // last progress line per address
};

}  // namespace

void AddDeployFlags(CLI::App& app, DeployFlow& flow) {
  app.add_flag("--auto-approve", flow.auto_approve, "Do not ask for confirmation");
  app.add_flag("--json", flow.json, "Write one JSON object per line (needs --auto-approve; docs/deploy.md)");
  app.add_flag("--no-wait", flow.no_wait, "Apply, then return without waiting for the rollouts");
  app.add_option("--timeout", flow.timeout, "How long to wait for the rollouts (default 30m)")
      ->type_name("DURATION");
  app.add_option("--poll-interval", flow.poll_interval, "How often to ask how the rollouts go (default 5s)")
      ->type_name("DURATION");
  AddStackFlags(app, flow.flags, /*locking=*/true);
}

int RunDeployFlow(const GlobalOptions& global, DeployFlow& flow) {
  if (flow.tag.empty()) return DeployRun(global, flow).Run();
  GlobalOptions routed = global;
  if (!RouteTag(global, flow, &routed)) return kExitError;
  return DeployRun(routed, flow).Run();
}

}  // namespace reconcile::tool
