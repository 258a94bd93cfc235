#!/usr/bin/env python3
"""A proxy in front of moto that makes ECS service deployments roll out like AWS.

moto starts no deployment on UpdateService and reports a service's counts from
MOTO_ECS_SERVICE_RUNNING. This proxy forwards every request to moto unchanged
and rewrites the ECS answers that describe a rollout (CreateService,
UpdateService, DescribeServices), so a client waiting on a deploy sees what
real ECS shows:

  * CreateService, and UpdateService with a new task definition, a
    forceNewDeployment or a changed network configuration / platform version /
    capacity provider strategy, start a deployment: a PRIMARY deployment with
    rolloutState IN_PROGRESS ("ECS deployment ecs-svc/... in progress.") beside
    the previous one, now ACTIVE. A desiredCount-only change starts none.
  * Each DescribeServices answer that includes the service is one poll. The
    deployment stays IN_PROGRESS for `polls` polls and at least `seconds`
    seconds, its runningCount / pendingCount / failedTasks moving, then ends as
    its scenario says:

    complete                  COMPLETED, one deployment left, running = desired,
                              events "(service S) (deployment D) deployment
                              completed." and "(service S) has reached a steady state."
    fail                      FAILED: rolloutStateReason "ECS deployment circuit
                              breaker: tasks failed to start.", failedTasks at the
                              breaker threshold, the old deployment still ACTIVE
                              and running; event "(service S) (deployment D)
                              deployment failed: tasks failed to start." (what ECS
                              shows with the breaker on and rollback off)
    circuit_breaker_rollback  the new tasks fail to start; what follows honours the
                              service's deploymentConfiguration.deploymentCircuitBreaker:
                              enable+rollback: the deployment turns FAILED (ACTIVE,
                              failedTasks = threshold, 3 for up to 6 tasks), a new
                              PRIMARY deployment of the last COMPLETED deployment's
                              task definition starts ("ECS deployment circuit
                              breaker: rolling back to deploymentId D0."), the
                              service's taskDefinition goes back to it (in moto
                              too), with the events "... deployment failed: tasks
                              failed to start." and "(service S) rolling back to
                              deployment D0."; the rollback then completes like
                              `complete`. enable only (or no completed deployment
                              to go back to): as `fail`. Breaker off: IN_PROGRESS
                              for ever, failedTasks climbing.
    never                     IN_PROGRESS for ever, one task short of desired.

Scenarios are chosen per service by a config (JSON file, the API, or flags):

    {"default": "complete",      # scenario of UpdateService deployments
     "on_create": "complete",    # scenario of the CreateService deployment
     "polls": 3, "seconds": 0,   # how long IN_PROGRESS lasts (both must pass)
     "failed_tasks": null,       # breaker threshold (default: as ECS, 3..200)
     "services": {"web": "circuit_breaker_rollback",
                  "prod/api": ["complete", "fail"],      # n-th update -> n-th, last repeats
                  "worker": {"scenario": "never", "polls": 1}}}

Keys of "services" are SERVICE or CLUSTER/SERVICE; an entry is a scenario, a
list of them, or an object overriding any top-level field. A config file is
re-read when it changes. Requests the fake makes to moto itself (to read a
service before an update, resolve a task definition, roll a service back) are
signed with the caller's access key and `secret_key` (AWS_SECRET_ACCESS_KEY or
"testing").

In-process:
    from ecs_rollout_fake import EcsRolloutFake
    with EcsRolloutFake(moto_url, config={"services": {"web": "fail"}}) as fake:
        env["AWS_ENDPOINT_URL"] = fake.url
        fake.set_scenario("web", "never")
CLI (prints the port on the first stdout line, serves until SIGTERM/SIGINT):
    python3 tests/support/ecs_rollout_fake.py --target http://127.0.0.1:PORT --config F.json
Control endpoints on the fake itself (never forwarded):
    GET /ecs-fake/config, POST /ecs-fake/config (replaces it), GET /ecs-fake/state
A POST /moto-api/reset through the fake also forgets every tracked service.
"""
import argparse
import json
import math
import os
import random
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from moto_proxy import Exchange, ForwardingProxy, json_reply, run_cli, sign_v4  # noqa: E402

SCENARIOS = ("complete", "fail", "circuit_breaker_rollback", "never")
TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113."
DEFAULT_DEPLOYMENT_CONFIGURATION = {"deploymentCircuitBreaker": {"enable": False, "rollback": False},
                                    "maximumPercent": 200, "minimumHealthyPercent": 100}
# Fields of UpdateService that start a new deployment when they change.
_DEPLOYING_FIELDS = ("networkConfiguration", "platformVersion", "capacityProviderStrategy")

TASKS_FAILED_REASON = "ECS deployment circuit breaker: tasks failed to start."


class ConfigError(ValueError):
    pass


def _scenarios(value, where):
    values = value if isinstance(value, list) else [value]
    if not values or any(v not in SCENARIOS for v in values):
        raise ConfigError("%s: expected one of %s or a non-empty list of them, got %r" % (
            where, ", ".join(SCENARIOS), value))
    return values


def _settings(document, where, base, top_level=False):
    """Validated settings: base overridden by the fields of `document`."""
    settings = dict(base)
    for name, value in document.items():
        if name == "services" and top_level:
            continue
        if name in ("default", "scenario"):
            settings["scenario"] = _scenarios(value, "%s.%s" % (where, name))
        elif name == "on_create":
            settings["on_create"] = _scenarios(value, where + ".on_create")[0]
        elif name in ("polls", "seconds") and type(value) in (int, float) and value >= 0:
            settings[name] = value
        elif name == "failed_tasks" and (value is None or (type(value) is int and value >= 1)):
            settings[name] = value
        else:
            raise ConfigError("%s.%s: unknown field or bad value %r (fields: default or scenario, on_create, "
                              "polls and seconds >= 0, failed_tasks >= 1, services)" % (where, name, value))
    return settings


class RolloutConfig:
    """Which scenario and pace each service's deployments get."""

    def __init__(self, document=None):
        document = document or {}
        if not isinstance(document, dict):
            raise ConfigError("config: expected a JSON object, got %r" % (document,))
        base = {"scenario": ["complete"], "on_create": "complete", "polls": 3, "seconds": 0, "failed_tasks": None}
        self.document = document
        self.defaults = _settings(document, "config", base, top_level=True)
        self.services = {}
        services = document.get("services", {})
        if not isinstance(services, dict):
            raise ConfigError("config.services: expected an object of SERVICE or CLUSTER/SERVICE keys")
        for key, entry in services.items():
            where = "config.services.%s" % key
            entry = entry if isinstance(entry, dict) else {"scenario": entry}
            self.services[key] = _settings(entry, where, self.defaults)

    def settings_for(self, cluster_name, service_name):
        return self.services.get("%s/%s" % (cluster_name, service_name)) or self.services.get(service_name) or \
            self.defaults


@dataclass
class Deployment:
    """One deployment of a service, as DescribeServices shows it."""
    id: str
    task_definition: str
    desired: int
    scenario: str
    settings: dict
    status: str = "PRIMARY"
    rollout: str = "IN_PROGRESS"
    reason: str = ""
    running: int = 0
    pending: int = 0
    failed: int = 0
    polls: int = 0
    created_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    started: float = field(default_factory=time.monotonic)
    stuck_reported: bool = False                 # the "unable to consistently start" event is written
    extra: dict = field(default_factory=dict)   # launchType, platformFamily, ... as moto reported

    def __post_init__(self):
        if not self.reason:
            self.reason = "ECS deployment %s in progress." % self.id
        self.pending = max(0, self.desired - self.running)

    @property
    def threshold(self):
        """Failed tasks that trip the circuit breaker (ECS: half the desired count, 3..200)."""
        return self.settings["failed_tasks"] or min(200, max(3, math.ceil(self.desired * 0.5)))

    def progress(self):
        """(fraction of the IN_PROGRESS time passed, whether it has all passed)."""
        polls, seconds = self.settings["polls"], self.settings["seconds"]
        by_polls = self.polls / (polls + 1) if polls else 1.0
        by_time = (time.monotonic() - self.started) / seconds if seconds else 1.0
        return min(1.0, by_polls, by_time), self.polls > polls and by_time >= 1.0

    def render(self):
        document = dict(self.extra)
        document.update({"id": self.id, "status": self.status, "taskDefinition": self.task_definition,
                         "desiredCount": self.desired, "pendingCount": self.pending, "runningCount": self.running,
                         "failedTasks": self.failed, "createdAt": self.created_at, "updatedAt": self.updated_at,
                         "rolloutState": self.rollout, "rolloutStateReason": self.reason})
        return document


def _new_deployment_id():
    return "ecs-svc/%d" % random.SystemRandom().randrange(10 ** 18, 10 ** 19)


class ServiceRollout:
    """The deployments and events of one service, advanced one poll at a time."""

    def __init__(self, arn, name, cluster_arn, deployment_configuration):
        self.arn = arn
        self.name = name
        self.cluster_arn = cluster_arn
        self.cluster_name = cluster_arn.rsplit("/", 1)[-1]
        self.deployment_configuration = _merged_configuration({}, deployment_configuration)
        self.deployments = []        # PRIMARY first
        self.events = []             # newest first
        self.last_completed = None   # the deployment a rollback returns to
        self.updates = 0             # deployments started by UpdateService so far
        self.requested = {}          # the last requested value of each of _DEPLOYING_FIELDS
        self.rollback_to = None      # a task definition moto must be told to go back to

    @property
    def primary(self):
        return self.deployments[0]

    @property
    def task_definition(self):
        return self.primary.task_definition

    def start(self, task_definition, desired, scenario, settings, extra):
        """A new PRIMARY deployment; the previous one, and any other that still runs
        tasks, stay ACTIVE."""
        for deployment in self.deployments:
            deployment.status = "ACTIVE"
        kept = [d for i, d in enumerate(self.deployments) if i == 0 or d.running > 0]
        self.deployments = [Deployment(_new_deployment_id(), task_definition, desired, scenario, settings,
                                       extra=extra)] + kept
        return self.primary

    def adopt(self, deployment):
        """Records `deployment` as COMPLETED and the only one (a service found in moto)."""
        deployment.rollout, deployment.running = "COMPLETED", deployment.desired
        deployment.pending, deployment.reason = 0, "ECS deployment %s completed." % deployment.id
        self.deployments = [deployment]
        self.last_completed = deployment

    def poll(self, desired):
        """One DescribeServices answer: moves the PRIMARY deployment on."""
        primary = self.primary
        primary.desired = desired
        if primary.rollout != "IN_PROGRESS":
            if primary.rollout == "COMPLETED":
                primary.running, primary.pending = desired, 0
            return
        primary.polls += 1
        primary.updated_at = time.time()
        fraction, done = primary.progress()
        if primary.scenario in ("complete", "never"):
            self._progress_running(primary, fraction)
            if done and primary.scenario == "complete":
                self._complete(primary)
        else:
            self._progress_failing(primary, fraction, done)

    def _progress_running(self, deployment, fraction):
        """New tasks start (one short of desired until the deployment completes) and
        the old deployments drain as they do."""
        desired = deployment.desired
        ramp = max(0, min(desired - 1, math.floor(desired * fraction)))
        deployment.running = min(desired, max(deployment.running, ramp))
        deployment.pending = desired - deployment.running
        remaining = max(0, desired - deployment.running)
        for old in self.deployments[1:]:
            old.running = old.desired = min(old.running, remaining)
            remaining -= old.running

    def _progress_failing(self, deployment, fraction, done):
        """New tasks fail to start; the old deployment keeps running."""
        deployment.running, deployment.pending = 0, deployment.desired
        if not done:
            deployment.failed = min(deployment.threshold - 1, math.floor(deployment.threshold * fraction))
            return
        breaker = self.deployment_configuration.get("deploymentCircuitBreaker") or {}
        if deployment.scenario == "fail":
            self._fail(deployment)
        elif breaker.get("enable") and breaker.get("rollback") and self.last_completed is not None:
            self._fail(deployment)
            self._roll_back(deployment)
        elif breaker.get("enable"):
            self._fail(deployment)
        else:   # no breaker: ECS keeps trying
            deployment.failed = max(deployment.failed + 1, deployment.threshold)
            if not deployment.stuck_reported:
                deployment.stuck_reported = True
                self._event("(service %s) is unable to consistently start tasks successfully. For more "
                            "information, see the Troubleshooting section of the Amazon ECS Developer Guide."
                            % self.name)

    def _complete(self, deployment):
        deployment.rollout, deployment.reason = "COMPLETED", "ECS deployment %s completed." % deployment.id
        deployment.running, deployment.pending = deployment.desired, 0
        self.deployments = [deployment]
        self.last_completed = deployment
        self._event("(service %s) (deployment %s) deployment completed." % (self.name, deployment.id))
        self._event("(service %s) has reached a steady state." % self.name)

    def _fail(self, deployment):
        deployment.rollout, deployment.reason = "FAILED", TASKS_FAILED_REASON
        deployment.failed, deployment.running, deployment.pending = deployment.threshold, 0, 0
        self._event("(service %s) (deployment %s) deployment failed: tasks failed to start." % (
            self.name, deployment.id))

    def _roll_back(self, failed):
        target = self.last_completed
        previous = next((d for d in self.deployments[1:] if d.task_definition == target.task_definition), None)
        desired = failed.desired
        failed.status, failed.running, failed.pending, failed.desired = "ACTIVE", 0, 0, 0
        rollback = Deployment(_new_deployment_id(), target.task_definition, desired,
                              "complete", failed.settings, running=previous.running if previous else 0,
                              reason="ECS deployment circuit breaker: rolling back to deploymentId %s." % target.id,
                              extra=dict(target.extra))
        rollback.polls = 1   # this poll shows it
        self.deployments = [rollback, failed]
        self.rollback_to = target.task_definition
        self._event("(service %s) rolling back to deployment %s." % (self.name, target.id))

    def _event(self, message):
        self.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": time.time(), "message": message})

    def render(self, service):
        """`service` (moto's view of it) with this rollout's deployments, counts and events."""
        service = dict(service)
        service["taskDefinition"] = self.task_definition
        service["deploymentConfiguration"] = self.deployment_configuration
        service["deployments"] = [d.render() for d in self.deployments]
        service["runningCount"] = sum(d.running for d in self.deployments)
        service["pendingCount"] = sum(d.pending for d in self.deployments)
        service["events"] = (self.events + list(service.get("events") or []))[:100]
        return service

    def dump(self):
        return {"arn": self.arn, "deploymentConfiguration": self.deployment_configuration,
                "deployments": [dict(d.render(), scenario=d.scenario, polls=d.polls) for d in self.deployments],
                "events": self.events, "updates": self.updates,
                "lastCompleted": self.last_completed.id if self.last_completed else None}


def _merged_configuration(current, requested):
    merged = json.loads(json.dumps(DEFAULT_DEPLOYMENT_CONFIGURATION))
    merged.update(current or {})
    merged.update(requested or {})
    return merged


class EcsRolloutFake(ForwardingProxy):
    control_prefix = "/ecs-fake/"

    def __init__(self, target, config=None, config_path=None, secret_key=None, **kwargs):
        super().__init__(target, **kwargs)
        self.secret_key = secret_key or os.environ.get("AWS_SECRET_ACCESS_KEY") or "testing"
        self._lock = threading.RLock()
        self._services = {}   # service ARN -> ServiceRollout
        self._config_path = config_path
        self._config_mtime = None
        self._flags = dict(config or {})   # with a config file: fields that win over the file's
        self._config = RolloutConfig(config)
        if config_path:
            self._reload_config(strict=True)

    # ---- configuration ---------------------------------------------------------

    def set_config(self, document):
        """Replaces the config (raises ConfigError, leaving the old one, when invalid);
        deployments already started keep their scenario."""
        config = RolloutConfig(document)
        with self._lock:
            self._config = config

    def set_scenario(self, service, scenario):
        """Sets one service's scenario (a name or a list), keeping the rest of the config."""
        with self._lock:
            document = json.loads(json.dumps(self._config.document))
            document.setdefault("services", {})[service] = scenario
            self.set_config(document)

    def state(self):
        """What the fake tracks, by service ARN (for debugging and tests)."""
        with self._lock:
            return {arn: rollout.dump() for arn, rollout in self._services.items()}

    def _reload_config(self, strict=False):
        if not self._config_path:
            return
        try:
            mtime = os.stat(self._config_path).st_mtime_ns
            if mtime == self._config_mtime:
                return
            with open(self._config_path) as f:
                document = json.load(f)
            config = RolloutConfig(dict(document, **self._flags) if isinstance(document, dict) else document)
        except (OSError, ValueError) as error:
            if strict:
                raise ConfigError("%s: %s" % (self._config_path, error)) from error
            sys.stderr.write("ecs_rollout_fake: keeping the previous config: %s: %s\n" % (self._config_path, error))
            return
        self._config, self._config_mtime = config, mtime

    def control(self, exchange):
        if exchange.path == "/ecs-fake/config" and exchange.method == "GET":
            return json_reply(self._config.document)
        if exchange.path == "/ecs-fake/config" and exchange.method == "POST":
            try:
                self.set_config(json.loads(exchange.body or b"{}"))
            except ValueError as error:
                return json_reply({"error": str(error)}, 400)
            return json_reply(self._config.document)
        if exchange.path == "/ecs-fake/state" and exchange.method == "GET":
            return json_reply(self.state())
        return super().control(exchange)

    # ---- exchanges -------------------------------------------------------------

    def serve(self, exchange, client):
        target = exchange.header("X-Amz-Target") or ""
        handler = None
        if target.startswith(TARGET_PREFIX):
            handler = getattr(self, "_on_" + target[len(TARGET_PREFIX):], None)
        if handler is None:
            reply = self.forward(exchange)
            if exchange.path == "/moto-api/reset" and reply.status == 200:
                with self._lock:
                    self._services.clear()
            client.send(reply)
            return
        with self._lock:
            self._reload_config()
            client.send(handler(exchange))

    def _on_CreateService(self, exchange):
        reply = self.forward(exchange)
        service = reply.json_body.get("service") if reply.status == 200 else None
        if not service or (service.get("deploymentController") or {}).get("type", "ECS") != "ECS":
            return reply
        request = exchange.json_body
        rollout = ServiceRollout(service["serviceArn"], service["serviceName"], service["clusterArn"],
                                 request.get("deploymentConfiguration"))
        rollout.requested = {name: request[name] for name in _DEPLOYING_FIELDS if name in request}
        settings = self._config.settings_for(rollout.cluster_name, rollout.name)
        rollout.start(service["taskDefinition"], service.get("desiredCount", 0), settings["on_create"], settings,
                      _deployment_extra(service))
        self._services[rollout.arn] = rollout
        return reply.with_json_body({"service": rollout.render(service)})

    def _on_UpdateService(self, exchange):
        request = exchange.json_body
        before = self._moto_services(exchange, request.get("cluster", "default"), [request.get("service", "")])
        reply = self.forward(exchange)
        service = reply.json_body.get("service") if reply.status == 200 else None
        if not service:
            return reply
        if service["serviceArn"] not in self._services and not (before and self._adopt(exchange, before[0])):
            return reply
        rollout = self._services[service["serviceArn"]]
        rollout.deployment_configuration = _merged_configuration(rollout.deployment_configuration,
                                                                 request.get("deploymentConfiguration"))
        desired = service.get("desiredCount", rollout.primary.desired)
        task_definition = rollout.task_definition
        if request.get("taskDefinition"):
            task_definition = self._resolve_task_definition(exchange, request["taskDefinition"])
        changed = [name for name in _DEPLOYING_FIELDS
                   if name in request and request[name] != rollout.requested.get(name)]
        rollout.requested.update({name: request[name] for name in changed})
        if task_definition != rollout.task_definition or request.get("forceNewDeployment") or changed:
            settings = self._config.settings_for(rollout.cluster_name, rollout.name)
            scenario = settings["scenario"][min(rollout.updates, len(settings["scenario"]) - 1)]
            rollout.updates += 1
            rollout.start(task_definition, desired, scenario, settings, _deployment_extra(service))
        else:
            rollout.primary.desired = desired
            rollout.primary.pending = max(0, desired - rollout.primary.running)
        return reply.with_json_body({"service": rollout.render(service)})

    def _on_DescribeServices(self, exchange):
        reply = self.forward(exchange)
        document = reply.json_body
        if reply.status != 200 or "services" not in document:
            return reply
        rendered = []
        for service in document["services"]:
            arn = service.get("serviceArn")
            if service.get("status") != "ACTIVE":
                self._services.pop(arn, None)
            elif arn in self._services or self._adopt(exchange, service):
                rollout = self._services[arn]
                rollout.poll(service.get("desiredCount", 0))
                if rollout.rollback_to:
                    self._moto_call(exchange, "UpdateService", {"cluster": rollout.cluster_arn, "service": arn,
                                                                "taskDefinition": rollout.rollback_to})
                    rollout.rollback_to = None
                service = rollout.render(service)
            rendered.append(service)
        document["services"] = rendered
        return reply.with_json_body(document)

    def _on_DeleteService(self, exchange):
        reply = self.forward(exchange)
        service = reply.json_body.get("service") if reply.status == 200 else None
        if service:
            self._services.pop(service.get("serviceArn"), None)
        return reply

    # ---- moto, asked by the fake itself -----------------------------------------

    def _adopt(self, exchange, service):
        """Starts tracking a service created without the fake: one COMPLETED
        deployment of its current task definition. False for non-ECS controllers."""
        if (service.get("deploymentController") or {}).get("type", "ECS") != "ECS" or \
                not service.get("taskDefinition"):
            return False
        rollout = ServiceRollout(service["serviceArn"], service["serviceName"], service["clusterArn"],
                                 service.get("deploymentConfiguration"))
        known = (service.get("deployments") or [{}])[0]
        task_definition = self._resolve_task_definition(exchange, service["taskDefinition"])
        settings = self._config.settings_for(rollout.cluster_name, rollout.name)
        deployment = Deployment(known.get("id") or _new_deployment_id(), task_definition,
                                service.get("desiredCount", 0), "complete", settings, extra=_deployment_extra(service))
        rollout.adopt(deployment)
        self._services[rollout.arn] = rollout
        return True

    def _resolve_task_definition(self, exchange, name):
        """The ARN of a task definition given as family, family:revision or ARN."""
        if name.startswith("arn:"):
            return name
        found = self._moto_call(exchange, "DescribeTaskDefinition", {"taskDefinition": name})
        return (found.get("taskDefinition") or {}).get("taskDefinitionArn", name)

    def _moto_services(self, exchange, cluster, names):
        return self._moto_call(exchange, "DescribeServices", {"cluster": cluster, "services": names}).get(
            "services") or []

    def _moto_call(self, like, action, payload):
        """An ECS call to moto in the caller's account and region, signed with the
        caller's access key; its JSON answer ({} when moto refused it)."""
        request = Exchange("POST", "/", [("Content-Type", "application/x-amz-json-1.1"),
                                         ("X-Amz-Target", TARGET_PREFIX + action)], json.dumps(payload).encode())
        request.headers.append(("Content-Length", str(len(request.body))))
        sign_v4(request, self.target_host(), like.access_key or "testing", self.secret_key,
                like.region or "us-east-1", "ecs", like.header("X-Amz-Security-Token"))
        reply = self.forward(request)
        if reply.status != 200:
            sys.stderr.write("ecs_rollout_fake: %s answered %d: %s\n" % (action, reply.status, reply.body[:300]))
            return {}
        return reply.json_body


def _deployment_extra(service):
    """The fields of a deployment ECS copies from its service."""
    extra = {name: service[name] for name in ("launchType", "platformVersion", "platformFamily",
                                              "networkConfiguration", "capacityProviderStrategy")
             if service.get(name)}
    extra.setdefault("platformFamily", "EC2" if service.get("launchType") == "EC2" else "FARGATE")
    return extra


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True, help="moto's URL, http://127.0.0.1:PORT")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--config", help="JSON config file (re-read when it changes)")
    parser.add_argument("--default", choices=SCENARIOS, help="scenario of services the config does not name")
    parser.add_argument("--on-create", choices=SCENARIOS, help="scenario of CreateService deployments")
    parser.add_argument("--polls", type=int, help="DescribeServices answers that show IN_PROGRESS")
    parser.add_argument("--seconds", type=float, help="seconds a deployment stays IN_PROGRESS at least")
    parser.add_argument("--secret-key", help="secret key of the fake's own calls to moto")
    args = parser.parse_args(argv)
    flags = {name: value for name, value in (("default", args.default), ("on_create", args.on_create),
                                             ("polls", args.polls), ("seconds", args.seconds)) if value is not None}
    try:
        fake = EcsRolloutFake(args.target, config=flags, config_path=args.config, secret_key=args.secret_key,
                              port=args.port)
    except ValueError as error:
        parser.error(str(error))
    return run_cli(fake, "ecs_rollout_fake")


if __name__ == "__main__":
    sys.exit(main())
