"""The crash test: apply a 200-resource stack through a deliberately slow
provider, kill -9 the tool at a random moment, 20 times. After every kill the
state file is valid, the next plan lists the pending operations, and in the
end an apply converges to exactly the configuration with no duplicates."""
import json
import os
import random
import signal
import subprocess
import time
import unittest

from reconcile_harness import BIN, StackTestCase

RESOURCES = 200
ROUNDS = 20


class CrashTest(StackTestCase):
    def setUp(self):
        super().setUp()
        self.objects = os.path.join(self.dir, "slow-objects")
        self.env["SLOW_STATE_DIR"] = self.objects
        blocks = []
        for i in range(RESOURCES):
            # A chain every 10th resource, so deletes and creates have an order.
            dep = '\ncontent = "${slow_thing.r%d.id}"' % (i - 1) if i % 10 else ""
            blocks.append('[resource.slow_thing.r%d]\nname = "r%d"\ndelay_ms = %d%s\n' %
                          (i, i, random.randint(5, 40), dep))
        self.write("main.toml", "\n".join(blocks))

    def owners(self):
        """Address -> number of objects in the slow provider's store."""
        counts = {}
        if not os.path.isdir(self.objects):
            return counts
        for name in os.listdir(self.objects):
            if name.startswith("."):
                continue
            with open(os.path.join(self.objects, name)) as f:
                owner = json.load(f)["owner"]
            counts[owner] = counts.get(owner, 0) + 1
        return counts

    def pending(self):
        path = os.path.join(self.dir, ".reconcile", "state", "default.pending.json")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [op["address"] for op in json.load(f)["operations"]]

    def test_kill_nine_twenty_times_then_converge(self):
        rng = random.Random(int(os.environ.get("CRASH_SEED", "7")))
        saw_pending = 0
        for round_number in range(ROUNDS):
            proc = subprocess.Popen([BIN, "apply", "--auto-approve"], cwd=self.dir, env=self.env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 0.9))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            # The state file, when there is one, is always whole and valid.
            state_path = os.path.join(self.dir, ".reconcile", "state", "default.json")
            if os.path.exists(state_path):
                with open(state_path) as f:
                    state = json.load(f)
                self.assertEqual(state["format_version"], 1)
            # Nothing was ever created twice.
            duplicates = {a: n for a, n in self.owners().items() if n > 1}
            self.assertEqual(duplicates, {}, "round %d" % round_number)
            pending = self.pending()
            if pending:
                saw_pending += 1
                plan = self.run_tool("plan", "--lock-timeout", "10s")
                self.assertEqual(plan.returncode, 0, repr(plan))
                self.assertIn("Interrupted operations from a previous apply:", plan.stdout)
                for address in pending:
                    self.assertIn("# %s: " % address, plan.stdout)
        # At least some kills must have landed mid-operation for the test to mean anything.
        print("rounds that left pending operations: %d of %d" % (saw_pending, ROUNDS))
        self.assertGreater(saw_pending, 0)

        self.ok("apply", "--auto-approve", timeout=600)
        owners = self.owners()
        self.assertEqual(len(owners), RESOURCES)
        self.assertEqual(set(owners.values()), {1})
        with open(os.path.join(self.dir, ".reconcile", "state", "default.json")) as f:
            state = json.load(f)
        self.assertEqual(len(state["resources"]), RESOURCES)
        self.assertEqual(self.pending(), [])
        final = self.run_tool("plan", "--detailed-exitcode")
        self.assertEqual(final.returncode, 0, repr(final))


if __name__ == "__main__":
    unittest.main()
