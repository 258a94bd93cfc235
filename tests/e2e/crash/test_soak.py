"""The crash soak: seeded rounds of kill -9 and SIGINT over every kind of
change, on the local backend and on S3 (with a DynamoDB lock) in moto.

Each round changes the configuration of a stack of slow_thing resources
(tests/e2e/plugins/slow_provider.cc, whose store is one file per object naming
its owning address) in one of five ways:

  create       new resources
  update       an in-place change (content)
  replace_cbd  a forced replacement (name) with create_before_destroy
  replace_dbc  a forced replacement, destroy then create
  delete       resources removed from the configuration

starts `reconcile apply` and, at a random moment, kills the tool with SIGKILL
(target `tool`), or the provider plugin with SIGKILL while the tool lives on
(target `plugin`), or sends the tool SIGINT (the SIGINT rounds). Then:

- no plugin outlives its tool;
- (local backend) no object is an orphan: each is recorded in the state
  (current or deposed) or named, by client token, by a pending create;
- the workspace is not wedged: the next plan runs (after a kill -9 on S3 the
  DynamoDB lock the dead run held is released with `force-unlock`, as a user
  would; nothing else is ever fixed by hand);
- the next apply converges to exactly the configuration: one object per
  configured address with the configured name and content, none for any other
  address (0 orphans, 0 duplicates), each recorded in the state, and a plan
  after it has nothing to do.

CRASH_SEED (default 7) and CRASH_ROUNDS (kill rounds, default 12; a tenth as
many SIGINT rounds, at least 2) choose the run; the seed is printed first and
a summary line last. The long run (200 kill rounds + 20 SIGINT rounds) is in
docs/testing.md.
"""
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import shutil
import time
import unittest

from reconcile_harness import BIN, Result

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
from example_harness import MotoServer  # noqa: E402

PHASES = ("create", "update", "replace_cbd", "replace_dbc", "delete")
POOL = 16  # addresses r0..r15; a world holds between 4 and 14 of them
TOOL_TIMEOUT = 300


class World:
    """One stack directory on one backend, its configuration and its store."""

    def __init__(self, backend, env, backend_block):
        self.backend = backend
        self.dir = tempfile.mkdtemp(prefix="reconcile-soak-%s-" % backend)
        self.objects = os.path.join(self.dir, "slow-objects")
        self.env = dict(env)
        self.env["SLOW_STATE_DIR"] = self.objects
        self.backend_block = backend_block
        self.desired = {}  # address -> {"name", "content", "cbd", "delay"}
        self.generation = 0

    def write(self):
        blocks = [self.backend_block]
        for address, r in sorted(self.desired.items()):
            lifecycle = "lifecycle = { create_before_destroy = true }\n" if r["cbd"] else ""
            blocks.append('[resource.slow_thing.%s]\nname = "%s"\ncontent = "%s"\ndelay_ms = %d\n%s' %
                          (address, r["name"], r["content"], r["delay"], lifecycle))
        with open(os.path.join(self.dir, "main.toml"), "w") as f:
            f.write("\n".join(blocks))

    def run(self, *args, timeout=TOOL_TIMEOUT):
        proc = subprocess.run([BIN] + list(args), cwd=self.dir, env=self.env, capture_output=True, text=True,
                              timeout=timeout)
        return Result(list(args), proc.returncode, proc.stdout, proc.stderr)

    def start(self, *args):
        return subprocess.Popen([BIN] + list(args), cwd=self.dir, env=self.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)

    def stored(self):
        """Every object in the slow provider's store."""
        found = []
        for name in os.listdir(self.objects) if os.path.isdir(self.objects) else []:
            if name.startswith("."):
                continue
            with open(os.path.join(self.objects, name)) as f:
                found.append(json.load(f))
        return found

    def plugins(self, parent=None):
        """Live slow plugins of this world (children of `parent`, when given)."""
        marker = ("SLOW_STATE_DIR=" + self.objects).encode()
        pids = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    if b"reconcile-provider-slow" not in f.read():
                        continue
                with open("/proc/%s/environ" % pid, "rb") as f:
                    if marker not in f.read().split(b"\0"):
                        continue
                with open("/proc/%s/stat" % pid) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if fields[0] == "Z":
                    continue
                if parent is not None and int(fields[1]) != parent:
                    continue
            except OSError:
                continue
            pids.append(int(pid))
        return pids

    def local_state(self):
        path = os.path.join(self.dir, ".reconcile", "state", "default.json")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return json.load(f)

    def local_pending_tokens(self):
        path = os.path.join(self.dir, ".reconcile", "state", "default.pending.json")
        if not os.path.exists(path):
            return set()
        with open(path) as f:
            return {op["client_token"] for op in json.load(f)["operations"] if op["action"] == "create"}

    def pulled_state(self):
        r = self.run("state", "pull")
        if r.returncode != 0:
            raise AssertionError("state pull failed: %r" % r)
        return json.loads(r.stdout)


class CrashSoakTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.moto = MotoServer()

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()

    def setUp(self):
        env = dict(os.environ)
        env["NO_COLOR"] = "1"
        env.pop("RECONCILE_WORKSPACE", None)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            env.pop(name, None)
        env.update({k: v for k, v in self.moto.env.items() if k.startswith("AWS_")})
        url = self.moto.url
        s3 = ('[backend.s3]\nbucket = "soak-state"\nkey = "soak/state.json"\nregion = "us-east-1"\n'
              'lock_table = "soak-locks"\nendpoints = { s3 = "%s", dynamodb = "%s" }\n' % (url, url))
        self.worlds = {"local": World("local", env, ""), "s3": World("s3", env, s3)}
        self.addCleanup(lambda: [shutil.rmtree(w.dir, ignore_errors=True) for w in self.worlds.values()])

    # ---- changing the configuration -------------------------------------------------

    def change(self, world, phase, rng):
        world.generation += 1
        g = world.generation
        present = sorted(world.desired)
        absent = sorted(set("r%d" % i for i in range(POOL)) - set(present))
        if phase == "create" and len(absent) < 2 or phase == "delete" and len(present) < 6:
            phase = "delete" if phase == "create" else "create"
        count = rng.randint(3, 7)
        if phase == "create":
            for address in rng.sample(absent, min(count, len(absent))):
                world.desired[address] = {"name": "%s-g%d" % (address, g), "content": "c%d" % g,
                                          "cbd": rng.random() < 0.5, "delay": rng.randint(40, 250)}
        elif phase == "delete":
            for address in rng.sample(present, min(count, len(present) - 3)):
                del world.desired[address]
        else:
            for address in rng.sample(present, min(count, len(present))):
                r = world.desired[address]
                r["delay"] = rng.randint(40, 250)
                if phase == "update":
                    r["content"] = "c%d" % g
                else:
                    r["cbd"] = phase == "replace_cbd"
                    r["name"] = "%s-g%d" % (address, g)
        world.write()
        return phase

    # ---- one round --------------------------------------------------------------------

    def wait_for_plugin(self, world, proc, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if proc.poll() is not None:
                return None
            pids = world.plugins(parent=proc.pid)
            if pids:
                return pids[0]
            time.sleep(0.01)
        self.fail("no plugin started within %d s" % timeout)

    def wait_for_no_plugins(self, world, timeout=60):
        deadline = time.time() + timeout
        while world.plugins():
            if time.time() > deadline:
                self.fail("a slow plugin outlived its tool by %d s: %s" % (timeout, world.plugins()))
            time.sleep(0.02)

    def interrupt(self, world, target, rng):
        """Starts an apply and interrupts it; returns (landed, exit code)."""
        proc = world.start("apply", "--auto-approve")
        try:
            plugin = self.wait_for_plugin(world, proc)
            time.sleep(rng.uniform(0.0, 0.6))
            landed = proc.poll() is None
            if target == "tool":
                proc.send_signal(signal.SIGKILL)
            elif target == "sigint":
                proc.send_signal(signal.SIGINT)
            elif plugin is not None:
                try:
                    os.kill(plugin, signal.SIGKILL)
                except ProcessLookupError:
                    landed = False
            else:
                landed = False
            code = proc.wait(timeout=TOOL_TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        return landed, code

    def orphans_before_convergence(self, world):
        """Objects neither the state nor a pending create knows (local backend)."""
        state = world.local_state()
        known = set()
        for r in state["resources"] if state else []:
            known.add(r["attributes"].get("id"))
            known.update(d["attributes"].get("id") for d in r.get("deposed", []))
        tokens = world.local_pending_tokens()
        return sorted("%s %s (%s)" % (o["owner"], o["id"], o["name"]) for o in world.stored()
                      if o["id"] not in known and o.get("token") not in tokens)

    def unwedge(self, world, stats, label):
        """The next plan must run; a lock left by a killed run is released with force-unlock."""
        plan = world.run("plan", "--lock-timeout", "5s")
        if plan.returncode != 0 and "locked" in plan.output:
            match = re.search(r"ID: ([^,\s]+)", plan.output)
            self.assertIsNotNone(match, "%s: no lock ID in %r" % (label, plan))
            unlocked = world.run("force-unlock", "--force", match.group(1))
            self.assertEqual(unlocked.returncode, 0, "%s: %r" % (label, unlocked))
            stats["force_unlocks"] += 1
            plan = world.run("plan")
        self.assertIn(plan.returncode, (0, 2), "%s: the workspace is wedged: %r" % (label, plan))

    def assert_converges(self, world, label):
        applied = world.run("apply", "--auto-approve")
        self.assertEqual(applied.returncode, 0, "%s: %r" % (label, applied))
        by_owner = {}
        for obj in world.stored():
            by_owner.setdefault(obj["owner"], []).append(obj)
        addresses = {"slow_thing." + a for a in world.desired}
        orphans = sorted("%s %s" % (o, obj["id"]) for o, objs in by_owner.items() if o not in addresses
                         for obj in objs)
        duplicates = {o: len(objs) for o, objs in by_owner.items() if len(objs) > 1}
        self.assertEqual(orphans, [], "%s: orphans" % label)
        self.assertEqual(duplicates, {}, "%s: duplicates" % label)
        self.assertEqual(set(by_owner), addresses, label)
        for address, r in world.desired.items():
            obj = by_owner["slow_thing." + address][0]
            self.assertEqual((obj["name"], obj.get("content")), (r["name"], r["content"]),
                             "%s: slow_thing.%s" % (label, address))
        state = world.local_state() if world.backend == "local" else world.pulled_state()
        recorded = {r["address"]: r for r in state["resources"]}
        self.assertEqual(set(recorded), addresses, label)
        for address, objs in by_owner.items():
            self.assertEqual(recorded[address]["attributes"]["id"], objs[0]["id"], "%s: %s" % (label, address))
            self.assertEqual(recorded[address].get("deposed", []), [], "%s: %s" % (label, address))
        final = world.run("plan", "--detailed-exitcode")
        self.assertEqual(final.returncode, 0, "%s: %r" % (label, final))

    # ---- the soak -----------------------------------------------------------------------

    def test_kill_and_interrupt_rounds_always_converge(self):
        seed = int(os.environ.get("CRASH_SEED", "7"))
        kill_rounds = int(os.environ.get("CRASH_ROUNDS", "12"))
        sigint_rounds = max(2, kill_rounds // 10)
        print("CRASH_SEED=%d CRASH_ROUNDS=%d (+%d SIGINT rounds)" % (seed, kill_rounds, sigint_rounds), flush=True)
        rng = random.Random(seed)
        started = time.monotonic()

        # Both worlds start with 8 resources, applied without interruption.
        s3 = self.worlds["s3"]
        for world in self.worlds.values():
            for i in range(8):
                world.desired["r%d" % i] = {"name": "r%d-g0" % i, "content": "c0", "cbd": i % 2 == 0,
                                            "delay": rng.randint(40, 250)}
            world.write()
        boot = s3.run("init", "--bootstrap")
        self.assertEqual(boot.returncode, 0, repr(boot))
        for world in self.worlds.values():
            self.assert_converges(world, "initial apply (%s)" % world.backend)

        targets = ["tool", "plugin"] * (kill_rounds // 2) + ["tool"] * (kill_rounds % 2) + ["sigint"] * sigint_rounds
        rng.shuffle(targets)
        stats = {"rounds": 0, "landed": 0, "force_unlocks": 0, "left_pending": 0, "exit_codes": {},
                 "kills": {}}
        for number, target in enumerate(targets, 1):
            world = self.worlds[rng.choice(("local", "s3"))]
            phase = self.change(world, rng.choice(PHASES), rng)
            label = "round %d (seed %d): %s kill of a %s on %s" % (number, seed, target, phase, world.backend)
            landed, code = self.interrupt(world, target, rng)
            self.wait_for_no_plugins(world)
            if target == "sigint":
                # A graceful interrupt exits 130, or 0 when the apply had finished anyway.
                self.assertIn(code, (0, 130), label)
            if world.backend == "local":
                self.assertEqual(self.orphans_before_convergence(world), [], label)
                if world.local_pending_tokens():
                    stats["left_pending"] += 1
            if target == "sigint":
                # A graceful interrupt released the lock itself.
                plan = world.run("plan", "--lock-timeout", "5s")
                self.assertIn(plan.returncode, (0, 2), "%s: %r" % (label, plan))
            else:
                self.unwedge(world, stats, label)
            self.assert_converges(world, label)

            key = "%s/%s/%s" % (target, phase, world.backend)
            entry = stats["kills"].setdefault(key, [0, 0])
            entry[0] += 1
            entry[1] += int(landed)
            stats["rounds"] += 1
            stats["landed"] += int(landed)
            stats["exit_codes"][str(code)] = stats["exit_codes"].get(str(code), 0) + 1
            print("%s: landed=%s exit=%s" % (label, landed, code), flush=True)

        stats["orphans"] = 0
        stats["duplicates"] = 0
        stats["wall_seconds"] = round(time.monotonic() - started, 1)
        print("SOAK SUMMARY " + json.dumps(stats, sort_keys=True), flush=True)
        by_phase = {}
        for key, (n, landed) in stats["kills"].items():
            target, phase, _ = key.split("/")
            by_phase.setdefault("%s/%s" % (target, phase), [0, 0])
            by_phase["%s/%s" % (target, phase)][0] += n
            by_phase["%s/%s" % (target, phase)][1] += landed
        for key in sorted(by_phase):
            print("  %-22s rounds %3d, landed mid-apply %3d" % (key, *by_phase[key]), flush=True)
        # Kills must land while the apply runs for the soak to mean anything.
        self.assertGreater(stats["landed"], stats["rounds"] // 2)


if __name__ == "__main__":
    unittest.main()
