"""`reconcile deploy`, `history` and `rollback` through the built binary
against moto: release values recorded in the state, rollouts waited for
(moto's MOTO_ECS_SERVICE_RUNNING completes them), and the failure paths
through tests/support/ecs_rollout_fake.py (a FAILED rollout, a circuit-breaker
rollback, a deployment that never completes, Ctrl-C while waiting)."""
import json
import os
import signal
import subprocess
import sys
import time
import unittest
import urllib.request

os.environ["MOTO_ECS_SERVICE_RUNNING"] = "2"   # moto's services report 2 running tasks

from example_harness import ExampleTestCase  # noqa: E402
from reconcile_harness import BIN, SOURCE_DIR  # noqa: E402

sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "support"))
from ecs_rollout_fake import EcsRolloutFake  # noqa: E402

STACK = r'''
[provider.aws]
region = "us-west-2"

[variable.image_tag]
type = "string"
release = true

[resource.aws_ecs_cluster.main]
name = "deploy-e2e"

[resource.aws_ecs_task_definition.web]
family = "web"
container_definitions = '${jsonencode([{ name = "web", image = "nginx:${var.image_tag}", essential = true, memory = 128 }])}'

[resource.aws_ecs_service.web]
name = "web"
cluster = "${aws_ecs_cluster.main.name}"
task_definition = "${aws_ecs_task_definition.web.arn}"
desired_count = 2
'''

FAST = ("--auto-approve", "--poll-interval", "0.2s")


class DeployTestCase(ExampleTestCase):
    def setUp(self):
        super().setUp()
        urllib.request.urlopen(urllib.request.Request(self.moto.url + "/moto-api/reset", method="POST"), timeout=30)
        self.write("main.toml", STACK)

    def deploy(self, *args):
        return self.run_tool("deploy", *(FAST + args))

    def service(self):
        return self.aws("ecs").describe_services(cluster="deploy-e2e", services=["web"])["services"][0]

    def running_image(self):
        task_definition = self.service()["taskDefinition"]
        described = self.aws("ecs").describe_task_definition(taskDefinition=task_definition)["taskDefinition"]
        return described["containerDefinitions"][0]["image"]


class DeployAgainstMoto(DeployTestCase):
    def test_three_deploys_then_history_and_rollback(self):
        first = self.deploy("image_tag=v1")
        self.assertEqual(first.returncode, 0, repr(first))
        self.assertIn("image_tag: (none) -> v1 in default", first.stdout)
        self.assertIn("aws_ecs_service.web (web): COMPLETED, 2/2 running", first.stdout)
        self.assertIn("Deploy complete: 1 rollout(s) completed.", first.stdout)
        for tag, previous in (("v2", "v1"), ("v3", "v2")):
            plain = self.assert_no_changes()
            self.assertIn("image_tag = %s (recorded by the last apply)" % previous, plain.stdout)
            done = self.deploy("image_tag=" + tag)
            self.assertEqual(done.returncode, 0, repr(done))
            self.assertIn("image_tag: %s -> %s in default" % (previous, tag), done.stdout)
            self.assertEqual(self.running_image(), "nginx:" + tag)
        self.assert_no_changes()

        history = json.loads(self.ok("history", "--json").stdout)
        entries = history["entries"]
        self.assertEqual([e["release"]["image_tag"] for e in entries], ["v3", "v2", "v1"])
        self.assertEqual([e["operation"] for e in entries], ["deploy"] * 3)
        self.assertEqual(entries[2]["summary"], {"add": 3, "change": 0, "destroy": 0})
        self.assertTrue(all(e["task_definitions"]["aws_ecs_task_definition.web"].startswith("web:") for e in entries))
        text = self.ok("history").stdout
        self.assertIn("image_tag=v3", text.splitlines()[1])

        back = self.run_tool("rollback", *FAST)
        self.assertEqual(back.returncode, 0, repr(back))
        self.assertIn("image_tag: v3 -> v2 in default", back.stdout)
        self.assertEqual(self.running_image(), "nginx:v2")
        plain = self.assert_no_changes()
        self.assertIn("image_tag = v2 (recorded by the last apply)", plain.stdout)
        newest = json.loads(self.ok("history", "--json").stdout)["entries"][0]
        self.assertEqual((newest["operation"], newest["release"]["image_tag"]), ("rollback", "v2"))

        to_first = self.run_tool("rollback", "--to", str(entries[2]["serial"]), *FAST)
        self.assertEqual(to_first.returncode, 0, repr(to_first))
        self.assertEqual(self.running_image(), "nginx:v1")

    def test_a_name_that_is_not_a_release_variable_is_refused(self):
        self.write("more.toml", '[variable.size]\ntype = "number"\ndefault = 1\n')
        refused = self.deploy("image_tag=v1", "size=3")
        self.assertEqual(refused.returncode, 1, repr(refused))
        self.assertIn('"size" is not a release variable of this stack', refused.stderr)
        self.assertIn("Release variables: image_tag.", refused.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, ".reconcile", "state", "default.json")) and
                         self.state()["resources"])

    def test_json_events(self):
        done = self.deploy("--json", "image_tag=v1")
        self.assertEqual(done.returncode, 0, repr(done))
        events = [json.loads(line) for line in done.stdout.splitlines()]
        types = [e["type"] for e in events]
        self.assertEqual(types[0:1] + [t for t in types if t in ("release_change", "rollout_progress",
                                                                   "deploy_summary")][-1:], [types[0], "deploy_summary"])
        change = next(e for e in events if e["type"] == "release_change")
        self.assertEqual(change["values"], [{"name": "image_tag", "before": None, "after": "v1", "origin": "--var image_tag",
                                             "changed": True}])
        summary = events[-1]
        self.assertEqual((summary["type"], summary["result"], summary["workspace"]), ("deploy_summary", "completed", "default"))
        self.assertEqual(summary["rollouts"][0]["phase"], "completed")

    def test_channels_route_tags_to_workspaces(self):
        self.write("deploy.toml", '[deploy]\nvariable = "image_tag"\n'
                                  'channels = { "devbuild-*" = "dev", "release-*" = "prod" }\n')
        self.write("main.toml", STACK.replace('name = "deploy-e2e"', 'name = "deploy-e2e-${workspace}"')
                   .replace('family = "web"', 'family = "web-${workspace}"')
                   .replace('"${aws_ecs_cluster.main.name}"', '"${aws_ecs_cluster.main.name}"'))
        dev = self.deploy("--tag", "devbuild-42")
        self.assertEqual(dev.returncode, 0, repr(dev))
        self.assertIn("image_tag: (none) -> devbuild-42 in dev", dev.stdout)
        prod = self.deploy("--tag", "release-1.0")
        self.assertEqual(prod.returncode, 0, repr(prod))
        self.assertIn("image_tag: (none) -> release-1.0 in prod", prod.stdout)
        self.assertEqual(self.state("dev")["release"]["image_tag"]["value"], "devbuild-42")
        self.assertEqual(self.state("prod")["release"]["image_tag"]["value"], "release-1.0")
        self.assertFalse(os.path.exists(os.path.join(self.dir, ".reconcile", "state", "default.json")))

        unknown = self.deploy("--tag", "nightly-1")
        self.assertEqual(unknown.returncode, 1, repr(unknown))
        self.assertIn('Tag "nightly-1" matches no deploy channel', unknown.stderr)
        self.assertIn("Channels: devbuild-* -> dev, release-* -> prod.", unknown.stderr)
        elsewhere = self.run_tool("--workspace", "prod", "deploy", "--tag", "devbuild-43", *FAST)
        self.assertEqual(elsewhere.returncode, 1, repr(elsewhere))
        self.assertIn('Tag "devbuild-43" belongs to workspace "dev", not "prod"', elsewhere.stderr)

    def test_no_wait_returns_after_the_apply(self):
        done = self.deploy("--no-wait", "image_tag=v1")
        self.assertEqual(done.returncode, 0, repr(done))
        self.assertIn("Not waiting for rollouts (--no-wait).", done.stdout)
        self.assertNotIn("Waiting for rollouts", done.stdout)


class DeployThroughTheRolloutFake(DeployTestCase):
    """moto behind ecs_rollout_fake.py: the first deploy creates the service
    (its deployment completes), the second one rolls out as the scenario says."""

    def setUp(self):
        super().setUp()
        self.fake = EcsRolloutFake(self.moto.url, config={"polls": 2})
        self.fake.start()
        self.env["AWS_ENDPOINT_URL"] = self.fake.url
        first = self.deploy("image_tag=v1")
        self.assertEqual(first.returncode, 0, repr(first))

    def tearDown(self):
        self.fake.stop()
        super().tearDown()

    def test_a_failed_rollout_exits_1_with_the_reason(self):
        self.fake.set_scenario("web", "fail")
        failed = self.deploy("image_tag=v2", "--timeout", "60s")
        self.assertEqual(failed.returncode, 1, repr(failed))
        self.assertIn("Deploy failed", failed.stderr)
        self.assertIn("aws_ecs_service.web: the deployment of web:2 to web failed: 3 tasks failed "
                      "(ECS deployment circuit breaker: tasks failed to start.)", failed.stderr)

    def test_a_circuit_breaker_rollback_exits_1_naming_the_revision(self):
        import boto3
        # (through the fake, so it knows the breaker is on)
        through_fake = boto3.client("ecs", region_name=self.region, endpoint_url=self.fake.url,
                                    aws_access_key_id="testing", aws_secret_access_key="testing")
        through_fake.update_service(cluster="deploy-e2e", service="web", deploymentConfiguration={
            "deploymentCircuitBreaker": {"enable": True, "rollback": True}})
        self.fake.set_scenario("web", "circuit_breaker_rollback")
        rolled = self.deploy("image_tag=v2", "--timeout", "60s")
        self.assertEqual(rolled.returncode, 1, repr(rolled))
        self.assertIn("ECS rolled web back to revision 1 (web:1): 3 tasks failed", rolled.stderr)
        self.assertIn("`reconcile rollback`", rolled.stderr)

    def test_a_rollout_that_never_completes_times_out(self):
        self.fake.set_scenario("web", "never")
        started = time.monotonic()
        stuck = self.deploy("image_tag=v2", "--timeout", "3s")
        self.assertEqual(stuck.returncode, 1, repr(stuck))
        self.assertLess(time.monotonic() - started, 60)
        self.assertIn("Deploy timed out after 3s", stuck.stderr)
        self.assertIn("aws_ecs_service.web: still IN_PROGRESS, 1/2 running", stuck.stderr)

    def test_ctrl_c_stops_waiting_and_changes_nothing(self):
        self.fake.set_scenario("web", "never")
        out_path = os.path.join(self.dir, "deploy.out")
        with open(out_path, "w") as out:
            proc = subprocess.Popen([BIN, "deploy", "image_tag=v2"] + list(FAST), cwd=self.dir, env=self.env,
                                    stdout=out, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 120
        while "Waiting for rollouts" not in self.read("deploy.out"):
            self.assertIsNone(proc.poll(), "deploy ended before waiting: " + self.read("deploy.out"))
            self.assertLess(time.monotonic(), deadline, self.read("deploy.out"))
            time.sleep(0.2)
        serial = self.state()["serial"]
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        printed = self.read("deploy.out")
        self.assertEqual(proc.returncode, 1, printed)
        self.assertIn("Stopped waiting (interrupted)", printed)
        self.assertEqual(self.state()["serial"], serial, "waiting wrote nothing")
        self.assertEqual(self.state()["release"]["image_tag"]["value"], "v2")

if __name__ == "__main__":
    unittest.main()
