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


REPLACED = 40
GENERATIONS = 10


class ReplacementCrashTest(StackTestCase):
    """Every round renames every resource (a forced replacement: half of them
    create_before_destroy, half destroy-then-create) and kills the apply at a
    random moment. After every kill no object is an orphan: each is recorded
    in the state (current or deposed) or named, by its client token, by a
    pending create in the journal. The final apply ends with exactly one
    object per resource, each recorded."""

    def setUp(self):
        super().setUp()
        self.objects = os.path.join(self.dir, "slow-objects")
        self.env["SLOW_STATE_DIR"] = self.objects

    def write_generation(self, generation, rng):
        blocks = []
        for i in range(REPLACED):
            lifecycle = "lifecycle = { create_before_destroy = true }\n" if i % 2 == 0 else ""
            blocks.append('[resource.slow_thing.r%d]\nname = "r%d-g%d"\ndelay_ms = %d\n%s' %
                          (i, i, generation, rng.randint(10, 60), lifecycle))
        self.write("main.toml", "\n".join(blocks))

    def wait_for_plugins(self, timeout=30):
        """Waits until no slow plugin of this test runs: one left by a killed
        tool finishes what it had received, then exits."""
        marker = ("SLOW_STATE_DIR=" + self.objects).encode()
        deadline = time.time() + timeout
        while time.time() < deadline:
            running = False
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    with open("/proc/%s/cmdline" % pid, "rb") as f:
                        if b"reconcile-provider-slow" not in f.read():
                            continue
                    with open("/proc/%s/environ" % pid, "rb") as f:
                        running = running or marker in f.read().split(b"\0")
                except OSError:
                    continue
            if not running:
                return
            time.sleep(0.05)
        self.fail("a slow plugin outlived its tool by %d s" % timeout)

    def orphans(self):
        """Objects neither the state nor a pending create knows."""
        state_dir = os.path.join(self.dir, ".reconcile", "state")
        known_ids, tokens = set(), set()
        if os.path.exists(os.path.join(state_dir, "default.json")):
            with open(os.path.join(state_dir, "default.json")) as f:
                for r in json.load(f)["resources"]:
                    known_ids.add(r["attributes"].get("id"))
                    known_ids.update(d["attributes"].get("id") for d in r.get("deposed", []))
        if os.path.exists(os.path.join(state_dir, "default.pending.json")):
            with open(os.path.join(state_dir, "default.pending.json")) as f:
                tokens = {op["client_token"] for op in json.load(f)["operations"] if op["action"] == "create"}
        return sorted("%s %s (%s)" % (obj["owner"], obj["id"], obj["name"])
                      for objs in self.objects_by_owner().values() for obj in objs
                      if obj["id"] not in known_ids and obj.get("token") not in tokens)

    def objects_by_owner(self):
        owned = {}
        for name in os.listdir(self.objects) if os.path.isdir(self.objects) else []:
            if name.startswith("."):
                continue
            with open(os.path.join(self.objects, name)) as f:
                obj = json.load(f)
            owned.setdefault(obj["owner"], []).append(obj)
        return owned

    def test_kill_nine_during_replacements_then_converge(self):
        rng = random.Random(int(os.environ.get("CRASH_SEED", "7")))
        self.write_generation(0, rng)
        self.ok("apply", "--auto-approve", timeout=600)
        for generation in range(1, GENERATIONS + 1):
            self.write_generation(generation, rng)
            proc = subprocess.Popen([BIN, "apply", "--auto-approve"], cwd=self.dir, env=self.env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, 1.2))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            self.wait_for_plugins()
            self.assertEqual(self.orphans(), [], "generation %d" % generation)

        self.ok("apply", "--auto-approve", timeout=600)
        owned = self.objects_by_owner()
        self.assertEqual(len(owned), REPLACED)
        self.assertEqual({a: len(objs) for a, objs in owned.items() if len(objs) != 1}, {})
        self.assertEqual({objs[0]["name"] for objs in owned.values()},
                         {"r%d-g%d" % (i, GENERATIONS) for i in range(REPLACED)})
        with open(os.path.join(self.dir, ".reconcile", "state", "default.json")) as f:
            state = json.load(f)
        recorded = {r["address"]: r for r in state["resources"]}
        for address, objs in owned.items():
            self.assertEqual(recorded[address]["attributes"]["id"], objs[0]["id"], address)
            self.assertEqual(recorded[address].get("deposed", []), [], address)
        self.assertFalse(os.path.exists(os.path.join(self.dir, ".reconcile", "state", "default.pending.json")))
        final = self.run_tool("plan", "--detailed-exitcode")
        self.assertEqual(final.returncode, 0, repr(final))


if __name__ == "__main__":
    unittest.main()
