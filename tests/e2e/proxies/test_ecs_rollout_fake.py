"""tests/support/ecs_rollout_fake.py against a real moto_server, driven with
boto3 (and once with the aws CLI): a cluster, two task-definition revisions, a
service created on revision 1 and updated to revision 2, then DescribeServices
polled through each scenario: complete, fail, circuit_breaker_rollback (with
and without the breaker) and never."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions

from proxy_test_support import SUPPORT_DIR, Moto, aws_cli_env, client
from ecs_rollout_fake import ConfigError, EcsRolloutFake
from fault_proxy import FaultProxy
from moto_proxy import Exchange, sign_v4

moto = None
BREAKER_WITH_ROLLBACK = {"deploymentCircuitBreaker": {"enable": True, "rollback": True}}


def setUpModule():
    global moto
    moto = Moto()


def tearDownModule():
    moto.stop()


def view(service):
    """What a deploy watcher reads: the service's task definition revision and
    counts, then (status, revision, rolloutState, running, pending, failed) per deployment."""
    revision = lambda arn: int(arn.rsplit(":", 1)[1])  # noqa: E731
    return (revision(service["taskDefinition"]), service["runningCount"], service["pendingCount"],
            [(d["status"], revision(d["taskDefinition"]), d["rolloutState"], d["runningCount"], d["pendingCount"],
              d["failedTasks"]) for d in service["deployments"]])


class RolloutTestCase(unittest.TestCase):
    """A fresh fake (2 polls IN_PROGRESS) and a service `self.name` on revision 1 of
    its family, created through it and polled until its first deployment completed."""

    config = {"polls": 2}
    desired = 2
    breaker = BREAKER_WITH_ROLLBACK

    def setUp(self):
        self.name = self.id().rsplit(".", 1)[1].replace("test_", "")[:40].replace("_", "-")
        self.fake = EcsRolloutFake(moto.url, config=self.config)
        self.fake.start()
        self.addCleanup(self.fake.stop)
        self.ecs = client("ecs", self.fake.url)
        self.ecs.create_cluster(clusterName=self.name)
        self.revisions = [self.ecs.register_task_definition(
            family=self.name, containerDefinitions=[{"name": "app", "image": "app:%d" % n, "memory": 128}])[
            "taskDefinition"]["taskDefinitionArn"] for n in (1, 2)]
        kwargs = {"deploymentConfiguration": self.breaker} if self.breaker else {}
        created = self.ecs.create_service(cluster=self.name, serviceName=self.name, taskDefinition=self.name + ":1",
                                          desiredCount=self.desired, **kwargs)["service"]
        self.created_id = created["deployments"][0]["id"]
        self.assertEqual(view(created), (1, 0, self.desired, [("PRIMARY", 1, "IN_PROGRESS", 0, self.desired, 0)]))
        self.assertEqual([self.poll()[3][0][2] for _ in range(3)], ["IN_PROGRESS", "IN_PROGRESS", "COMPLETED"])

    def describe(self, endpoint=None):
        ecs = client("ecs", endpoint) if endpoint else self.ecs
        return ecs.describe_services(cluster=self.name, services=[self.name])["services"][0]

    def poll(self):
        return view(self.describe())

    def update(self, **kwargs):
        kwargs.setdefault("taskDefinition", self.name + ":2")
        return self.ecs.update_service(cluster=self.name, service=self.name, **kwargs)["service"]

    def messages(self, service=None):
        return [event["message"] for event in (service or self.describe())["events"]]


class CompleteTest(RolloutTestCase):
    def test_complete(self):
        updated = self.update()
        new_id = updated["deployments"][0]["id"]
        self.assertNotEqual(new_id, self.created_id)
        self.assertEqual(updated["taskDefinition"], self.revisions[1])   # an ARN, as ECS answers
        self.assertEqual(view(updated), (2, 2, 2, [("PRIMARY", 2, "IN_PROGRESS", 0, 2, 0),
                                                   ("ACTIVE", 1, "COMPLETED", 2, 0, 0)]))
        self.assertEqual(updated["deployments"][0]["rolloutStateReason"], "ECS deployment %s in progress." % new_id)
        self.assertEqual([self.poll() for _ in range(3)], [
            (2, 2, 2, [("PRIMARY", 2, "IN_PROGRESS", 0, 2, 0), ("ACTIVE", 1, "COMPLETED", 2, 0, 0)]),
            (2, 2, 1, [("PRIMARY", 2, "IN_PROGRESS", 1, 1, 0), ("ACTIVE", 1, "COMPLETED", 1, 0, 0)]),
            (2, 2, 0, [("PRIMARY", 2, "COMPLETED", 2, 0, 0)]),
        ])
        service = self.describe()
        deployment = service["deployments"][0]
        self.assertEqual((deployment["id"], deployment["rolloutStateReason"]),
                         (new_id, "ECS deployment %s completed." % new_id))
        self.assertLessEqual(deployment["createdAt"], deployment["updatedAt"])
        self.assertEqual(self.messages(service)[:2], [
            "(service %s) has reached a steady state." % self.name,
            "(service %s) (deployment %s) deployment completed." % (self.name, new_id)])
        self.assertEqual(service["deploymentConfiguration"]["deploymentCircuitBreaker"],
                         {"enable": True, "rollback": True})

    def test_desired_count_alone_starts_no_deployment(self):
        updated = self.ecs.update_service(cluster=self.name, service=self.name, desiredCount=3)["service"]
        self.assertEqual(view(updated), (1, 2, 1, [("PRIMARY", 1, "COMPLETED", 2, 1, 0)]))
        self.assertEqual(self.poll(), (1, 3, 0, [("PRIMARY", 1, "COMPLETED", 3, 0, 0)]))

    def test_force_new_deployment_redeploys_the_same_revision(self):
        updated = self.ecs.update_service(cluster=self.name, service=self.name, forceNewDeployment=True)["service"]
        self.assertEqual(view(updated)[3], [("PRIMARY", 1, "IN_PROGRESS", 0, 2, 0), ("ACTIVE", 1, "COMPLETED", 2, 0, 0)])
        self.assertEqual([self.poll()[3][0][2] for _ in range(3)], ["IN_PROGRESS", "IN_PROGRESS", "COMPLETED"])

    def test_service_created_straight_in_moto_is_adopted(self):
        direct = client("ecs", moto.url)
        direct.create_service(cluster=self.name, serviceName="direct", taskDefinition=self.name + ":1", desiredCount=1)
        self.ecs.update_service(cluster=self.name, service="direct", taskDefinition=self.name + ":2")
        polls = [view(self.ecs.describe_services(cluster=self.name, services=["direct"])["services"][0])
                 for _ in range(3)]
        self.assertEqual(polls, [(2, 1, 1, [("PRIMARY", 2, "IN_PROGRESS", 0, 1, 0), ("ACTIVE", 1, "COMPLETED", 1, 0, 0)]),
                                 (2, 1, 1, [("PRIMARY", 2, "IN_PROGRESS", 0, 1, 0), ("ACTIVE", 1, "COMPLETED", 1, 0, 0)]),
                                 (2, 1, 0, [("PRIMARY", 2, "COMPLETED", 1, 0, 0)])])

    def test_everything_else_passes_through_and_a_moto_reset_forgets_the_services(self):
        self.assertEqual(client("ec2", self.fake.url).describe_vpcs()["Vpcs"],
                         client("ec2", moto.url).describe_vpcs()["Vpcs"])
        self.assertIn(self.name, [arn.rsplit("/", 1)[1] for arn in self.ecs.list_clusters()["clusterArns"]])
        self.assertEqual(len(self.fake.state()), 1)
        with urllib.request.urlopen(urllib.request.Request(self.fake.url + "/moto-api/reset", method="POST"),
                                    timeout=30) as answer:
            self.assertEqual(answer.status, 200)
        self.assertEqual(self.fake.state(), {})

    def test_chained_behind_the_fault_proxy_a_throttled_poll_does_not_count(self):
        with FaultProxy(self.fake.url, rate=1, kinds=["throttle"], only=["ecs:DescribeServices"],
                        max_in_a_row=1) as faults:
            self.update()
            ecs = client("ecs", faults.url)
            seen = []
            for _ in range(6):
                try:
                    seen.append(ecs.describe_services(cluster=self.name, services=[self.name])["services"][0][
                        "deployments"][0]["rolloutState"])
                except botocore.exceptions.ClientError as error:
                    seen.append(error.response["Error"]["Code"])
        self.assertEqual(seen, ["ThrottlingException", "IN_PROGRESS", "ThrottlingException", "IN_PROGRESS",
                                "ThrottlingException", "COMPLETED"])

    def test_delete_service_forgets_it(self):
        self.ecs.delete_service(cluster=self.name, service=self.name, force=True)
        self.assertEqual(self.fake.state(), {})


class FailTest(RolloutTestCase):
    config = {"polls": 2, "services": {"fail": "fail"}}

    def test_fail(self):
        new_id = self.update()["deployments"][0]["id"]
        self.assertEqual([self.poll() for _ in range(4)], [
            (2, 2, 2, [("PRIMARY", 2, "IN_PROGRESS", 0, 2, 1), ("ACTIVE", 1, "COMPLETED", 2, 0, 0)]),
            (2, 2, 2, [("PRIMARY", 2, "IN_PROGRESS", 0, 2, 2), ("ACTIVE", 1, "COMPLETED", 2, 0, 0)]),
            (2, 2, 0, [("PRIMARY", 2, "FAILED", 0, 0, 3), ("ACTIVE", 1, "COMPLETED", 2, 0, 0)]),
            (2, 2, 0, [("PRIMARY", 2, "FAILED", 0, 0, 3), ("ACTIVE", 1, "COMPLETED", 2, 0, 0)]),
        ])
        service = self.describe()
        self.assertEqual(service["deployments"][0]["rolloutStateReason"],
                         "ECS deployment circuit breaker: tasks failed to start.")
        self.assertEqual(self.messages(service)[0],
                         "(service %s) (deployment %s) deployment failed: tasks failed to start." % (self.name, new_id))


class CircuitBreakerRollbackTest(RolloutTestCase):
    config = {"polls": 2, "default": "circuit_breaker_rollback"}

    def test_circuit_breaker_rollback(self):
        new_id = self.update()["deployments"][0]["id"]
        self.assertEqual([self.poll() for _ in range(2)], [
            (2, 2, 2, [("PRIMARY", 2, "IN_PROGRESS", 0, 2, 1), ("ACTIVE", 1, "COMPLETED", 2, 0, 0)]),
            (2, 2, 2, [("PRIMARY", 2, "IN_PROGRESS", 0, 2, 2), ("ACTIVE", 1, "COMPLETED", 2, 0, 0)]),
        ])
        service = self.describe()
        self.assertEqual(view(service), (1, 2, 0, [("PRIMARY", 1, "IN_PROGRESS", 2, 0, 0),
                                                   ("ACTIVE", 2, "FAILED", 0, 0, 3)]))
        rollback, failed = service["deployments"]
        self.assertEqual(failed["id"], new_id)
        self.assertEqual(failed["rolloutStateReason"], "ECS deployment circuit breaker: tasks failed to start.")
        self.assertEqual(rollback["rolloutStateReason"],
                         "ECS deployment circuit breaker: rolling back to deploymentId %s." % self.created_id)
        self.assertEqual(self.messages(service)[:2], [
            "(service %s) rolling back to deployment %s." % (self.name, self.created_id),
            "(service %s) (deployment %s) deployment failed: tasks failed to start." % (self.name, new_id)])
        # moto itself has the service back on revision 1.
        self.assertEqual(self.describe(moto.url)["taskDefinition"], self.revisions[0])
        self.assertEqual([self.poll() for _ in range(2)], [
            (1, 2, 0, [("PRIMARY", 1, "IN_PROGRESS", 2, 0, 0), ("ACTIVE", 2, "FAILED", 0, 0, 3)]),
            (1, 2, 0, [("PRIMARY", 1, "COMPLETED", 2, 0, 0)]),
        ])

    def test_rollback_needs_a_completed_deployment_to_go_back_to(self):
        self.fake.set_config({"polls": 2, "on_create": "circuit_breaker_rollback"})
        self.ecs.create_service(cluster=self.name, serviceName="first", taskDefinition=self.name + ":1",
                                desiredCount=1, deploymentConfiguration=BREAKER_WITH_ROLLBACK)
        polls = [view(self.ecs.describe_services(cluster=self.name, services=["first"])["services"][0])
                 for _ in range(3)]
        self.assertEqual(polls[2], (1, 0, 0, [("PRIMARY", 1, "FAILED", 0, 0, 3)]))


class CircuitBreakerOffTest(RolloutTestCase):
    config = {"polls": 2, "default": "circuit_breaker_rollback"}
    breaker = None

    def test_without_the_breaker_ecs_keeps_trying(self):
        self.update()
        polls = [self.poll() for _ in range(10)]
        self.assertEqual([p[3][0][2] for p in polls], ["IN_PROGRESS"] * 10)
        self.assertEqual([p[3][0][5] for p in polls], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        self.assertEqual({p[0] for p in polls}, {2})
        self.assertIn("(service %s) is unable to consistently start tasks successfully. For more information, see "
                      "the Troubleshooting section of the Amazon ECS Developer Guide." % self.name, self.messages())

    def test_breaker_without_rollback_fails_in_place(self):
        self.update(deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": False}})
        polls = [self.poll() for _ in range(4)]
        self.assertEqual(polls[3], (2, 2, 0, [("PRIMARY", 2, "FAILED", 0, 0, 3), ("ACTIVE", 1, "COMPLETED", 2, 0, 0)]))


class NeverTest(RolloutTestCase):
    config = {"polls": 2, "default": "never"}

    def test_never(self):
        self.update()
        polls = [self.poll() for _ in range(12)]
        self.assertEqual(polls[0], (2, 2, 2, [("PRIMARY", 2, "IN_PROGRESS", 0, 2, 0), ("ACTIVE", 1, "COMPLETED", 2, 0, 0)]))
        for p in polls[1:]:
            self.assertEqual(p, (2, 2, 1, [("PRIMARY", 2, "IN_PROGRESS", 1, 1, 0), ("ACTIVE", 1, "COMPLETED", 1, 0, 0)]))


class ConfigTest(RolloutTestCase):
    def test_scenario_list_applies_to_successive_updates_and_the_api_changes_it(self):
        self.fake.set_scenario(self.name, ["complete", "fail"])
        outcomes = []
        for revision in (2, 1, 2):
            self.update(taskDefinition="%s:%d" % (self.name, revision))
            outcomes.append([self.poll()[3][0][2] for _ in range(3)][-1])
        self.assertEqual(outcomes, ["COMPLETED", "FAILED", "FAILED"])
        post = urllib.request.Request(self.fake.url + "/ecs-fake/config", method="POST",
                                      data=json.dumps({"polls": 1, "services": {self.name: "complete"}}).encode())
        with urllib.request.urlopen(post, timeout=30) as answer:
            self.assertEqual(json.load(answer)["services"], {self.name: "complete"})
        self.update(taskDefinition=self.name + ":1")
        self.assertEqual([self.poll()[3][0][2] for _ in range(2)], ["IN_PROGRESS", "COMPLETED"])

    def test_bad_config_is_refused_with_where_and_what(self):
        with self.assertRaises(ConfigError) as refused:
            self.fake.set_config({"services": {"web": {"scenario": "explode"}}})
        self.assertEqual(str(refused.exception), "config.services.web.scenario: expected one of complete, fail, "
                                                 "circuit_breaker_rollback, never or a non-empty list of them, "
                                                 "got 'explode'")
        bad = urllib.request.Request(self.fake.url + "/ecs-fake/config", method="POST", data=b'{"polls": -1}')
        with self.assertRaises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(bad, timeout=30)
        self.assertEqual(answer.exception.code, 400)
        self.assertIn("config.polls", json.load(answer.exception)["error"])

    def test_seconds_keep_a_deployment_in_progress_at_least_that_long(self):
        self.fake.set_config({"polls": 0, "seconds": 2})
        started = time.monotonic()
        self.update()
        states = []
        while not states or states[-1] == "IN_PROGRESS":
            states.append(self.poll()[3][0][2])
            time.sleep(0.2)
        self.assertGreaterEqual(time.monotonic() - started, 2)
        self.assertEqual(states[-1], "COMPLETED")


class SigningTest(unittest.TestCase):
    def test_the_fakes_own_requests_are_signed_as_botocore_signs(self):
        body = b'{"cluster": "c", "services": ["s"]}'
        headers = [("Content-Type", "application/x-amz-json-1.1"),
                   ("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DescribeServices")]
        request = botocore.awsrequest.AWSRequest("POST", "http://127.0.0.1:5000/", data=body, headers=dict(headers))
        signer = botocore.auth.SigV4Auth(botocore.credentials.Credentials("AKIDEXAMPLE", "secret"), "ecs", "eu-west-1")
        signer.add_auth(request)   # at the current time, which ours then uses too
        now = time.strptime(request.headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
        ours = sign_v4(Exchange("POST", "/", list(headers), body), "127.0.0.1:5000", "AKIDEXAMPLE", "secret",
                       "eu-west-1", "ecs", now=now)
        self.assertEqual(ours.header("Authorization").rsplit("Signature=", 1)[1],
                         request.headers["Authorization"].rsplit("Signature=", 1)[1])


class CliTest(unittest.TestCase):
    def test_cli_with_a_config_file_and_the_aws_cli(self):
        name = "cli-rollout"
        config = tempfile.NamedTemporaryFile("w", prefix="ecs-fake-", suffix=".json", delete=False)
        json.dump({"polls": 1, "services": {name: "fail"}}, config)
        config.close()
        self.addCleanup(os.unlink, config.name)
        fake = subprocess.Popen([sys.executable, os.path.join(SUPPORT_DIR, "ecs_rollout_fake.py"), "--target", moto.url,
                                 "--config", config.name], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            url = "http://127.0.0.1:%d" % int(fake.stdout.readline())
            ecs = client("ecs", url)
            ecs.create_cluster(clusterName=name)
            for image in ("app:1", "app:2"):
                ecs.register_task_definition(family=name, containerDefinitions=[{"name": "a", "image": image,
                                                                                 "memory": 64}])
            ecs.create_service(cluster=name, serviceName=name, taskDefinition=name + ":1", desiredCount=1)

            def aws(*args):
                done = subprocess.run(["aws", "--endpoint-url", url, "--output", "json", "ecs"] + list(args) +
                                      ["--cluster", name], env=aws_cli_env(), capture_output=True, text=True,
                                      timeout=120)
                self.assertEqual(done.returncode, 0, done.stderr)
                return json.loads(done.stdout)

            def rollout_states():
                return [d["rolloutState"] for d in aws("describe-services", "--services", name)["services"][0][
                    "deployments"]]

            self.assertEqual([[d["rolloutState"] for d in ecs.describe_services(cluster=name, services=[name])[
                "services"][0]["deployments"]] for _ in range(2)], [["IN_PROGRESS"], ["COMPLETED"]])
            aws("update-service", "--service", name, "--task-definition", name + ":2")
            self.assertEqual([rollout_states() for _ in range(2)], [["IN_PROGRESS", "COMPLETED"],
                                                                    ["FAILED", "COMPLETED"]])
            with open(config.name, "w") as f:   # the file is re-read when it changes
                json.dump({"polls": 1, "services": {name: "complete"}}, f)
            os.utime(config.name, ns=(time.time_ns(), time.time_ns() + 10 ** 9))
            ecs.update_service(cluster=name, service=name, taskDefinition=name + ":1")
            self.assertEqual([[d["rolloutState"] for d in ecs.describe_services(cluster=name, services=[name])[
                "services"][0]["deployments"]] for _ in range(2)], [["IN_PROGRESS", "FAILED", "COMPLETED"],
                                                                    ["COMPLETED"]])
        finally:
            fake.send_signal(signal.SIGTERM)
            self.assertEqual(fake.wait(timeout=30), 0)
            fake.stdout.close()
            fake.stderr.close()

    def test_cli_refuses_a_bad_config_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as config:
            json.dump({"default": "sometimes"}, config)
            config.flush()
            refused = subprocess.run([sys.executable, os.path.join(SUPPORT_DIR, "ecs_rollout_fake.py"), "--target",
                                      moto.url, "--config", config.name], capture_output=True, text=True, timeout=60)
        self.assertEqual(refused.returncode, 2)
        self.assertIn("config.default: expected one of complete, fail", refused.stderr)


if __name__ == "__main__":
    unittest.main()
