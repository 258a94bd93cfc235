"""Shared pieces of the proxy self-tests: a moto_server per test file (started
by tests/support/moto.sh), boto3 clients that do not retry, and the path to
tests/support so the proxies import."""
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request

import boto3
from botocore.config import Config

SOURCE_DIR = os.environ.get("RECONCILE_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SUPPORT_DIR = os.path.join(SOURCE_DIR, "tests", "support")
sys.path.insert(0, SUPPORT_DIR)

REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
# Loopback calls must not go through a proxy the environment may name.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


class Moto:
    """A moto_server on a free loopback port."""

    def __init__(self, extra_env=None):
        self.workdir = tempfile.mkdtemp(prefix="reconcile-proxies-moto-")
        env = dict(os.environ, **(extra_env or {}))
        started = subprocess.run(["bash", os.path.join(SUPPORT_DIR, "moto.sh"), "start", self.workdir], env=env,
                                 capture_output=True, text=True, timeout=120, check=True)
        exported = dict(re.findall(r"export (\w+)=(.*)", started.stdout))
        self.pid = exported["MOTO_PID"]
        self.url = exported["MOTO_URL"]

    def reset(self):
        urllib.request.urlopen(urllib.request.Request(self.url + "/moto-api/reset", method="POST"), timeout=30)

    def stop(self):
        subprocess.run(["bash", os.path.join(SUPPORT_DIR, "moto.sh"), "stop", self.pid], timeout=60)
        shutil.rmtree(self.workdir, ignore_errors=True)


@functools.lru_cache(maxsize=None)
def client(service, endpoint, read_timeout=30):
    """A boto3 client on `endpoint` that makes exactly one attempt per call
    (made once per service and endpoint: creating one takes a while)."""
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION,
                        config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                                      read_timeout=read_timeout, connect_timeout=10),
                        **CREDENTIALS)


def aws_cli_env():
    """The environment for an aws CLI subprocess: test credentials, one attempt."""
    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION,
               AWS_REGION=REGION, AWS_MAX_ATTEMPTS="1", AWS_RETRY_MODE="standard")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE",
                 "AWS_SHARED_CREDENTIALS_FILE"):
        env.pop(name, None)
    return env
