"""Helpers for end-to-end tests that drive the built `reconcile` binary.

CTest sets RECONCILE_BIN (the binary), RECONCILE_SOURCE_DIR and
RECONCILE_PLUGIN_PATH (test-only plugins); the real providers are found in the
build tree's libexec/reconcile next to the binary.
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

BIN = os.environ.get("RECONCILE_BIN", "reconcile")
SOURCE_DIR = os.environ.get("RECONCILE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))


class Result:
    def __init__(self, args, returncode, stdout, stderr):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    @property
    def output(self):
        return self.stdout + self.stderr

    def __repr__(self):
        return "reconcile %s -> %d\n--- stdout\n%s\n--- stderr\n%s" % (
            " ".join(self.args), self.returncode, self.stdout, self.stderr)


class StackTestCase(unittest.TestCase):
    """Each test gets a fresh copy of a stack in a temporary directory."""

    example = None  # a directory under examples/ to copy, or None for an empty stack

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="reconcile-e2e-")
        self.env = dict(os.environ)
        self.env["NO_COLOR"] = "1"
        self.env.pop("RECONCILE_WORKSPACE", None)
        if self.example:
            shutil.copytree(os.path.join(SOURCE_DIR, "examples", self.example), self.dir, dirs_exist_ok=True)
        self.transcript = []

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def read(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return f.read()

    def run_tool(self, *args, input_text=None, timeout=300):
        proc = subprocess.run([BIN] + list(args), cwd=self.dir, env=self.env, input=input_text,
                              capture_output=True, text=True, timeout=timeout)
        result = Result(list(args), proc.returncode, proc.stdout, proc.stderr)
        self.transcript.append(result)
        return result

    def ok(self, *args, **kwargs):
        r = self.run_tool(*args, **kwargs)
        self.assertEqual(r.returncode, 0, repr(r))
        return r

    def fails(self, *args, **kwargs):
        r = self.run_tool(*args, **kwargs)
        self.assertEqual(r.returncode, 1, repr(r))
        return r

    def state(self, workspace="default"):
        with open(os.path.join(self.dir, ".reconcile", "state", workspace + ".json")) as f:
            return json.load(f)

    def everything_printed(self):
        return "\n".join(r.output for r in self.transcript)
