"""Client-side state encryption through the built binary (docs/encryption.md).

Passphrase on the local backend and aws_kms with the S3 backend, both against
moto: the stored state (every S3 object version, the local backup), a saved
plan and the pending journal hold no secret and do not parse as a plain state;
plan/apply/destroy work through encryption; a wrong or missing key fails with
exit 1 naming the key provider and changes nothing; a state copied from
another workspace is refused; a key is rotated with `fallback`, then
`state rekey`."""
import hashlib
import json
import os
import signal
import subprocess
import time
import unittest
import urllib.request

from example_harness import ExampleTestCase
from reconcile_harness import BIN

PASSPHRASE = "correct horse battery staple"
OTHER_PASSPHRASE = "a different passphrase entirely"
JOURNAL_SECRET = "journal-secret-Zq81"

RESOURCES = """
[provider.aws]
region = "us-west-2"

[resource.random_password.db]
length = 24

[resource.aws_ssm_parameter.db]
name = "/app/db-password"
type = "SecureString"
value = "${random_password.db.result}"
"""

PASSPHRASE_BLOCK = """
[variable.state_passphrase]
type = "string"
sensitive = true

[encryption]
key_provider = { passphrase = { passphrase = "${var.state_passphrase}" } }
"""


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class EncryptionTestCase(ExampleTestCase):
    def setUp(self):
        super().setUp()
        urllib.request.urlopen(urllib.request.Request(self.moto.url + "/moto-api/reset", method="POST"))

    def pulled(self):
        return json.loads(self.ok("state", "pull").stdout)

    def secret(self):
        state = self.pulled()
        for r in state["resources"]:
            if r["address"] == "random_password.db":
                return r["attributes"]["result"]
        self.fail("no random_password.db in state")

    def assert_sealed(self, data, secret, kind="state"):
        """Bytes of a stored document: no secret, not a plain state, an envelope of `kind`."""
        text = data.decode() if isinstance(data, bytes) else data
        self.assertNotIn(secret, text)
        document = json.loads(text)
        self.assertNotIn("resources", document)
        self.assertNotIn("format_version", document)
        self.assertEqual(document["reconcile_encrypted"], 1)
        self.assertEqual(document["document"], kind)
        self.assertEqual(document["method"], "AES-256-GCM")
        return document

    def parameter_value(self):
        return self.aws("ssm").get_parameter(Name="/app/db-password", WithDecryption=True)["Parameter"]["Value"]


class PassphraseLocalTest(EncryptionTestCase):
    def setUp(self):
        super().setUp()
        self.write("main.toml", RESOURCES + PASSPHRASE_BLOCK)
        self.env["RECONCILE_VAR_state_passphrase"] = PASSPHRASE
        self.state_path = os.path.join(self.dir, ".reconcile", "state", "default.json")

    def test_plan_apply_destroy_through_encryption(self):
        # Given an applied stack whose state is encrypted with a passphrase
        self.apply()
        secret = self.secret()
        self.assertEqual(self.parameter_value(), secret)
        # Then the state file and its backup hold no secret and are envelopes
        with open(self.state_path, "rb") as f:
            sealed = self.assert_sealed(f.read(), secret)
        self.assertEqual(sealed["key_provider"], "passphrase")
        self.assertEqual(sealed["workspace"], "default")
        with open(self.state_path + ".backup", "rb") as f:
            self.assert_sealed(f.read(), secret)
        # And state pull shows the decrypted document
        self.assertEqual(self.pulled()["serial"], sealed["serial"])
        # And a saved plan is sealed too, and applies
        self.write("main.toml", RESOURCES.replace("/app/db-password", "/app/db-password") +
                   PASSPHRASE_BLOCK + '\n[resource.random_password.other]\nlength = 20\n')
        self.ok("plan", "--out", "tfplan")
        with open(os.path.join(self.dir, "tfplan"), "rb") as f:
            self.assert_sealed(f.read(), secret, kind="plan")
        self.assertIn("random_password.other", self.ok("show", "tfplan").stdout)
        self.ok("apply", "tfplan")
        self.assert_no_changes()
        # When destroyed through the encrypted state
        self.ok("destroy", "--auto-approve")
        # Then nothing is left, and the state is still sealed
        self.assertEqual(self.pulled()["resources"], [])
        with open(self.state_path, "rb") as f:
            self.assert_sealed(f.read(), secret)

    def test_a_wrong_or_missing_key_fails_clearly_and_touches_nothing(self):
        self.apply()
        before = digest(self.state_path)
        # A wrong passphrase
        self.env["RECONCILE_VAR_state_passphrase"] = OTHER_PASSPHRASE
        for command in (["plan"], ["apply", "--auto-approve"], ["state", "pull"]):
            r = self.fails(*command)
            self.assertIn("Cannot decrypt the state of workspace \"default\" with key provider passphrase", r.stderr)
            self.assertIn("wrong passphrase", r.stderr)
            self.assertNotIn("JSON", r.stderr)
        # A missing passphrase
        del self.env["RECONCILE_VAR_state_passphrase"]
        r = self.fails("plan")
        self.assertIn("state_passphrase", r.stderr)
        # No encryption configured at all
        self.write("main.toml", RESOURCES)
        r = self.fails("plan")
        self.assertIn("is encrypted (key provider passphrase), but no encryption is configured", r.stderr)
        self.assertNotIn("JSON", r.stderr)
        # A passphrase too short
        self.write("main.toml", RESOURCES + PASSPHRASE_BLOCK)
        self.env["RECONCILE_VAR_state_passphrase"] = "short"
        r = self.fails("plan")
        self.assertIn("at least 16 characters", r.stderr)
        # Nothing was touched, and the lock was released
        self.assertEqual(digest(self.state_path), before)
        self.env["RECONCILE_VAR_state_passphrase"] = PASSPHRASE
        self.assert_no_changes()

    def test_a_state_copied_from_another_workspace_is_refused(self):
        self.apply()
        self.ok("workspace", "new", "prod")
        prod = os.path.join(self.dir, ".reconcile", "state", "prod.json")
        with open(prod, "rb") as f:
            self.assert_sealed(f.read(), "unused")
        with open(self.state_path, "rb") as f:
            copied = f.read()
        with open(prod, "wb") as f:
            f.write(copied)
        r = self.fails("plan")
        self.assertIn("sealed for workspace \"default\"", r.stderr)
        self.assertIn("copied from another workspace or stack is refused", r.stderr)
        with open(prod, "rb") as f:
            self.assertEqual(f.read(), copied)
        # An edited header (the workspace renamed) does not authenticate
        edited = json.loads(copied)
        edited["workspace"] = "prod"
        with open(prod, "w") as f:
            json.dump(edited, f)
        r = self.fails("plan")
        self.assertIn("does not authenticate", r.stderr)

    def test_rotation_with_fallback_then_rekey(self):
        self.apply()
        secret = self.secret()
        # Given a new passphrase with the old one as fallback
        self.write("main.toml", RESOURCES + PASSPHRASE_BLOCK.replace(
            "[encryption]\n", "[variable.old_passphrase]\ntype = \"string\"\nsensitive = true\n\n[encryption]\n") +
            'fallback = { key_provider = { passphrase = { passphrase = "${var.old_passphrase}" } } }\n')
        self.env["RECONCILE_VAR_old_passphrase"] = PASSPHRASE
        self.env["RECONCILE_VAR_state_passphrase"] = OTHER_PASSPHRASE
        self.assert_no_changes()
        with open(self.state_path) as f:
            salt_before = json.load(f)["key"]["salt"]
        # When the state is rekeyed
        self.assertIn("Re-encrypted", self.ok("state", "rekey").stdout)
        with open(self.state_path, "rb") as f:
            sealed = self.assert_sealed(f.read(), secret)
        self.assertNotEqual(sealed["key"]["salt"], salt_before)
        # Then the new passphrase alone opens it, and the old one no longer does
        self.write("main.toml", RESOURCES + PASSPHRASE_BLOCK)
        self.assert_no_changes()
        self.env["RECONCILE_VAR_state_passphrase"] = PASSPHRASE
        self.assertIn("wrong passphrase", self.fails("plan").stderr)

    def test_environment_override_and_enforced(self):
        # Given a plaintext state
        self.write("main.toml", RESOURCES)
        self.apply()
        secret = self.secret()
        # enforced refuses it
        self.env["RECONCILE_ENCRYPTION"] = json.dumps(
            {"key_provider": {"passphrase": {"env": "STATE_KEY"}}, "enforced": True})
        self.env["STATE_KEY"] = PASSPHRASE
        r = self.fails("plan")
        self.assertIn("is not encrypted, and [encryption] has enforced = true", r.stderr)
        # Without enforced (TOML this time), a rekey encrypts it
        self.env["RECONCILE_ENCRYPTION"] = 'key_provider = { passphrase = { env = "STATE_KEY" } }'
        self.ok("state", "rekey")
        with open(self.state_path, "rb") as f:
            self.assert_sealed(f.read(), secret)
        # and from then on enforced is satisfied
        self.env["RECONCILE_ENCRYPTION"] = json.dumps(
            {"key_provider": {"passphrase": {"env": "STATE_KEY"}}, "enforced": True})
        self.assert_no_changes()
        # state push of a plaintext copy is sealed on the way in
        pulled = self.ok("state", "pull").stdout
        self.ok("state", "push", "-", input_text=pulled)
        with open(self.state_path, "rb") as f:
            self.assert_sealed(f.read(), secret)

    def test_the_pending_journal_is_sealed(self):
        # Given an apply killed while a create is in flight
        self.write("main.toml", PASSPHRASE_BLOCK + """
[variable.secret]
type = "string"
sensitive = true

[resource.slow_thing.a]
name = "a"
delay_ms = 4000
content = "${var.secret}"
""")
        self.env["RECONCILE_VAR_secret"] = JOURNAL_SECRET
        self.env["SLOW_STATE_DIR"] = os.path.join(self.dir, "slow-objects")
        journal = os.path.join(self.dir, ".reconcile", "state", "default.pending.json")
        proc = subprocess.Popen([BIN, "apply", "--auto-approve"], cwd=self.dir, env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not os.path.exists(journal) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Then the journal holds no secret and is an envelope
        with open(journal, "rb") as f:
            self.assert_sealed(f.read(), JOURNAL_SECRET, kind="journal")
        # And the next apply reads it (with the key) and converges
        self.apply()
        self.assertEqual(self.pulled()["resources"][0]["attributes"]["content"], JOURNAL_SECRET)
        with open(self.state_path, "rb") as f:
            self.assert_sealed(f.read(), JOURNAL_SECRET)


class KmsS3Test(EncryptionTestCase):
    bucket = "enc-state"

    def setUp(self):
        super().setUp()
        kms = self.aws("kms")
        self.key_a = kms.create_key(Description="state a")["KeyMetadata"]
        self.key_b = kms.create_key(Description="state b")["KeyMetadata"]
        kms.create_alias(AliasName="alias/state", TargetKeyId=self.key_a["KeyId"])

    def stack(self, key_provider, fallback=None):
        text = RESOURCES + """
[backend.s3]
bucket = "enc-state"
key = "app/state.json"
region = "us-west-2"
lock_table = "enc-locks"

[encryption]
key_provider = { aws_kms = { kms_key_id = "%s" } }
""" % key_provider
        if fallback:
            text += 'fallback = { key_provider = { aws_kms = { kms_key_id = "%s" } } }\n' % fallback
        self.write("main.toml", text)

    def versions(self, key="app/state.json"):
        s3 = self.aws("s3")
        out = []
        for v in s3.list_object_versions(Bucket=self.bucket, Prefix=key).get("Versions", []):
            if v["Key"] == key:
                out.append(s3.get_object(Bucket=self.bucket, Key=key, VersionId=v["VersionId"])["Body"].read())
        return out

    def test_kms_on_s3_plan_apply_destroy_wrong_key_copy_and_rotation(self):
        # Given a stack on S3 encrypted with a KMS key (by alias)
        self.stack("alias/state")
        self.ok("init", "--bootstrap")
        self.apply()
        secret = self.secret()
        self.assertEqual(self.parameter_value(), secret)
        # Then every version of the state object is sealed with a KMS data key
        versions = self.versions()
        self.assertGreaterEqual(len(versions), 2)
        for data in versions:
            sealed = self.assert_sealed(data, secret)
            self.assertEqual(sealed["key_provider"], "aws_kms")
            self.assertEqual(sealed["key"]["kms_key_id"], self.key_a["Arn"])
        # Each write had a fresh data key
        keys = {json.loads(d)["key"]["wrapped_key"] for d in versions}
        self.assertEqual(len(keys), len(versions))
        # A saved plan is sealed and applies
        self.ok("plan", "--out", "tfplan")
        with open(os.path.join(self.dir, "tfplan"), "rb") as f:
            self.assert_sealed(f.read(), secret, kind="plan")
        self.ok("apply", "tfplan")
        count = len(self.versions())

        # A wrong key: key b cannot open what key a sealed
        self.stack(self.key_b["KeyId"])
        r = self.fails("plan")
        self.assertIn("Cannot decrypt the state of workspace \"default\" with key provider aws_kms", r.stderr)
        # (moto refuses the Decrypt under the other key id; AWS says IncorrectKeyException)
        self.assertIn("aws_kms (%s): Decrypt failed" % self.key_b["KeyId"], r.stderr)
        self.assertNotIn("JSON", r.stderr)
        # A missing key
        self.stack("alias/no-such-key")
        r = self.fails("plan")
        self.assertIn("aws_kms (alias/no-such-key)", r.stderr)
        self.assertEqual(len(self.versions()), count)

        # A state object copied from another workspace is refused
        self.stack("alias/state")
        self.ok("workspace", "new", "prod")
        s3 = self.aws("s3")
        s3.copy_object(Bucket=self.bucket, Key="env:/prod/app/state.json",
                       CopySource={"Bucket": self.bucket, "Key": "app/state.json"})
        r = self.fails("plan")
        self.assertIn("sealed for workspace \"default\"", r.stderr)
        self.ok("workspace", "select", "default")

        # Rotation: key b with key a as fallback reads, rekey seals with b
        self.stack(self.key_b["KeyId"], fallback="alias/state")
        self.assert_no_changes()
        self.ok("state", "rekey")
        sealed = self.assert_sealed(self.versions()[0] if False else s3.get_object(
            Bucket=self.bucket, Key="app/state.json")["Body"].read(), secret)
        self.assertEqual(sealed["key"]["kms_key_id"], self.key_b["Arn"])
        self.stack(self.key_b["KeyId"])
        self.assert_no_changes()

        # Destroy through encryption
        self.ok("destroy", "--auto-approve")
        self.assertEqual(self.pulled()["resources"], [])


if __name__ == "__main__":
    unittest.main()
