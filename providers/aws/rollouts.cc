#include "rollouts.h"

#include <nlohmann/json.hpp>

#include "reconcile/provider_kit.h"
#include "services/json_call.h"
#include "services/ecs.h"

namespace reconcile::aws_provider {

namespace {

using nlohmann::json;

int Count(const json& deployment, const char* key) {
  auto it = deployment.find(key);
  return it != deployment.end() && it->is_number() ? it->get<int>() : 0;
}

// "app:42" of a task definition ARN or short name; its revision "42".
std::string Revision(const std::string& task_definition) {
  std::string name = EcsNameFromArn(task_definition);
  std::size_t colon = name.rfind(':');
  return colon == std::string::npos ? name : name.substr(colon + 1);
}

// Equal as FAMILY:REVISION; a family given alone matches any revision of it.
bool SameTaskDefinition(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  std::string x = EcsNameFromArn(a), y = EcsNameFromArn(b);
  if (x.find(':') == std::string::npos || y.find(':') == std::string::npos)
    return x.substr(0, x.find(':')) == y.substr(0, y.find(':'));
  return x == y;
}

// The first of a service's deployments whose status is `status`; null json when none.
json DeploymentWithStatus(const json& service, const std::string& status) {
  for (const json& d : service.value("deployments", json::array()))
    if (JsonString(d, "status") == status) return d;
  return json();
}

// A FAILED deployment of `task_definition`; null json when none.
json FailedDeploymentOf(const json& service, const std::string& task_definition) {
  for (const json& d : service.value("deployments", json::array()))
    if (JsonString(d, "rolloutState") == "FAILED" && SameTaskDefinition(JsonString(d, "taskDefinition"), task_definition))
      return d;
  return json();
}

// The newest event message of the service that mentions `text` ("" when none).
std::string EventMentioning(const json& service, const std::string& text) {
  for (const json& e : service.value("events", json::array())) {
    std::string message = JsonString(e, "message");
    if (message.find(text) != std::string::npos) return message;
  }
  return "";
}

// "3 tasks failed: ECS deployment circuit breaker: tasks failed to start."
std::string FailureText(const json& failed) {
  int tasks = Count(failed, "failedTasks");
  std::string reason = JsonString(failed, "rolloutStateReason");
  std::string out = std::to_string(tasks) + (tasks == 1 ? " task failed" : " tasks failed");
  return reason.empty() ? out : out + " (" + reason + ")";
}

RolloutResponse EcsServiceRollout(ResourceContext& ctx, const Value& state) {
  RolloutResponse out;
  std::string cluster = GetString(state, "cluster");
  std::string id = IdOf(state);
  std::string applied = GetString(state, "task_definition");
  out.name = GetString(state, "name");
  auto answer = EcsCall(ctx, "DescribeServices",
                        {{"cluster", cluster.empty() ? "default" : cluster},
                         {"services", {id.empty() ? out.name : id}}},
                        aws::Idempotency::kIdempotent);
  if (!answer) return out;
  json found;
  for (const json& s : answer->value("services", json::array()))
    if (JsonString(s, "status") != "INACTIVE") found = s;
  const json* service = found.is_null() ? nullptr : &found;
  if (service == nullptr) {
    out.phase = RolloutPhase::kFailed;
    out.message = "the service " + out.name + " no longer exists";
    return out;
  }
  json primary = DeploymentWithStatus(*service, "PRIMARY");
  if (primary.is_null()) return out;  // another deployment controller: nothing ECS rolls out
  std::string rolling = JsonString(primary, "taskDefinition");
  out.revision = EcsNameFromArn(rolling);
  out.state = JsonString(primary, "rolloutState");
  out.running = Count(primary, "runningCount");
  out.desired = Count(primary, "desiredCount");
  out.pending = Count(primary, "pendingCount");
  out.failed = Count(primary, "failedTasks");
  out.message = JsonString(primary, "rolloutStateReason");
  json failed = FailedDeploymentOf(*service, applied);
  if (!failed.is_null() && !SameTaskDefinition(rolling, applied)) {
    out.phase = RolloutPhase::kRolledBack;
    out.failed = Count(failed, "failedTasks");
    out.message = "ECS rolled " + out.name + " back to revision " + Revision(rolling) + " (" + out.revision +
                  "): " + FailureText(failed);
    return out;
  }
  if (out.state == "FAILED") {
    out.phase = RolloutPhase::kFailed;
    std::string event = EventMentioning(*service, JsonString(primary, "id"));
    out.message = "the deployment of " + out.revision + " to " + out.name + " failed: " + FailureText(primary) +
                  (event.empty() ? "" : "; last event: " + event);
    return out;
  }
  bool settled = out.state == "COMPLETED" || out.state.empty();
  out.phase = settled && out.running >= out.desired ? RolloutPhase::kCompleted : RolloutPhase::kInProgress;
  return out;
}

}  // namespace

RolloutResponse RolloutStatusOf(const ProviderRuntime& runtime, const RolloutRequest& request) {
  if (request.type != "aws_ecs_service" || request.state.is_null()) return {};
  ResourceContext ctx(runtime, request.address);
  RolloutResponse out = EcsServiceRollout(ctx, request.state);
  out.diagnostics.Append(ctx.diagnostics());
  return out;
}

}  // namespace reconcile::aws_provider
