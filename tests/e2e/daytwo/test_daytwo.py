"""The day-two commands (issue 22) through the built binary, on
examples/quickstart (random and local providers, local state): --replace,
taint/untaint, --exclude."""
import os
import unittest

from reconcile_harness import StackTestCase


def instance(state, address):
    return next(r for r in state["resources"] if r["address"] == address)


class ReplaceAndTaintTest(StackTestCase):
    example = "quickstart"

    def test_replace_is_planned_as_requested_and_applied(self):
        self.ok("apply", "--auto-approve")
        before = instance(self.state(), "random_id.suffix")["attributes"]["hex"]

        plan = self.run_tool("plan", "--detailed-exitcode", "--replace", "random_id.suffix")
        self.assertEqual(plan.returncode, 2, repr(plan))
        self.assertIn("  # random_id.suffix will be replaced, as requested\n", plan.stdout)
        # The greeting's file name holds the suffix, so it is replaced too, forced.
        self.assertIn("  # local_file.greeting must be replaced\n", plan.stdout)
        self.assertIn("Plan: 2 to add, 0 to change, 2 to destroy.", plan.stdout)

        self.ok("apply", "--auto-approve", "--replace", "random_id.suffix")
        after = instance(self.state(), "random_id.suffix")["attributes"]["hex"]
        self.assertNotEqual(before, after)
        self.assertEqual(os.listdir(os.path.join(self.dir, "out")).count("greeting-%s.txt" % after), 1)
        self.assertIn("No changes.", self.ok("plan").stdout)

    def test_replace_of_an_unknown_address_warns_and_a_module_is_refused(self):
        self.ok("apply", "--auto-approve")
        plan = self.ok("plan", "--replace", "random_id.nothing")
        self.assertIn("--replace random_id.nothing replaces nothing", plan.stderr)
        self.assertIn("No changes.", plan.stdout)
        bad = self.fails("plan", "--replace", "module.net")
        self.assertIn('Invalid --replace address "module.net"', bad.stderr)

    def test_taint_then_untaint(self):
        self.ok("apply", "--auto-approve")
        before = self.read("out/db-password.txt")

        taint = self.ok("taint", "random_password.db")
        self.assertEqual(taint.stdout, "Resource instance random_password.db has been marked as tainted.\n")
        self.assertTrue(instance(self.state(), "random_password.db")["tainted"])
        plan = self.run_tool("plan", "--detailed-exitcode")
        self.assertEqual(plan.returncode, 2, repr(plan))
        self.assertIn("  # random_password.db is tainted, so must be replaced\n", plan.stdout)
        # The secret file's content is the password: it changes in place.
        self.assertIn("Plan: 1 to add, 1 to change, 1 to destroy.", plan.stdout)

        untaint = self.ok("untaint", "random_password.db")
        self.assertEqual(untaint.stdout,
                         "Resource instance random_password.db has been successfully untainted.\n")
        self.assertFalse(instance(self.state(), "random_password.db")["tainted"])
        self.assertIn("No changes.", self.ok("plan").stdout)
        again = self.fails("untaint", "random_password.db")
        self.assertIn("Resource instance random_password.db is not tainted", again.stderr)

        self.ok("taint", "random_password.db")
        self.ok("apply", "--auto-approve")
        self.assertNotEqual(self.read("out/db-password.txt"), before)
        self.assertFalse(instance(self.state(), "random_password.db")["tainted"])

    def test_taint_of_what_the_state_lacks_is_an_error(self):
        self.ok("apply", "--auto-approve")
        missing = self.fails("taint", "random_id.nothing")
        self.assertIn("No instance random_id.nothing in the state", missing.stderr)
        self.assertFalse(any(r["tainted"] for r in self.state()["resources"]))


class ExcludeTest(StackTestCase):
    example = "quickstart"

    def test_exclude_leaves_the_resource_and_its_dependents_alone(self):
        plan = self.ok("plan", "--exclude", "random_id.suffix")
        self.assertIn("Excluded by --exclude: this plan leaves these alone\n\n"
                      "  # local_file.greeting is excluded: it depends on random_id.suffix\n"
                      "  # random_id.suffix is excluded, as requested\n", plan.stdout)
        self.assertNotIn("local_file.greeting will be created", plan.stdout)
        self.assertIn("  # local_file.secret will be created\n", plan.stdout)
        self.assertIn("Plan: 2 to add, 0 to change, 0 to destroy.", plan.stdout)

        self.ok("apply", "--auto-approve", "--exclude", "random_id.suffix")
        state = self.state()
        self.assertEqual(sorted(r["address"] for r in state["resources"]),
                         ["local_file.secret", "random_password.db"])
        # The output that needs the excluded file is left out, not an error.
        self.assertEqual(sorted(state["outputs"]), ["db_password"])

        rest = self.ok("plan")
        self.assertIn("Plan: 2 to add, 0 to change, 0 to destroy.", rest.stdout)

    def test_destroy_exclude_keeps_what_the_excluded_needs(self):
        self.ok("apply", "--auto-approve")
        destroy = self.ok("destroy", "--auto-approve", "--exclude", "local_file.secret")
        self.assertIn("  # local_file.secret is excluded, as requested\n", destroy.stdout)
        self.assertIn("  # random_password.db is excluded: local_file.secret depends on it\n",
                      destroy.stdout)
        self.assertIn("2 destroyed", destroy.stdout)
        self.assertEqual(sorted(r["address"] for r in self.state()["resources"]),
                         ["local_file.secret", "random_password.db"])
        self.assertTrue(os.path.exists(os.path.join(self.dir, "out", "db-password.txt")))

    def test_exclude_of_an_unknown_address_warns(self):
        plan = self.ok("plan", "--exclude", "aws_vpc.none")
        self.assertIn("--exclude aws_vpc.none matches nothing", plan.stderr)
        self.assertIn("Plan: 4 to add, 0 to change, 0 to destroy.", plan.stdout)


class ConsoleTest(StackTestCase):
    example = "quickstart"

    def test_expressions_from_stdin_against_the_state(self):
        self.ok("apply", "--auto-approve")
        suffix = instance(self.state(), "random_id.suffix")["attributes"]["hex"]
        lines = [
            'cidrsubnet("10.0.0.0/16", 8, 1)',
            "local.greeting_text",
            "",
            "local_file.greeting.filename",
            "random_password.db.result",
            "random_password.db.length + 1",
            "exit",
            "var.owner",
        ]
        out = self.ok("console", input_text="\n".join(lines) + "\n")
        self.assertEqual(out.stdout,
                         '"10.0.1.0/24"\n'
                         '"hello, ops!"\n'
                         '"out/greeting-%s.txt"\n'
                         "(sensitive value)\n"
                         "21\n" % suffix)
        self.assertNotIn(self.read("out/db-password.txt"), self.everything_printed())

    def test_an_error_names_the_column_and_the_rest_still_runs(self):
        out = self.fails("console", input_text="random_id.suffix.hex\nnosuch.thing\nupper(var.owner)\n")
        # Nothing is in the state yet: resource values are not known.
        self.assertEqual(out.stdout, "(known after apply)\n\"OPS\"\n")
        self.assertIn('<console>:1:1: error: Reference to undeclared resource "nosuch.thing"', out.stderr)


if __name__ == "__main__":
    unittest.main()
