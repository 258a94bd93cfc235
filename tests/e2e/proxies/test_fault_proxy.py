"""tests/support/fault_proxy.py against a real moto_server: it forwards every
request unchanged, injects each fault kind as configured (5xx after the call
took effect in moto, throttling that never reaches moto, resets, stalls), logs
exactly what it injected, decides reproducibly from its seed, and leaves moto's
control endpoints alone. Also its CLI, driven with the aws CLI."""
import http.client
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.request

import botocore.exceptions
from botocore.retries.standard import ThrottledRetryableChecker

from proxy_test_support import SUPPORT_DIR, Moto, aws_cli_env, client
from fault_proxy import FaultProxy, read_log
from moto_proxy import Exchange, sign_v4

moto = None


def setUpModule():
    global moto
    moto = Moto()


def tearDownModule():
    moto.stop()


def error_of(call):
    """(code, HTTP status) of the ClientError `call` raises."""
    try:
        call()
    except botocore.exceptions.ClientError as error:
        return error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("the call succeeded")


def vpc_ids(endpoint, cidr):
    vpcs = client("ec2", endpoint).describe_vpcs(Filters=[{"Name": "cidr", "Values": [cidr]}])["Vpcs"]
    return sorted(vpc["VpcId"] for vpc in vpcs)


def signed_request(proxy_url, service, method="GET", target="/", body=b""):
    """A raw SigV4-signed request for the proxy, as (method, target, headers, body)."""
    host = proxy_url.split("//", 1)[1]
    exchange = sign_v4(Exchange(method, target, [], body), host, "testing", "testing", "us-east-1", service)
    return exchange


class RecordingTarget:
    """A loopback HTTP server that records each request and answers 201 with fixed headers."""

    def __init__(self):
        self.requests = []
        target = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                target.requests.append((self.command, self.path, list(self.headers.items()),
                                        self.rfile.read(length)))
                body = b"\x00answer\xff"
                self.send_response_only(201, "Created Here")
                self.send_header("X-Answer", "one")
                self.send_header("X-Answer", "two")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_any

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class ForwardingTest(unittest.TestCase):
    def test_request_and_answer_are_relayed_byte_for_byte(self):
        target = RecordingTarget()
        self.addCleanup(target.stop)
        with FaultProxy(target.url, rate=0) as proxy:
            headers = [("Host", "ec2.us-east-1.example:443"), ("X-Amz-Date", "20240101T000000Z"),
                       ("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ec2/aws4_request, "
                                         "SignedHeaders=host;x-amz-date, Signature=abc"),
                       ("x-amz-meta-Mixed", "a"), ("x-amz-meta-Mixed", "b"), ("Content-Length", "6")]
            connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30)
            answers = []
            for target_path in ("/bucket/k%20ey?tagging=&x=%2F", "/second"):   # one kept-alive connection
                connection.putrequest("PUT", target_path, skip_host=True, skip_accept_encoding=True)
                for name, value in headers + [("Connection", "keep-alive")]:
                    connection.putheader(name, value)
                connection.endheaders(b"\x00bin\xff\n")
                response = connection.getresponse()
                answers.append((response.status, response.reason, response.getheaders(), response.read()))
            connection.close()

        self.assertEqual(target.requests, [("PUT", "/bucket/k%20ey?tagging=&x=%2F", headers, b"\x00bin\xff\n"),
                                           ("PUT", "/second", headers, b"\x00bin\xff\n")])
        for status, reason, answer_headers, body in answers:
            self.assertEqual((status, reason, body), (201, "Created Here", b"\x00answer\xff"))
            self.assertEqual([v for k, v in answer_headers if k == "X-Answer"], ["one", "two"])

    def test_chunked_request_is_forwarded_with_its_length(self):
        target = RecordingTarget()
        self.addCleanup(target.stop)
        with FaultProxy(target.url, rate=0) as proxy:
            connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30)
            connection.request("POST", "/x", body=iter([b"abc", b"defg"]), encode_chunked=True,
                               headers={"Transfer-Encoding": "chunked"})
            self.assertEqual(connection.getresponse().status, 201)
            connection.close()
        method, path, headers, body = target.requests[0]
        self.assertEqual((method, path, body), ("POST", "/x", b"abcdefg"))
        self.assertIn(("Content-Length", "7"), headers)
        self.assertNotIn("transfer-encoding", [k.lower() for k, _ in headers])

    def test_every_protocol_works_through_the_proxy_without_faults(self):
        with FaultProxy(moto.url, rate=0) as proxy:
            vpc = client("ec2", proxy.url).create_vpc(CidrBlock="10.11.0.0/16")["Vpc"]["VpcId"]
            client("iam", proxy.url).create_role(RoleName="through-proxy", AssumeRolePolicyDocument="{}")
            client("ecs", proxy.url).create_cluster(clusterName="through-proxy")
            s3 = client("s3", proxy.url)
            s3.create_bucket(Bucket="through-proxy")
            payload = os.urandom(200000)
            s3.put_object(Bucket="through-proxy", Key="dir/object", Body=payload)
            self.assertEqual(s3.get_object(Bucket="through-proxy", Key="dir/object")["Body"].read(), payload)
            self.assertEqual(s3.head_object(Bucket="through-proxy", Key="dir/object")["ContentLength"], len(payload))
            client("dynamodb", proxy.url).create_table(
                TableName="through-proxy", BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
            self.assertEqual(client("sts", proxy.url).get_caller_identity()["Account"], "123456789012")
            self.assertEqual(proxy.faults(), [])
            self.assertEqual(proxy.stats()["requests"], 9)

        self.assertEqual(vpc_ids(moto.url, "10.11.0.0/16"), [vpc])
        self.assertEqual(client("iam", moto.url).get_role(RoleName="through-proxy")["Role"]["RoleName"],
                         "through-proxy")
        self.assertEqual(client("ecs", moto.url).describe_clusters(clusters=["through-proxy"])["clusters"][0]["status"],
                         "ACTIVE")
        self.assertIn("through-proxy", client("dynamodb", moto.url).list_tables()["TableNames"])


class FaultKindTest(unittest.TestCase):
    def setUp(self):
        self.log = tempfile.NamedTemporaryFile(prefix="faults-", suffix=".jsonl", delete=False).name
        self.addCleanup(os.unlink, self.log)

    def test_5xx_after_forwarding_took_effect_in_moto(self):
        with FaultProxy(moto.url, rate=1, kinds=["5xx-after"], seed=1, log_path=self.log) as proxy:
            seen = [
                error_of(lambda: client("ec2", proxy.url).create_vpc(CidrBlock="10.21.0.0/16")),
                error_of(lambda: client("ecs", proxy.url).create_cluster(clusterName="five-hundred")),
                error_of(lambda: client("iam", proxy.url).create_role(RoleName="five-hundred",
                                                                      AssumeRolePolicyDocument="{}")),
                error_of(lambda: client("s3", proxy.url).create_bucket(Bucket="five-hundred")),
            ]
        log = read_log(self.log)
        self.assertEqual([(r["service"], r["action"], r["kind"], r["forwarded_status"]) for r in log],
                         [("ec2", "CreateVpc", "5xx-after", 200), ("ecs", "CreateCluster", "5xx-after", 200),
                          ("iam", "CreateRole", "5xx-after", 200), ("s3", "CreateBucket", "5xx-after", 200)])
        # The SDK parsed the code out of each protocol's error shape.
        self.assertEqual(seen, [(r["code"], r["status"]) for r in log])
        for code, status in seen:
            self.assertIn((code, status), [("InternalError", 500), ("ServiceUnavailable", 503)])
        # ... and yet moto did it.
        self.assertEqual(len(vpc_ids(moto.url, "10.21.0.0/16")), 1)
        self.assertEqual(client("ecs", moto.url).describe_clusters(clusters=["five-hundred"])["clusters"][0]["status"],
                         "ACTIVE")
        client("iam", moto.url).get_role(RoleName="five-hundred")
        client("s3", moto.url).head_bucket(Bucket="five-hundred")

    def test_throttling_never_reaches_moto(self):
        with FaultProxy(moto.url, rate=1, kinds=["throttle"], log_path=self.log) as proxy:
            seen = [
                error_of(lambda: client("ec2", proxy.url).create_vpc(CidrBlock="10.22.0.0/16")),
                error_of(lambda: client("ecs", proxy.url).create_cluster(clusterName="throttled")),
                error_of(lambda: client("iam", proxy.url).create_role(RoleName="throttled",
                                                                      AssumeRolePolicyDocument="{}")),
                error_of(lambda: client("s3", proxy.url).create_bucket(Bucket="throttled")),
                error_of(lambda: client("dynamodb", proxy.url).list_tables()),
            ]
        self.assertEqual(seen, [("RequestLimitExceeded", 503), ("ThrottlingException", 400), ("Throttling", 400),
                                ("SlowDown", 503), ("ThrottlingException", 400)])
        for code, _ in seen:   # botocore itself classifies each as throttling
            self.assertIn(code, ThrottledRetryableChecker._THROTTLED_ERROR_CODES)
        self.assertEqual([(r["kind"], r["code"]) for r in read_log(self.log)],
                         [("throttle", code) for code, _ in seen])
        self.assertEqual(vpc_ids(moto.url, "10.22.0.0/16"), [])
        self.assertEqual(client("ecs", moto.url).describe_clusters(clusters=["throttled"])["clusters"], [])
        self.assertNotIn("throttled", [b["Name"] for b in client("s3", moto.url).list_buckets()["Buckets"]])
        with self.assertRaises(botocore.exceptions.ClientError):
            client("iam", moto.url).get_role(RoleName="throttled")

    def test_reset_without_answer_after_the_call_took_effect(self):
        with FaultProxy(moto.url, rate=1, kinds=["reset"], reset_mode="no-response", log_path=self.log) as proxy:
            with self.assertRaises(botocore.exceptions.ConnectionClosedError):
                client("ec2", proxy.url).create_vpc(CidrBlock="10.23.0.0/16")
        self.assertEqual([(r["kind"], r["detail"], r["forwarded_status"]) for r in read_log(self.log)],
                         [("reset", "no-response", 200)])
        self.assertEqual(len(vpc_ids(moto.url, "10.23.0.0/16")), 1)

    def test_reset_in_the_middle_of_the_answer(self):
        payload = os.urandom(100000)
        client("s3", moto.url).create_bucket(Bucket="mid-response")
        client("s3", moto.url).put_object(Bucket="mid-response", Key="blob", Body=payload)
        with FaultProxy(moto.url, rate=1, kinds=["reset"], reset_mode="mid-response", log_path=self.log) as proxy:
            request = signed_request(proxy.url, "s3", target="/mid-response/blob")
            connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30)
            connection.request(request.method, request.target, headers=dict(request.headers))
            response = connection.getresponse()
            self.assertEqual((response.status, response.getheader("Content-Length")), (200, str(len(payload))))
            with self.assertRaises((http.client.IncompleteRead, ConnectionResetError)) as raised:
                response.read()
            connection.close()
        if isinstance(raised.exception, http.client.IncompleteRead):
            self.assertEqual(raised.exception.partial, payload[:len(payload) // 2])
        self.assertEqual([(r["action"], r["detail"]) for r in read_log(self.log)], [("GetObject", "mid-response")])

    def test_stall_sends_nothing_while_other_connections_are_served(self):
        with FaultProxy(moto.url, rate=1, kinds=["stall"], stall_seconds=3600, only=["ec2:CreateVpc"],
                        log_path=self.log) as proxy:
            request = signed_request(proxy.url, "ec2", method="POST", target="/",
                                     body=b"Action=CreateVpc&Version=2016-11-15&CidrBlock=10.24.0.0%2F16")
            request.headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            stalled = socket.create_connection(("127.0.0.1", proxy.port), timeout=30)
            stalled.sendall(("POST / HTTP/1.1\r\n" + "".join("%s: %s\r\n" % h for h in request.headers) +
                             "Content-Length: %d\r\n\r\n" % len(request.body)).encode() + request.body)
            # The stall is logged as soon as it starts; meanwhile other calls go through.
            for _ in range(100):
                if proxy.faults():
                    break
                threading.Event().wait(0.1)
            self.assertEqual([(r["action"], r["kind"]) for r in proxy.faults()], [("CreateVpc", "stall")])
            self.assertEqual(vpc_ids(proxy.url, "10.24.0.0/16"), [])
            stalled.settimeout(1)
            with self.assertRaises(socket.timeout):
                stalled.recv(1)   # nothing at all was sent back
        # stop() ends the stall: the connection closes without an answer.
        stalled.settimeout(30)
        try:
            self.assertEqual(stalled.recv(1), b"")
        except ConnectionResetError:
            pass
        stalled.close()
        self.assertEqual(vpc_ids(moto.url, "10.24.0.0/16"), [])
        self.assertEqual(len(read_log(self.log)), 1)

    def test_stall_then_forward_answers_late(self):
        with FaultProxy(moto.url, rate=1, kinds=["stall"], stall_seconds=0.5, stall_then="forward",
                        only=["ec2:CreateVpc"], log_path=self.log) as proxy:
            vpc = client("ec2", proxy.url).create_vpc(CidrBlock="10.25.0.0/16")["Vpc"]["VpcId"]
        self.assertEqual(vpc_ids(moto.url, "10.25.0.0/16"), [vpc])
        self.assertEqual([r["detail"] for r in read_log(self.log)], ["0.5s then forward"])


class SelectionTest(unittest.TestCase):
    def test_moto_control_endpoints_and_unsigned_requests_are_never_faulted(self):
        with FaultProxy(moto.url, rate=1, stall_seconds=3600) as proxy:
            with urllib.request.urlopen(proxy.url + "/moto-api/data.json", timeout=60) as answer:
                self.assertEqual(answer.status, 200)
                json.load(answer)
            for _ in range(20):   # even when signed like an AWS call
                request = signed_request(proxy.url, "ec2", target="/moto-api/")
                connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30)
                connection.request(request.method, request.target, headers=dict(request.headers))
                self.assertEqual(connection.getresponse().status, 200)
                connection.close()
            reset = urllib.request.Request(proxy.url + "/moto-api/reset", method="POST")
            with urllib.request.urlopen(reset, timeout=30) as answer:
                self.assertEqual(answer.status, 200)
            with urllib.request.urlopen(proxy.url + "/", timeout=30) as answer:   # unsigned: no service
                self.assertEqual(answer.status, 200)
            self.assertEqual(proxy.faults(), [])
            self.assertEqual(proxy.stats()["eligible"], 0)
            self.assertEqual(proxy.stats()["requests"], 23)

    def test_only_and_never_narrow_the_faults(self):
        with FaultProxy(moto.url, rate=1, kinds=["throttle"], only=["ec2"]) as proxy:
            client("iam", proxy.url).list_roles()
            self.assertEqual(error_of(lambda: client("ec2", proxy.url).describe_vpcs())[0], "RequestLimitExceeded")
        with FaultProxy(moto.url, rate=1, kinds=["throttle"], only=["EC2:CreateVpc"]) as proxy:
            client("ec2", proxy.url).describe_vpcs()
            self.assertEqual(error_of(lambda: client("ec2", proxy.url).create_vpc(CidrBlock="10.31.0.0/16"))[0],
                             "RequestLimitExceeded")
        with FaultProxy(moto.url, rate=1, kinds=["throttle"], only=["ec2", "s3"], never=["s3", "dynamodb"]) as proxy:
            client("s3", proxy.url).list_buckets()
            client("dynamodb", proxy.url).list_tables()
            self.assertEqual(error_of(lambda: client("ec2", proxy.url).describe_vpcs())[0], "RequestLimitExceeded")
            self.assertEqual([r["service"] for r in proxy.faults()], ["ec2"])

    def test_max_in_a_row_lets_every_nth_call_through(self):
        with FaultProxy(moto.url, rate=1, kinds=["throttle"], max_in_a_row=2) as proxy:
            outcomes = []
            for _ in range(6):
                try:
                    client("sts", proxy.url).get_caller_identity()
                    outcomes.append("ok")
                except botocore.exceptions.ClientError as error:
                    outcomes.append(error.response["Error"]["Code"])
        self.assertEqual(outcomes, ["Throttling", "Throttling", "ok", "Throttling", "Throttling", "ok"])

    def test_rate_seed_and_log_agree_with_what_the_client_saw(self):
        def run(seed, log):
            seen = []
            with FaultProxy(moto.url, rate=0.2, seed=seed, stall_seconds=0.2, log_path=log) as proxy:
                ec2 = client("ec2", proxy.url)
                for _ in range(60):
                    try:
                        ec2.describe_vpcs()
                        seen.append("ok")
                    except botocore.exceptions.ClientError as error:
                        seen.append(error.response["Error"]["Code"])
                    except botocore.exceptions.ConnectionClosedError:
                        seen.append("closed")
                stats = proxy.stats()
            return seen, stats

        log_path = tempfile.NamedTemporaryFile(prefix="faults-", suffix=".jsonl", delete=False).name
        self.addCleanup(os.unlink, log_path)
        seen, stats = run(7, log_path)
        log = read_log(log_path)
        kinds = [r["kind"] for r in log]
        # The client saw exactly the faults the log lists, in order.
        expected = {"5xx-after": None, "throttle": "RequestLimitExceeded", "reset": "closed", "stall": "closed"}
        self.assertEqual([s for s in seen if s != "ok"],
                         [r["code"] if r["kind"] == "5xx-after" else expected[r["kind"]] for r in log])
        self.assertEqual([r["seq"] for r in log], list(range(1, len(log) + 1)))
        self.assertEqual(stats["faults"], {k: kinds.count(k) for k in expected})
        self.assertEqual((stats["requests"], stats["eligible"]), (60, 60))
        # About a fifth, every kind drawn (fixed by the seed, so not a flaky bound).
        self.assertTrue(6 <= len(log) <= 24, len(log))
        self.assertEqual(set(kinds), set(expected))
        # Same seed, same faults at the same calls; another seed, others.
        again, _ = run(7, None)
        self.assertEqual(again, seen)
        other, _ = run(8, None)
        self.assertNotEqual(other, seen)


class ControlAndCliTest(unittest.TestCase):
    def test_config_endpoint_changes_the_rate_and_refuses_bad_values(self):
        with FaultProxy(moto.url, rate=1, kinds=["throttle"]) as proxy:
            self.assertEqual(error_of(lambda: client("sts", proxy.url).get_caller_identity())[0], "Throttling")
            post = urllib.request.Request(proxy.url + "/fault-proxy/config", data=b'{"rate": 0}', method="POST")
            with urllib.request.urlopen(post, timeout=30) as answer:
                self.assertEqual(json.load(answer)["rate"], 0.0)
            client("sts", proxy.url).get_caller_identity()
            bad = urllib.request.Request(proxy.url + "/fault-proxy/config", data=b'{"kinds": ["melt"]}',
                                         method="POST")
            with self.assertRaises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(bad, timeout=30)
            self.assertEqual(refused.exception.code, 400)
            self.assertIn("kinds must be", json.load(refused.exception)["error"])
            with urllib.request.urlopen(proxy.url + "/fault-proxy/stats", timeout=30) as answer:
                self.assertEqual(json.load(answer)["faults"]["throttle"], 1)

    def test_cli_with_the_aws_cli(self):
        log = tempfile.NamedTemporaryFile(prefix="faults-", suffix=".jsonl", delete=False).name
        self.addCleanup(os.unlink, log)
        proxy = subprocess.Popen([sys.executable, os.path.join(SUPPORT_DIR, "fault_proxy.py"), "--target", moto.url,
                                  "--rate", "1", "--seed", "7", "--kinds", "throttle", "--only", "ec2", "--log", log],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            port = int(proxy.stdout.readline())
            url = "http://127.0.0.1:%d" % port

            def aws(*args):
                return subprocess.run(["aws", "--endpoint-url", url, "--output", "json"] + list(args),
                                      env=aws_cli_env(), capture_output=True, text=True, timeout=120)

            throttled = aws("ec2", "describe-vpcs")
            self.assertNotEqual(throttled.returncode, 0)
            self.assertIn("RequestLimitExceeded", throttled.stderr)
            listed = aws("iam", "list-roles")
            self.assertEqual(listed.returncode, 0, listed.stderr)
            self.assertEqual([(r["service"], r["action"], r["kind"]) for r in read_log(log)],
                             [("ec2", "DescribeVpcs", "throttle")])
        finally:
            proxy.send_signal(signal.SIGTERM)
            self.assertEqual(proxy.wait(timeout=30), 0)
            proxy.stdout.close()
            proxy.stderr.close()

    def test_cli_refuses_bad_arguments(self):
        refused = subprocess.run([sys.executable, os.path.join(SUPPORT_DIR, "fault_proxy.py"), "--target", moto.url,
                                  "--kinds", "5xx-after,melt"], capture_output=True, text=True, timeout=60)
        self.assertEqual(refused.returncode, 2)
        self.assertIn("kinds must be a non-empty subset of 5xx-after,throttle,reset,stall", refused.stderr)


if __name__ == "__main__":
    unittest.main()
