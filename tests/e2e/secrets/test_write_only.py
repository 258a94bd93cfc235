"""Write-only values (docs/secrets.md): aws_ssm_parameter.value_wo is sent to
SSM and never recorded. After apply, the state, the pending journal, a saved
plan, `show --json`, `state pull` and a RECONCILE_LOG=trace log hold no trace
of it (0 hits); only value_wo_version is stored; the parameter in moto holds
the value; a changed value without a new version changes nothing, and a new
version writes it again."""
import glob
import json
import os
import unittest
import urllib.request

from example_harness import ExampleTestCase

SECRET = "wo-secret-Hq72-first"
SECOND = "wo-secret-Hq72-second"

STACK = """
[provider.aws]
region = "us-west-2"

[variable.db_password]
type = "string"
sensitive = true

[variable.db_password_version]
type = "number"
default = 1

[resource.aws_ssm_parameter.db]
name = "/app/db-password"
type = "SecureString"
value_wo = "${var.db_password}"
value_wo_version = "${var.db_password_version}"

[output.version]
value = "${aws_ssm_parameter.db.value_wo_version}"
"""


class WriteOnlyTest(ExampleTestCase):
    def setUp(self):
        super().setUp()
        urllib.request.urlopen(urllib.request.Request(self.moto.url + "/moto-api/reset", method="POST"))
        self.write("main.toml", STACK)
        self.log_path = os.path.join(self.dir, "trace.log")
        self.env["RECONCILE_LOG"] = "trace"
        self.env["RECONCILE_LOG_FILE"] = self.log_path

    def stored(self):
        ssm = self.aws("ssm")
        p = ssm.get_parameter(Name="/app/db-password", WithDecryption=True)["Parameter"]
        return p["Value"], p["Version"]

    def everything_kept(self):
        """Every file under the stack (state, backup, journal, plan files) and the log."""
        texts = {}
        for path in glob.glob(os.path.join(self.dir, "**"), recursive=True) + \
                glob.glob(os.path.join(self.dir, ".reconcile", "**"), recursive=True):
            if os.path.isfile(path) and not path.endswith(".toml"):
                with open(path, "rb") as f:
                    texts[path] = f.read().decode(errors="replace")
        return texts

    def assert_nowhere(self, secret, *outputs):
        for path, text in self.everything_kept().items():
            self.assertNotIn(secret, text, path)
        for text in outputs:
            self.assertNotIn(secret, text)

    def test_the_value_reaches_ssm_and_nothing_else(self):
        # Given a write-only parameter value from a sensitive variable
        self.env["RECONCILE_VAR_db_password"] = SECRET
        # When it is applied
        applied = self.apply()
        # Then SSM holds it
        self.assertEqual(self.stored(), (SECRET, 1))
        # And the state records the version, not the value
        pulled = json.loads(self.ok("state", "pull").stdout)
        attributes = pulled["resources"][0]["attributes"]
        self.assertIsNone(attributes["value_wo"])
        self.assertIsNone(attributes["value"])
        self.assertEqual(attributes["value_wo_version"], 1)
        shown = self.ok("show", "--json").stdout
        # And nothing kept or printed holds the value (the log does hold the calls)
        with open(self.log_path) as f:
            log = f.read()
        self.assertIn("ssm.PutParameter", log)
        self.assert_nowhere(SECRET, applied.output, shown, json.dumps(pulled))
        # And a plan sees no change
        self.assert_no_changes()

    def test_a_new_value_is_written_only_with_a_new_version(self):
        self.env["RECONCILE_VAR_db_password"] = SECRET
        self.apply()
        # A changed value alone is no change (it is not stored to compare with)
        self.env["RECONCILE_VAR_db_password"] = SECOND
        self.assert_no_changes()
        self.assertEqual(self.stored(), (SECRET, 1))
        # A new version writes it, through a saved plan
        self.env["RECONCILE_VAR_db_password_version"] = "2"
        plan = self.ok("plan", "--out", "tfplan")
        self.assertIn("value_wo_version", plan.stdout)
        shown = self.ok("show", "--json", "tfplan").stdout
        self.ok("apply", "tfplan")
        self.assertEqual(self.stored(), (SECOND, 2))
        self.assertEqual(json.loads(self.ok("state", "pull").stdout)["outputs"]["version"]["value"], 2)
        self.assert_nowhere(SECOND, plan.output, shown)
        self.assert_nowhere(SECRET)

    def test_value_and_value_wo_are_exclusive(self):
        self.write("main.toml", STACK.replace('value_wo = "${var.db_password}"',
                                              'value_wo = "${var.db_password}"\nvalue = "plain"'))
        self.env["RECONCILE_VAR_db_password"] = SECRET
        r = self.fails("plan")
        self.assertIn("Exactly one of value and value_wo must be set", r.stderr)


if __name__ == "__main__":
    unittest.main()
