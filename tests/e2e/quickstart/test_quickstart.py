"""examples/quickstart through the built binary: plan, apply, no-op plan,
updates and replacements, stale saved plans, locking, secrets, destroy."""
import os
import re
import subprocess
import unittest

from reconcile_harness import BIN, StackTestCase


class QuickstartTest(StackTestCase):
    example = "quickstart"

    def test_plan_apply_noop_destroy(self):
        plan = self.run_tool("plan", "--detailed-exitcode")
        self.assertEqual(plan.returncode, 2, repr(plan))
        self.assertIn("Plan: 4 to add, 0 to change, 0 to destroy.", plan.stdout)

        apply = self.ok("apply", "--auto-approve")
        self.assertIn("Apply complete! Resources: 4 added, 0 changed, 0 destroyed.", apply.stdout)
        self.assertRegex(apply.stdout, r"random_password\.db: Creation complete after \d+s")
        greeting = [f for f in os.listdir(os.path.join(self.dir, "out")) if f.startswith("greeting-")]
        self.assertEqual(len(greeting), 1)
        self.assertEqual(self.read("out/" + greeting[0]), "hello, ops!\n")

        again = self.run_tool("plan", "--detailed-exitcode")
        self.assertEqual(again.returncode, 0, repr(again))
        self.assertIn("No changes.", again.stdout)

        destroy = self.ok("destroy", "--auto-approve")
        self.assertIn("4 destroyed", destroy.stdout)
        self.assertEqual(os.listdir(os.path.join(self.dir, "out")), [])
        self.assertEqual(self.state()["resources"], [])

    def test_edit_shows_the_update(self):
        self.ok("apply", "--auto-approve")
        plan = self.run_tool("plan", "--detailed-exitcode", "--var", "greeting=hi")
        self.assertEqual(plan.returncode, 2, repr(plan))
        self.assertIn("# local_file.greeting will be updated in-place", plan.stdout)
        self.assertIn('~ content              = "hello, ops!\\n" -> "hi, ops!\\n"', plan.stdout)
        self.assertIn("Plan: 0 to add, 1 to change, 0 to destroy.", plan.stdout)
        self.ok("apply", "--auto-approve", "--var", "greeting=hi")
        greeting = [f for f in os.listdir(os.path.join(self.dir, "out")) if f.startswith("greeting-")]
        self.assertEqual(self.read("out/" + greeting[0]), "hi, ops!\n")

    def test_keeper_change_rotates_the_password(self):
        self.ok("apply", "--auto-approve")
        before = self.read("out/db-password.txt")
        main = self.read("main.toml").replace('rotation = "1"', 'rotation = "2"')
        self.write("main.toml", main)
        plan = self.run_tool("plan", "--detailed-exitcode")
        self.assertEqual(plan.returncode, 2, repr(plan))
        self.assertIn("random_password.db must be replaced", plan.stdout)
        self.assertRegex(plan.stdout, r'~ keepers .*# forces replacement')
        self.ok("apply", "--auto-approve")
        self.assertNotEqual(self.read("out/db-password.txt"), before)

    def test_secret_never_printed(self):
        self.ok("plan")
        self.ok("apply", "--auto-approve")
        self.ok("plan")
        self.ok("output")
        self.ok("show")
        secret = self.read("out/db-password.txt")
        self.assertEqual(len(secret), 20)
        self.assertNotIn(secret, self.everything_printed())
        self.assertIn("db_password = (sensitive value)", self.transcript[3].stdout)

    def test_stale_saved_plan_is_refused(self):
        self.ok("plan", "--out", "../saved.plan")
        self.ok("apply", "--auto-approve")
        stale = self.fails("apply", "../saved.plan")
        self.assertIn("Saved plan is stale", stale.stderr)
        os.remove(os.path.join(self.dir, "..", "saved.plan"))

    def test_saved_plan_applies_exactly(self):
        self.ok("plan", "--out", "saved.plan")
        shown = self.ok("show", "saved.plan")
        self.assertIn("Plan: 4 to add", shown.stdout)
        applied = self.ok("apply", "saved.plan")
        self.assertIn("4 added", applied.stdout)

    def test_second_concurrent_apply_fails_naming_the_lock_holder(self):
        # The slow test plugin keeps the first apply busy.
        self.write("slow.toml", '[resource.slow_thing.wait]\nname = "wait"\ndelay_ms = 3000\n')
        self.env["SLOW_STATE_DIR"] = os.path.join(self.dir, "slow-objects")
        first = subprocess.Popen([BIN, "apply", "--auto-approve"], cwd=self.dir, env=self.env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # Wait until it is applying (it holds the lock from before planning).
            for _ in range(300):
                if os.path.isdir(self.env["SLOW_STATE_DIR"]):
                    break
                subprocess.run(["sleep", "0.05"])
            second = self.fails("apply", "--auto-approve")
            self.assertIn("locked", second.stderr)
            self.assertIn("Operation: apply", second.stderr)
            self.assertRegex(second.stderr, r"ID: [0-9a-f-]{36}")
        finally:
            out, err = first.communicate(timeout=120)
        self.assertEqual(first.returncode, 0, out + err)

    def test_help_on_every_command(self):
        top = self.ok("--help")
        for command in ["init", "validate", "plan", "apply", "destroy", "refresh", "show", "output",
                        "state", "workspace", "force-unlock", "graph", "import", "version"]:
            self.assertIn(command, top.stdout)
            self.ok(command, "--help")

    def test_workspaces(self):
        self.ok("apply", "--auto-approve")
        self.ok("workspace", "new", "prod")
        self.assertEqual(self.ok("workspace", "show").stdout.strip(), "prod")
        listing = self.ok("workspace", "list").stdout
        self.assertEqual(listing, "  default\n* prod\n")
        refused = self.fails("workspace", "delete", "default")
        self.assertIn("cannot be deleted", refused.stderr)
        self.ok("workspace", "select", "default")
        self.fails("workspace", "delete", "missing")


if __name__ == "__main__":
    unittest.main()
