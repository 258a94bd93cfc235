"""The command line's own contract, through the built binary: usage errors exit
1 with a message and the command's usage line, unknown names get "did you
mean", every --help ends with examples, the bash completion completes commands,
workspaces and addresses, and docs/cli.md and the man page are what the binary
prints."""
import json
import os
import pty
import re
import shutil
import subprocess
import tempfile
import unittest

from reconcile_harness import BIN, SOURCE_DIR, StackTestCase

BUILD_DIR = os.environ.get("RECONCILE_BUILD_DIR", "")

# A stack with local-only providers: one plain resource, one for_each resource.
STACK = """
[resource.random_id.solo]
byte_length = 4

[resource.random_id.each]
for_each = { a = 1, b = 2 }
byte_length = 4

[output.solo]
value = "${random_id.solo.hex}"
"""


def commands(top_help):
    """The command names `reconcile --help` lists."""
    section = top_help.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in section.splitlines() if line.strip()]


class UsageErrorTest(StackTestCase):
    """The rows of issue 26's table, and the other ways to mistype a command."""

    def usage_error(self, *args):
        r = self.run_tool(*args)
        self.assertEqual(r.returncode, 1, repr(r))
        self.assertEqual(r.stdout, "", repr(r))
        return r.stderr

    def test_no_command_prints_the_command_list(self):
        err = self.usage_error()
        self.assertTrue(err.startswith("Usage: reconcile [global options] COMMAND [options]\n"), err)
        self.assertEqual(commands(err), commands(self.ok("--help").stdout))
        self.assertIn("plan", commands(err))

    def test_misspelt_command(self):
        err = self.usage_error("aply")
        self.assertEqual(err,
                         'error: reconcile has no command named "aply"; did you mean "apply"?\n'
                         "  Usage: reconcile [global options] COMMAND [options]\n"
                         "  Run `reconcile --help` for the list of commands.\n")

    def test_unknown_command_without_a_close_one(self):
        if "deploy" in commands(self.ok("--help").stdout):
            self.skipTest("deploy exists now")
        err = self.usage_error("deploy")
        self.assertIn('error: reconcile has no command named "deploy"\n', err)
        self.assertIn("Usage: reconcile [global options] COMMAND [options]", err)

    def test_command_without_its_subcommand_prints_the_subcommands(self):
        err = self.usage_error("workspace")
        self.assertTrue(err.startswith("Usage: reconcile workspace COMMAND [options]\n"), err)
        listed = err.split("Subcommands:\n", 1)[1].split("\n\n", 1)[0]
        self.assertEqual([line.split()[0] for line in listed.splitlines()],
                         ["list", "show", "new", "select", "delete"])
        self.assertIn("Subcommands:", self.usage_error("state"))

    def test_unknown_flag(self):
        err = self.usage_error("plan", "--bogus")
        self.assertEqual(err,
                         "error: Unknown flag --bogus for `reconcile plan`\n"
                         "  Usage: reconcile plan [options]\n"
                         "  Run `reconcile plan --help` for its options.\n")

    def test_value_out_of_range(self):
        err = self.usage_error("plan", "--parallelism", "0")
        self.assertIn('--parallelism: expected a whole number from 1 to 256, not "0"', err)
        self.assertIn("Usage: reconcile plan [options]", err)
        err = self.usage_error("apply", "--parallelism=many")
        self.assertIn('--parallelism: expected a whole number from 1 to 256, not "many"', err)
        self.assertIn("Usage: reconcile apply [options] [PLANFILE]", err)
        err = self.usage_error("plan", "--refresh=maybe")
        self.assertIn('--refresh: expected true or false, not "maybe"', err)

    def test_missing_argument_and_value(self):
        err = self.usage_error("state", "show")
        self.assertIn("error: `reconcile state show` needs ADDRESS", err)
        self.assertIn("Usage: reconcile state show ADDRESS", err)
        err = self.usage_error("plan", "--var")
        self.assertIn("error: --var needs a value: --var NAME=VALUE", err)
        err = self.usage_error("plan", "--lock-timeout", "soon")
        self.assertIn('expected a duration such as 0s, 30s, 5m or 1h, not "soon"', err)

    def test_unexpected_argument(self):
        err = self.usage_error("plan", "extra")
        self.assertIn('error: Unexpected argument "extra" for `reconcile plan`', err)
        self.assertIn("Usage: reconcile plan [options]", err)

    def test_bad_choice(self):
        err = self.usage_error("completion", "powershell")
        self.assertIn("powershell", err)
        self.assertIn("Usage: reconcile completion SHELL", err)

    def test_usage_errors_come_before_any_work(self):
        # No stack here: a usage error must not get as far as loading one.
        err = self.usage_error("apply", "--auto-approve", "--bogus")
        self.assertNotIn("stack", err.lower())


class SuggestionTest(StackTestCase):
    def suggestion(self, *args):
        r = self.run_tool(*args)
        self.assertEqual(r.returncode, 1, repr(r))
        m = re.search(r'did you mean "([^"]+)"\?', r.stderr)
        self.assertIsNotNone(m, repr(r))
        return m.group(1)

    def test_commands_subcommands_and_flags(self):
        self.assertEqual(self.suggestion("plna"), "plan")
        self.assertEqual(self.suggestion("valdate"), "validate")
        self.assertEqual(self.suggestion("workspace", "lst"), "list")
        self.assertEqual(self.suggestion("state", "mvv", "a", "b"), "mv")
        self.assertEqual(self.suggestion("plan", "--paralelism", "4"), "--parallelism")
        self.assertEqual(self.suggestion("apply", "--auto-aprove"), "--auto-approve")
        # Global flags are flags of every command.
        self.assertEqual(self.suggestion("plan", "--workspce", "prod"), "--workspace")
        self.assertEqual(self.suggestion("help", "aply"), "apply")
        self.assertEqual(self.suggestion("help", "state", "sho"), "show")

    def test_nothing_close_means_no_suggestion(self):
        r = self.fails("plan", "--frobnicate")
        self.assertNotIn("did you mean", r.stderr)


class HelpTest(StackTestCase):
    def all_commands(self):
        """Every command path, subcommands included."""
        paths = []
        for name in commands(self.ok("--help").stdout):
            paths.append([name])
            text = self.ok(name, "--help").stdout
            if "Subcommands:\n" in text:
                paths += [[name, sub] for sub in commands(text.replace("Subcommands:", "Commands:"))]
        return paths

    def test_every_help_ends_with_examples(self):
        paths = self.all_commands()
        self.assertIn(["state", "rm"], paths)
        self.assertIn(["workspace", "select"], paths)
        for path in [[]] + paths:
            text = self.ok(*path, "--help").stdout
            self.assertTrue(text.startswith("Usage: reconcile"), (path, text))
            examples = text.rsplit("\nExamples:\n", 1)
            self.assertEqual(len(examples), 2, (path, text))
            lines = examples[1].splitlines()
            commands_shown = [line.strip() for line in lines if line.startswith("  ") and not line.startswith("      ")]
            self.assertTrue(2 <= len(commands_shown) <= 3, (path, text))
            for shown in commands_shown:
                self.assertIn("reconcile", shown, (path, text))
            # `help COMMAND` prints the same.
            self.assertEqual(self.ok("help", *path).stdout, text)

    def test_help_of_an_unknown_command(self):
        r = self.fails("help", "state", "nope")
        self.assertIn("There is no command `reconcile state nope`", r.stderr)

    def test_workspace_flag_and_select_or_create(self):
        self.write("main.toml", STACK)
        self.ok("--workspace", "staging", "apply", "--auto-approve")
        self.assertEqual([r["address"] for r in self.state("staging")["resources"]],
                         ['random_id.each["a"]', 'random_id.each["b"]', "random_id.solo"])
        self.assertFalse(os.path.exists(os.path.join(self.dir, ".reconcile", "state", "default.json")))
        self.assertEqual(self.ok("workspace", "show").stdout, "default\n")
        self.assertEqual(self.ok("workspace", "show", "--workspace", "staging").stdout, "staging\n")
        self.env["RECONCILE_WORKSPACE"] = "staging"
        self.assertIn("random_id.solo", self.ok("state", "list").stdout)
        del self.env["RECONCILE_WORKSPACE"]
        created = self.ok("workspace", "select", "--or-create", "pr-1")
        self.assertEqual(created.stdout, 'Created and switched to workspace "pr-1".\n')
        self.assertEqual(self.ok("workspace", "show").stdout, "pr-1\n")
        self.ok("workspace", "select", "default")
        again = self.ok("workspace", "select", "--or-create", "pr-1")
        self.assertEqual(again.stdout, 'Switched to workspace "pr-1".\n')

    def test_version_json(self):
        text = self.ok("version").stdout
        info = json.loads(self.ok("version", "--json").stdout)
        self.assertEqual(text.splitlines()[0],
                         "reconcile %s (plugin protocol %s)" % (info["version"], info["plugin_protocol"]))
        self.assertEqual(self.ok("--version").stdout, "reconcile %s\n" % info["version"])
        self.assertEqual(info["plugin_protocol"], "1.1")
        found = {p["name"]: p for p in info["providers"]}
        for name in ["random", "local"]:
            self.assertIn(name, found, info)
            self.assertTrue(os.access(found[name]["path"], os.X_OK), found[name])
            self.assertRegex(found[name]["version"], r"^\d+\.\d+")
            self.assertNotIn("problem", found[name])
            self.assertIn("+ provider %s %s (%s)" % (name, found[name]["version"], found[name]["path"]), text)

    def test_refresh_and_apply_json(self):
        self.write("main.toml", STACK)
        lines = [json.loads(line) for line in self.ok("apply", "--auto-approve", "--json").stdout.splitlines()]
        types = [line["type"] for line in lines]
        self.assertEqual(types.count("apply_complete"), 3, types)
        summaries = [line for line in lines if line["type"] == "change_summary"]
        self.assertEqual([s["operation"] for s in summaries], ["plan", "apply"])
        self.assertEqual(types[-1], "outputs")
        self.assertEqual(list(lines[-1]["outputs"]), ["solo"])
        refreshed = [json.loads(line) for line in self.ok("refresh", "--json").stdout.splitlines()]
        self.assertEqual(sorted(e["address"] for e in refreshed if e["type"] == "refresh_complete"),
                         ['random_id.each["a"]', 'random_id.each["b"]', "random_id.solo"])


class ColourTest(StackTestCase):
    """Colour only on a terminal, and never with NO_COLOR or --no-color."""

    def on_terminal(self, *args, env=None):
        main, child = pty.openpty()
        try:
            proc = subprocess.run([BIN] + list(args), cwd=self.dir, env=env, stdout=child, stderr=child,
                                  stdin=subprocess.DEVNULL, timeout=60)
            os.close(child)
            child = None
            out = b""
            while True:
                try:
                    chunk = os.read(main, 4096)
                except OSError:  # the terminal closed
                    break
                if not chunk:
                    break
                out += chunk
            return proc.returncode, out.decode()
        finally:
            os.close(main)
            if child is not None:
                os.close(child)

    def test_colour_follows_the_terminal_and_no_color(self):
        self.write("main.toml", STACK)
        env = dict(self.env)
        env.pop("NO_COLOR", None)
        env["TERM"] = "xterm"
        code, out = self.on_terminal("validate", env=env)
        self.assertEqual(code, 0, out)
        self.assertIn("\x1b[32mSuccess! The configuration is valid.\x1b[0m", out)
        code, out = self.on_terminal("aply", env=env)
        self.assertEqual(code, 1, out)
        self.assertIn("\x1b[31merror:\x1b[0m", out)
        code, out = self.on_terminal("validate", "--no-color", env=env)
        self.assertNotIn("\x1b[", out)
        code, out = self.on_terminal("validate", env=dict(env, NO_COLOR="1"))
        self.assertNotIn("\x1b[", out)
        piped = subprocess.run([BIN, "validate"], cwd=self.dir, env=env, capture_output=True, text=True,
                               timeout=60)
        self.assertEqual(piped.stdout, "Success! The configuration is valid.\n")


class CompletionTest(StackTestCase):
    def setUp(self):
        super().setUp()
        self.write("main.toml", STACK)
        self.write("saved.plan", "")
        self.ok("apply", "--auto-approve")
        self.ok("workspace", "new", "staging")
        self.ok("workspace", "select", "default")
        self.script = self.ok("completion", "bash").stdout

    def complete(self, *words):
        """What bash offers for the last of `words` (typed after `reconcile`)."""
        program = (self.script +
                   '\nCOMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n'
                   '_reconcile\nprintf "%s\\n" "${COMPREPLY[@]}"\n')
        proc = subprocess.run(["bash", "-c", program, "bash", BIN] + list(words), cwd=self.dir,
                              env=self.env, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return [line for line in proc.stdout.splitlines() if line]

    def test_commands(self):
        self.assertEqual(self.complete("pl"), ["plan"])
        self.assertEqual(self.complete("st"), ["state"])
        self.assertIn("workspace", self.complete(""))
        self.assertNotIn("__complete", self.complete(""))
        self.assertEqual(self.complete("state", ""), ["list", "show", "rm", "mv", "pull", "push", "rekey"])
        self.assertEqual(self.complete("help", "state", "r"), ["rm", "rekey"])
        self.assertEqual(self.complete("completion", ""), ["bash", "zsh", "fish"])

    def test_flags(self):
        self.assertEqual(self.complete("plan", "--para"), ["--parallelism"])
        self.assertIn("--workspace", self.complete("plan", "--w"))
        self.assertEqual(self.complete("plan", "--refresh", ""), ["true", "false"])

    def test_workspaces(self):
        self.assertEqual(self.complete("workspace", "select", "st"), ["staging"])
        self.assertEqual(self.complete("workspace", "select", ""), ["default", "staging"])
        self.assertEqual(self.complete("--workspace", "s"), ["staging"])

    def test_addresses(self):
        instances = ['random_id.each\\[\\"a\\"\\]', 'random_id.each\\[\\"b\\"\\]']
        self.assertEqual(self.complete("state", "show", "random_id.s"), ["random_id.solo"])
        self.assertEqual(self.complete("state", "show", "random_id.e"), ["random_id.each"] + instances)
        self.assertEqual(self.complete("state", "rm", "random_id.solo", "random_id.s"), ["random_id.solo"])
        self.assertEqual(self.complete("state", "mv", "random_id.solo", "random_id.s"), ["random_id.solo"])
        self.assertEqual(self.complete("plan", "--target", "random_id.s"), ["random_id.solo"])
        self.assertEqual(self.complete("destroy", "--target", "=", ""),
                         ["random_id.each"] + instances + ["random_id.solo"])
        # Another workspace's state, named before the command.
        self.assertEqual(self.complete("--workspace", "staging", "state", "show", ""), [])
        self.assertEqual(self.complete("-C", self.dir, "state", "show", "random_id.s"), ["random_id.solo"])

    def test_completed_address_is_usable(self):
        word = self.complete("state", "show", 'random_id.each')[1]
        shown = subprocess.run(["bash", "-c", "%s state show %s" % (BIN, word)], cwd=self.dir, env=self.env,
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertTrue(shown.stdout.startswith('# random_id.each["a"]:'), shown.stdout)

    def test_paths(self):
        self.assertEqual(self.complete("apply", "sav"), ["saved.plan"])
        self.assertEqual(self.complete("show", "--json", "sav"), ["saved.plan"])

    def test_outside_a_stack_completes_nothing_dynamic(self):
        empty = tempfile.mkdtemp(prefix="reconcile-e2e-")
        try:
            self.assertEqual(self.complete("-C", empty, "state", "show", ""), [])
            self.assertEqual(self.complete("-C", empty, "pl"), ["plan"])
        finally:
            shutil.rmtree(empty)

    def shell_script_loads(self, shell, script_args, check):
        if shutil.which(shell) is None:
            self.skipTest("%s is not installed" % shell)
        script = self.ok("completion", shell).stdout
        path = self.write("completion." + shell, script)
        proc = subprocess.run([shell] + script_args + [check.replace("SCRIPT", path)], cwd=self.dir,
                              env=self.env, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        return proc.stdout

    def test_zsh_script_completes(self):
        # Without a terminal, zsh's completion widgets cannot run: stand in for
        # _describe (print the "value:description" entries it is given) and
        # set the words as the completion system would.
        def zsh(*words):
            check = ("source SCRIPT; _describe() { print -rl -- \"${(@P)${@[-1]}}\" }; "
                     "words=(%s %s); CURRENT=%d; _reconcile"
                     % (BIN, " ".join("'%s'" % w for w in words), len(words) + 1))
            return self.shell_script_loads("zsh", ["-f", "-c"], check).splitlines()
        self.assertEqual(zsh("workspace", "select", "st"), ["staging"])
        self.assertEqual(zsh("pl"), ["plan:Show what apply would change"])
        self.assertEqual(zsh("plan", "--para"), ["--parallelism:Operations in flight at once (default 10)"])
        self.assertEqual(zsh("state", "show", "random_id.s"), ["random_id.solo"])

    def test_fish_script_completes(self):
        out = self.shell_script_loads("fish", ["--no-config", "-c"],
                                      "set PATH %s $PATH; source SCRIPT; complete -C'reconcile workspace select st'"
                                      % os.path.dirname(BIN))
        self.assertEqual(out.split(), ["staging"])


class GeneratedDocsTest(unittest.TestCase):
    def run_bin(self, *args):
        proc = subprocess.run([BIN] + list(args), capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def test_docs_cli_md_is_up_to_date(self):
        with open(os.path.join(SOURCE_DIR, "docs", "cli.md")) as f:
            committed = f.read()
        generated = self.run_bin("help", "--markdown")
        self.assertEqual(committed, generated,
                         "docs/cli.md is out of date: run `%s help --markdown > docs/cli.md`" % BIN)

    def test_docs_list_every_command_flag_and_variable(self):
        doc = self.run_bin("help", "--markdown")
        top = self.run_bin("--help")
        for name in commands(top):
            self.assertIn("| `reconcile %s` |" % name, doc)
        for flag in ["`--parallelism N`", "`--target ADDRESS`", "`-C, --chdir DIR`", "`--workspace WORKSPACE`",
                     "`RECONCILE_WORKSPACE`", "`RECONCILE_VAR_<name>`", "`NO_COLOR`"]:
            self.assertIn(flag, doc)
        for code in ["`0`", "`1`", "`2`"]:
            self.assertIn("| %s |" % code, doc)

    def test_man_page_renders_without_warnings(self):
        page = self.run_bin("help", "--man")
        if shutil.which("groff") is None:
            self.skipTest("groff is not installed")
        proc = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z"], input=page, capture_output=True,
                              text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        rendered = subprocess.run(["groff", "-man", "-Tutf8"], input=page, capture_output=True,
                                  text=True, timeout=60).stdout
        rendered = re.sub(".\b", "", rendered)  # bold and underline are overstruck
        self.assertIn("reconcile state mv [options] SOURCE DESTINATION", rendered)
        self.assertIn("RECONCILE_WORKSPACE", rendered)
        self.assertIn("EXIT STATUS", rendered)

    @unittest.skipUnless(BUILD_DIR, "RECONCILE_BUILD_DIR is not set")
    def test_install_puts_the_man_page_and_completions_in_place(self):
        prefix = tempfile.mkdtemp(prefix="reconcile-install-")
        try:
            subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", prefix], check=True,
                           capture_output=True, timeout=300)
            with open(os.path.join(prefix, "share", "man", "man1", "reconcile.1")) as f:
                self.assertEqual(f.read(), self.run_bin("help", "--man"))
            with open(os.path.join(prefix, "share", "bash-completion", "completions", "reconcile")) as f:
                self.assertEqual(f.read(), self.run_bin("completion", "bash"))
            self.assertTrue(os.path.exists(os.path.join(prefix, "share", "zsh", "site-functions", "_reconcile")))
            self.assertTrue(os.path.exists(
                os.path.join(prefix, "share", "fish", "vendor_completions.d", "reconcile.fish")))
        finally:
            shutil.rmtree(prefix)


if __name__ == "__main__":
    unittest.main()
