"""The day-two commands (issue 22) through the built binary, on
examples/quickstart (random and local providers, local state): --replace,
taint/untaint, --exclude."""
import os
import subprocess
import unittest
import xml.etree.ElementTree as ET

import yaml

from reconcile_harness import BIN, SOURCE_DIR, StackTestCase


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


SECRET = "tok-8f3a2c91d7"

SECRET_STACK = """
[variable.token]
type = "string"
sensitive = true
default = "%s"

[resource.local_file.token]
filename = "out/token.txt"
content = "${var.token}"

[resource.local_file.readme]
filename = "out/README.md"
content = "``` fenced <b>not html</b>\\n"

[output.token]
value = "${local_file.token.content}"
sensitive = true
""" % SECRET


class MarkdownTest(StackTestCase):
    def test_markdown_of_a_plan_with_a_sensitive_value_never_shows_it(self):
        self.write("main.toml", SECRET_STACK)
        self.ok("plan", "--out", "tf.plan")
        self.assertIn(SECRET, self.read("tf.plan"))  # the saved plan holds it; the comment must not
        md = self.ok("show", "--format", "markdown", "tf.plan").stdout
        self.assertNotIn(SECRET, md)
        self.assertTrue(md.startswith("### reconcile plan: 2 to add, 0 to change, 0 to destroy\n\n"
                                      "Workspace `default`.\n\n"
                                      "| Action | Resources |\n|---|---:|\n| create | 2 |\n\n"), md)
        self.assertIn("<details><summary><code>+ local_file.token</code> will be created</summary>\n\n"
                      "```diff\n+ resource \"local_file\" \"token\" {\n", md)
        self.assertIn("+       content              = (sensitive value)\n", md)
        self.assertEqual(md.count("<details>"), 3)  # one per resource, one for the outputs
        self.assertEqual(md.count("</details>"), 3)
        self.assertIn("+   token = (sensitive value)\n", md)
        # A value with backticks gets a longer fence, so it cannot end the block early.
        self.assertIn("````diff\n+ resource \"local_file\" \"readme\"", md)

    def test_long_plan_is_cut_with_a_count(self):
        self.write("main.toml", """
[resource.local_file.many]
count = 45
filename = "out/f-${count.index}.txt"
content = "${count.index}"
""")
        self.ok("plan", "--out", "tf.plan")
        md = self.ok("show", "--format", "markdown", "tf.plan").stdout
        self.assertIn("| create | 45 |", md)
        self.assertEqual(md.count("<details>"), 40)
        self.assertIn("\n_5 more resource changes not shown here; "
                      "`reconcile show PLANFILE` shows the whole plan._\n", md)

    def test_no_changes_and_markdown_needs_a_plan_file(self):
        self.write("main.toml", SECRET_STACK)
        self.ok("apply", "--auto-approve")
        self.ok("plan", "--out", "tf.plan")
        md = self.ok("show", "--format", "markdown", "tf.plan").stdout
        self.assertEqual(md, "### reconcile plan: no changes\n\nWorkspace `default`.\n\n"
                             "Your infrastructure matches the configuration.\n")
        bad = self.fails("show", "--format", "markdown")
        self.assertIn("--format markdown shows a saved plan", bad.stderr)


class CiExampleTest(StackTestCase):
    """examples/ci: the workflow parses, and its plan step's script, run here
    with the built binary on a stack in infra/, writes the markdown comment."""

    def test_the_plan_step_writes_the_comment(self):
        path = os.path.join(SOURCE_DIR, "examples", "ci", ".github", "workflows", "reconcile.yml")
        with open(path) as f:
            workflow = yaml.safe_load(f)
        plan_steps = [s for s in workflow["jobs"]["plan"]["steps"] if s.get("name") == "Plan"]
        self.assertEqual(len(plan_steps), 1)
        apply_run = "\n".join(s.get("run", "") for s in workflow["jobs"]["apply"]["steps"])
        self.assertIn('reconcile -C "$STACK" apply tf.plan', apply_run)

        self.write("infra/main.toml", SECRET_STACK)
        bindir = os.path.join(self.dir, "bin")
        os.makedirs(bindir)
        os.symlink(os.path.abspath(BIN), os.path.join(bindir, "reconcile"))
        env = dict(self.env, STACK="infra", PATH=bindir + os.pathsep + self.env["PATH"])
        proc = subprocess.run(["bash", "-e", "-c", plan_steps[0]["run"]], cwd=self.dir, env=env,
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        comment = self.read("plan.md")
        self.assertTrue(comment.startswith("### reconcile plan: 2 to add, 0 to change, 0 to destroy\n"), comment)
        self.assertNotIn(SECRET, comment)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "tf.plan")))


MESSY = """# The network, kept by hand.
[ resource.local_file.a ]
filename="out/a.txt"   # where it goes
content   =   "a"
file_permission= '0644'


# The second file.
[resource . local_file . b]
filename = "out/b.txt"
content = \"\"\"
keep   these   spaces
\"\"\"
tags = {x=1,y = "two",  z=[1,2 ,3]}
list = ["aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccc", "dddddddddddddddddddd", "eeee"]
[locals]
empty = {}
names = [ "x" , "y" , ]
"""

TIDY = """# The network, kept by hand.
[resource.local_file.a]
filename        = "out/a.txt" # where it goes
content         = "a"
file_permission = '0644'

# The second file.
[resource.local_file.b]
filename = "out/b.txt"
content  = \"\"\"
keep   these   spaces
\"\"\"
tags = { x = 1, y = "two", z = [1, 2, 3] }
list = [
  "aaaaaaaaaaaaaaaaaaaa",
  "bbbbbbbbbbbbbbbbbbbb",
  "cccccccccccccccccccc",
  "dddddddddddddddddddd",
  "eeee",
]

[locals]
empty = {}
names = ["x", "y"]
"""


class FmtTest(StackTestCase):
    def test_messy_file_is_made_canonical_once(self):
        self.write("main.toml", MESSY)
        self.write("modules/web/main.toml", "x=1\n")
        check = self.run_tool("fmt", "--check")
        self.assertEqual(check.returncode, 3, repr(check))
        self.assertEqual(check.stdout, "main.toml\nmodules/web/main.toml\n")
        self.assertEqual(self.read("main.toml"), MESSY)  # --check changes nothing

        diff = self.run_tool("fmt", "--check", "--diff", "modules")
        self.assertEqual(diff.returncode, 3, repr(diff))
        self.assertEqual(diff.stdout, "modules/web/main.toml\n--- modules/web/main.toml\n"
                                      "+++ modules/web/main.toml\n@@ -1,1 +1,1 @@\n-x=1\n+x = 1\n")

        self.assertEqual(self.ok("fmt").stdout, "main.toml\nmodules/web/main.toml\n")
        self.assertEqual(self.read("main.toml"), TIDY)
        self.assertEqual(self.read("modules/web/main.toml"), "x = 1\n")
        # Idempotent: a second run changes nothing, and --check agrees.
        self.assertEqual(self.ok("fmt").stdout, "")
        self.assertEqual(self.read("main.toml"), TIDY)
        self.assertEqual(self.ok("fmt", "--check").stdout, "")

    def test_a_file_that_is_not_toml_is_an_error_and_left_alone(self):
        self.write("main.toml", "[resource.local_file.a\nfilename = 1\n")
        bad = self.fails("fmt")
        self.assertIn("main.toml:1", bad.stderr)
        self.assertEqual(self.read("main.toml"), "[resource.local_file.a\nfilename = 1\n")


SVG = "{http://www.w3.org/2000/svg}"
CREATE, UPDATE, REPLACE, NO_OP = "#b8e6b8", "#f5e49c", "#e0b8f0", "#ffffff"


def svg_nodes(text):
    """{title: fill colour} of every node of a Graphviz SVG (which must parse as XML)."""
    root = ET.fromstring(text)
    nodes = {}
    for g in root.iter(SVG + "g"):
        if g.get("class") == "node":
            shape = next(e for e in g if e.tag in (SVG + "path", SVG + "polygon"))
            nodes[g.find(SVG + "title").text] = shape.get("fill")
    return nodes


class GraphTest(StackTestCase):
    example = "quickstart"

    def setUp(self):
        super().setUp()
        self.write("many.toml", "[resource.random_id.many]\ncount = 3\nbyte_length = 2\n")

    def test_svg_of_the_stack_has_a_node_per_resource_and_a_box_per_module(self):
        self.write("notes.toml", '[module.notes]\nsource = "./modules/notes"\n')
        self.write("modules/notes/main.toml",
                   '[resource.local_file.note]\nfilename = "out/note.txt"\ncontent = "n"\n')
        svg = self.ok("graph", "--format", "svg").stdout
        nodes = svg_nodes(svg)
        self.assertEqual(sorted(nodes), ["local_file.greeting", "local_file.secret", "module.notes.local_file.note",
                                         "random_id.many", "random_id.suffix", "random_password.db"])
        clusters = [g.find(SVG + "title").text for g in ET.fromstring(svg).iter(SVG + "g")
                    if g.get("class") == "cluster"]
        self.assertEqual(clusters, ["cluster_module.notes"])
        png = subprocess.run([BIN, "graph", "--format", "png"], cwd=self.dir, env=self.env,
                             capture_output=True, timeout=120)
        self.assertEqual(png.returncode, 0, png.stderr)
        self.assertTrue(png.stdout.startswith(b"\x89PNG\r\n\x1a\n"))

    def test_svg_of_a_plan_colours_each_instance_by_its_action(self):
        self.ok("plan", "--out", "first.plan")
        nodes = svg_nodes(self.ok("graph", "--format", "svg", "--plan", "first.plan").stdout)
        self.assertEqual(nodes, {
            "local_file.greeting": CREATE, "local_file.secret": CREATE, "random_id.many[0]": CREATE,
            "random_id.many[1]": CREATE, "random_id.many[2]": CREATE, "random_id.suffix": CREATE,
            "random_password.db": CREATE})

        self.ok("apply", "--auto-approve")
        self.ok("taint", "random_password.db")
        self.ok("plan", "--out", "second.plan", "--var", "greeting=hi")
        svg = self.ok("graph", "--format", "svg", "--plan", "second.plan").stdout
        self.assertEqual(svg_nodes(svg), {
            "local_file.greeting": UPDATE, "local_file.secret": UPDATE, "random_id.many[0]": NO_OP,
            "random_id.many[1]": NO_OP, "random_id.many[2]": NO_OP, "random_id.suffix": NO_OP,
            "random_password.db": REPLACE})
        self.assertIn(">replace (tainted)</text>", svg)

        self.ok("untaint", "random_password.db")
        self.write("main.toml", self.read("main.toml").replace('rotation = "1"', 'rotation = "2"'))
        self.ok("plan", "--out", "third.plan")
        svg = self.ok("graph", "--format", "svg", "--plan", "third.plan").stdout
        self.assertEqual(svg_nodes(svg)["random_password.db"], REPLACE)
        self.assertIn(">replace (forced by keepers)</text>", svg)


if __name__ == "__main__":
    unittest.main()
