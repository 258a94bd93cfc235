"""Graceful interrupts of the real binary, through the slow test provider
(tests/e2e/plugins/slow_provider.cc), on the local backend and on S3 in moto:

- the first SIGINT (SIGTERM) lets the operations in flight finish, starts no
  more, saves the state, releases the lock and exits 130 (143); the plugin was
  told to stop and no plugin process outlives the tool; the next apply
  converges to exactly the configuration;
- a second SIGINT abandons the calls in flight and still saves and unlocks;
- an interrupt during a plan stops it and unlocks;
- `reconcile apply | head -1` (SIGPIPE) does not kill the apply.
"""
import json
import os
import re
import signal
import subprocess
import threading
import unittest

from example_harness import MotoServer
from reconcile_harness import BIN, StackTestCase

INTERRUPT_MESSAGE = re.compile(r"Interrupt received: finishing \d+ operations? in flight, starting no more\.")


class InterruptTestCase(StackTestCase):
    backend = ""  # a [backend.*] block, or "" for the local backend

    def setUp(self):
        super().setUp()
        self.objects = os.path.join(self.dir, "slow-objects")
        self.env["SLOW_STATE_DIR"] = self.objects

    def write_stack(self, count, delay_ms, read_delay_ms=0):
        blocks = [self.backend,
                  '[variable.delay]\ntype = "number"\ndefault = %d\n' % delay_ms]
        for i in range(count):
            blocks.append('[resource.slow_thing.r%d]\nname = "r%d"\ndelay_ms = "${var.delay}"\n'
                          'read_delay_ms = %d\n' % (i, i, read_delay_ms))
        self.write("main.toml", "\n".join(blocks))

    # ---- what the slow provider's store says ----------------------------------------

    def marks(self, prefix):
        if not os.path.isdir(self.objects):
            return []
        return [name for name in os.listdir(self.objects) if name.startswith(prefix)]

    def owners(self):
        """Address -> number of objects the slow provider holds for it."""
        counts = {}
        for name in os.listdir(self.objects) if os.path.isdir(self.objects) else []:
            if name.startswith("."):
                continue
            with open(os.path.join(self.objects, name)) as f:
                owner = json.load(f)["owner"]
            counts[owner] = counts.get(owner, 0) + 1
        return counts

    def assert_no_plugin_left(self):
        pids = [int(name[len(".pid-"):]) for name in self.marks(".pid-")]
        self.assertTrue(pids, "the slow provider never started")
        for pid in pids:
            with self.assertRaises(ProcessLookupError, msg="plugin %d outlived the tool" % pid):
                os.kill(pid, 0)

    # ---- the recorded state ----------------------------------------------------------------

    def state_addresses(self):
        r = self.ok("state", "list")
        return set(line.strip() for line in r.stdout.splitlines() if line.strip())

    # ---- running the tool in the background --------------------------------------------

    def start(self, *args):
        proc = subprocess.Popen([BIN] + list(args), cwd=self.dir, env=self.env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        # A hung tool fails the test instead of hanging it.
        watchdog = threading.Timer(300, proc.kill)
        watchdog.start()
        self.addCleanup(watchdog.cancel)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc, []

    def wait_for(self, proc, lines, pattern):
        """Reads the tool's output until a line matches `pattern`."""
        regex = re.compile(pattern)
        while True:
            line = proc.stdout.readline()
            if not line:
                self.fail("the tool ended before printing /%s/:\n%s" % (pattern, "".join(lines)))
            lines.append(line)
            if regex.search(line):
                return line

    def finish(self, proc, lines):
        # Through the same buffered stream as wait_for (communicate() would
        # read the pipe directly and miss what readline() buffered).
        rest = proc.stdout.read()
        proc.wait()
        return proc.returncode, "".join(lines) + rest

    # ---- the checks every interrupted apply must pass -------------------------------

    def assert_saved_unlocked_and_converges(self, count):
        # Everything that was created is recorded, and nothing else.
        recorded = self.state_addresses()
        owners = self.owners()
        self.assertEqual(set(owners), recorded)
        self.assertEqual(set(owners.values()) - {1}, set(), "an object was created twice")
        self.assert_no_plugin_left()
        # The lock was released: the next plan runs.
        plan = self.run_tool("plan", "--var", "delay=10")
        self.assertEqual(plan.returncode, 0, repr(plan))
        self.assertNotIn("locked", plan.output)
        # And the next apply converges to exactly the configuration.
        self.ok("apply", "--auto-approve", "--var", "delay=10")
        owners = self.owners()
        self.assertEqual(len(owners), count)
        self.assertEqual(set(owners.values()), {1})
        self.assertEqual(len(self.state_addresses()), count)
        final = self.run_tool("plan", "--detailed-exitcode", "--var", "delay=10")
        self.assertEqual(final.returncode, 0, repr(final))

    def interrupt_apply(self, signal_number, count=8, delay_ms=1500):
        self.write_stack(count, delay_ms)
        proc, lines = self.start("apply", "--auto-approve", "--parallelism", "2")
        self.wait_for(proc, lines, r"slow_thing\.r\d+: Creating\.\.\.")
        proc.send_signal(signal_number)
        code, output = self.finish(proc, lines)
        return code, output


class LocalInterruptTest(InterruptTestCase):
    def test_sigint_finishes_in_flight_saves_unlocks_and_exits_130(self):
        code, output = self.interrupt_apply(signal.SIGINT)
        self.assertEqual(code, 130, output)
        self.assertRegex(output, INTERRUPT_MESSAGE)
        self.assertIn("Apply interrupted", output)
        self.assertNotIn("Apply complete!", output)
        # Every operation that started finished: none was cut off.
        started = set(re.findall(r"(slow_thing\.r\d+): Creating\.\.\.", output))
        finished = set(re.findall(r"(slow_thing\.r\d+): Creation complete", output))
        self.assertEqual(started, finished, output)
        self.assertTrue(1 <= len(finished) < 8, output)
        self.assertEqual(set(self.owners()), finished)
        # The plugin was told to stop.
        self.assertTrue(self.marks(".stop-"), "the plugin never got stop")
        self.assert_saved_unlocked_and_converges(8)

    def test_sigterm_exits_143(self):
        code, output = self.interrupt_apply(signal.SIGTERM)
        self.assertEqual(code, 143, output)
        self.assertRegex(output, INTERRUPT_MESSAGE)
        self.assertNotIn("Apply complete!", output)
        self.assert_saved_unlocked_and_converges(8)

    def test_second_sigint_abandons_calls_in_flight(self):
        # Creates that take 60 s: only abandoning them ends the run early.
        self.write_stack(4, 60000)
        proc, lines = self.start("apply", "--auto-approve", "--parallelism", "2")
        self.wait_for(proc, lines, r"slow_thing\.r\d+: Creating\.\.\.")
        proc.send_signal(signal.SIGINT)
        self.wait_for(proc, lines, INTERRUPT_MESSAGE.pattern)
        proc.send_signal(signal.SIGINT)
        code, output = self.finish(proc, lines)
        self.assertEqual(code, 130, output)
        self.assertIn("Second interrupt: abandoning", output)
        self.assertIn("was abandoned", output)
        # The abandoned creates never finished: nothing exists, nothing is recorded.
        self.assertEqual(self.owners(), {})
        self.assertEqual(self.state_addresses(), set())
        self.assert_saved_unlocked_and_converges(4)

    def test_sigint_during_plan_stops_and_unlocks(self):
        # Given one resource whose read takes 4 s
        self.write_stack(1, 10, read_delay_ms=4000)
        self.ok("apply", "--auto-approve")
        # When a plan is interrupted while it refreshes
        proc, lines = self.start("plan")
        self.wait_for(proc, lines, r"Refreshing state\.\.\.")
        proc.send_signal(signal.SIGINT)
        code, output = self.finish(proc, lines)
        # Then it stops without a plan, exits 130 and leaves the lock free
        self.assertEqual(code, 130, output)
        self.assertRegex(output, INTERRUPT_MESSAGE)
        self.assertIn("Interrupted", output)
        self.assertNotIn("Plan:", output)
        self.assertNotIn("No changes", output)
        self.assert_no_plugin_left()
        after = self.run_tool("plan", "--refresh=false", "--detailed-exitcode")
        self.assertEqual(after.returncode, 0, repr(after))

    def test_apply_piped_into_head_completes(self):
        # Given an apply whose output goes to `head -1`, which exits after one line
        self.write_stack(8, 200)
        script = '"$0" apply --auto-approve --parallelism 2 | head -1; echo "${PIPESTATUS[0]}" > status'
        subprocess.run(["bash", "-c", script, BIN], cwd=self.dir, env=self.env, check=True,
                       timeout=300, stdout=subprocess.DEVNULL)
        # Then SIGPIPE did not kill it: it finished and recorded everything
        self.assertEqual(self.read("status").strip(), "0")
        owners = self.owners()
        self.assertEqual(len(owners), 8)
        self.assertEqual(set(owners.values()), {1})
        self.assertEqual(len(self.state_addresses()), 8)
        final = self.run_tool("plan", "--detailed-exitcode")
        self.assertEqual(final.returncode, 0, repr(final))


class S3InterruptTest(InterruptTestCase):
    """The same on the S3 backend with a DynamoDB lock, in moto."""

    @classmethod
    def setUpClass(cls):
        cls.moto = MotoServer()

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()

    def setUp(self):
        super().setUp()
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            self.env.pop(name, None)
        self.env.update({k: v for k, v in self.moto.env.items() if k.startswith("AWS_")})
        url = self.moto.url
        self.backend = ('[backend.s3]\nbucket = "interrupt-state"\nkey = "app/state.json"\n'
                        'region = "us-east-1"\nlock_table = "interrupt-locks"\n'
                        'endpoints = { s3 = "%s", dynamodb = "%s" }\n' % (url, url))

    def test_sigint_on_s3_saves_state_and_releases_the_dynamodb_lock(self):
        self.write_stack(8, 1500)
        self.ok("init", "--bootstrap")
        proc, lines = self.start("apply", "--auto-approve", "--parallelism", "2")
        self.wait_for(proc, lines, r"slow_thing\.r\d+: Creating\.\.\.")
        proc.send_signal(signal.SIGINT)
        code, output = self.finish(proc, lines)
        self.assertEqual(code, 130, output)
        self.assertRegex(output, INTERRUPT_MESSAGE)
        self.assertNotIn("Apply complete!", output)
        finished = set(re.findall(r"(slow_thing\.r\d+): Creation complete", output))
        self.assertTrue(1 <= len(finished) < 8, output)
        self.assertEqual(self.state_addresses(), finished)
        self.assert_saved_unlocked_and_converges(8)


if __name__ == "__main__":
    unittest.main()
