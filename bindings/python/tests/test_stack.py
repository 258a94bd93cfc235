"""The Python package over the build tree's libreconcile.so (RECONCILE_LIBRARY)
and its random/local plugins, on copies of examples/quickstart."""
import os
import shutil
import tempfile
import threading
import unittest

import reconcile

SOURCE_DIR = os.environ.get("RECONCILE_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", "..", ".."))


class StackTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="reconcile-py-")
        shutil.copytree(os.path.join(SOURCE_DIR, "examples", "quickstart"), self.dir, dirs_exist_ok=True)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def stack(self, **kwargs):
        kwargs.setdefault("workspace", "default")
        stack = reconcile.Stack(self.dir, **kwargs)
        self.addCleanup(stack.close)
        return stack

    def test_plan_apply_outputs_destroy(self):
        stack = self.stack()
        plan = stack.plan()
        self.assertTrue(plan.changes_present)
        self.assertEqual(plan.summary, {"add": 4, "change": 0, "destroy": 0, "read": 0})
        self.assertEqual(sorted(c["address"] for c in plan.resource_changes),
                         ["local_file.greeting", "local_file.secret", "random_id.suffix", "random_password.db"])
        self.assertEqual(stack.apply(plan)["add"], 4)
        outputs = stack.outputs()
        with open(os.path.join(self.dir, outputs["greeting_file"])) as f:
            self.assertEqual(f.read(), "hello, ops!\n")
        self.assertEqual(len(outputs["db_password"]), 20)
        self.assertEqual(stack.outputs(detailed=True)["db_password"]["sensitive"], True)
        self.assertFalse(stack.plan().changes_present)
        self.assertEqual(stack.destroy()["remove"], 4)
        self.assertEqual(stack.outputs(), {})

    def test_variables_and_in_memory_files(self):
        files = {"main.toml": '[variable.n]\ntype = "number"\n\n[resource.random_id.x]\nbyte_length = "${var.n}"\n\n'
                              '[output.hex]\nvalue = "${random_id.x.hex}"\n'}
        stack = self.stack(files=files, variables={"n": 3})
        stack.apply(stack.plan())
        self.assertEqual(len(stack.outputs()["hex"]), 6)

    def test_deploy_history_and_rollback(self):
        files = {"main.toml": '[variable.image_tag]\ntype = "string"\ndefault = "v0"\nrelease = true\n\n'
                              '[resource.local_file.release]\nfilename = "out/release.txt"\n'
                              'content = "${var.image_tag}"\n'}
        stack = self.stack(files=files)
        released = os.path.join(self.dir, "out", "release.txt")
        events = []
        for tag in ("v1", "v2", "v3"):
            result = stack.start("deploy", image_tag=tag)
            events += [e["type"] for e in result]
            self.assertEqual(result.result()["result"], "completed")
            with open(released) as f:
                self.assertEqual(f.read(), tag)
            self.assertFalse(stack.plan().changes_present)  # the recorded tag is kept
        self.assertIn("release_change", events)
        self.assertEqual(events[-1], "deploy_summary")
        history = stack.history()
        self.assertEqual([h["release"]["image_tag"] for h in history[:3]], ["v3", "v2", "v1"])
        self.assertEqual({h["operation"] for h in history[:3]}, {"deploy"})
        rolled = stack.deploy(**history[1]["release"])
        self.assertEqual(rolled["release"]["values"][0], {"name": "image_tag", "before": "v3", "after": "v2",
                                                          "origin": "--var image_tag", "changed": True})
        with open(released) as f:
            self.assertEqual(f.read(), "v2")
        self.assertEqual(stack.deploy(image_tag="v2")["result"], "unchanged")
        with self.assertRaises(reconcile.ReconcileError) as caught:
            stack.deploy(imagetag="v9")
        self.assertIn('did you mean "image_tag"?', str(caught.exception))
        with open(released) as f:
            self.assertEqual(f.read(), "v2")

    def test_errors_carry_the_diagnostics(self):
        with open(os.path.join(self.dir, "main.toml"), "a") as f:
            f.write('\n[resource.random_id.bad]\nbyte_length = "many"\n')
        stack = self.stack()
        with self.assertRaises(reconcile.ReconcileError) as caught:
            stack.plan()
        errors = caught.exception.errors
        self.assertTrue(errors)
        self.assertEqual(errors[0]["range"]["filename"], "main.toml")
        self.assertIn("main.toml:", str(caught.exception))

    def test_open_errors(self):
        with self.assertRaises(reconcile.ReconcileError) as caught:
            reconcile.Stack(os.path.join(self.dir, "missing"))
        self.assertIn("does not exist", caught.exception.diagnostics[0]["summary"])

    def test_a_stale_plan_is_refused(self):
        stack = self.stack()
        first = stack.plan()
        stack.apply(stack.plan())
        with self.assertRaises(reconcile.ReconcileError) as caught:
            stack.apply(first)
        self.assertEqual(caught.exception.errors[0]["summary"], "Saved plan is stale")

    def test_events_by_callback_and_by_iterator(self):
        seen = []
        stack = self.stack(on_event=seen.append)
        plan = stack.plan()
        self.assertEqual([e["type"] for e in seen].count("planned_change"), 4)
        run = stack.start("apply", plan)
        types = [event["type"] for event in run]
        self.assertEqual(run.result()["add"], 4)
        self.assertEqual(types.count("apply_complete"), 4)
        self.assertEqual(types[-1], "outputs")
        # The callback saw the same events
        self.assertEqual([e["type"] for e in seen][-len(types):], types)

    def test_a_failing_run_raises_from_result(self):
        stack = self.stack()
        run = stack.start("plan", targets=["no such thing"])
        events = list(run)
        self.assertEqual(events[-1]["type"], "diagnostic")
        with self.assertRaises(reconcile.ReconcileError):
            run.result()

    def test_a_callback_exception_is_raised_by_the_operation(self):
        def explode(event):
            raise RuntimeError("from the callback")
        stack = self.stack(on_event=explode)
        with self.assertRaisesRegex(RuntimeError, "from the callback"):
            stack.plan()
        stack.on_event = None
        stack.plan()

    def test_workspaces(self):
        stack = self.stack()
        stack.apply(stack.plan())
        stack.select_workspace("staging")
        self.assertEqual(stack.workspace, "staging")
        self.assertEqual(stack.workspaces(), ["default", "staging"])
        self.assertEqual(stack.plan().summary["add"], 4)
        stack.select_workspace("default")
        self.assertFalse(stack.plan().changes_present)

    def test_operations_from_threads(self):
        stack = self.stack()
        stack.apply(stack.plan())
        results = []

        def worker():
            for _ in range(3):
                results.append(stack.plan().changes_present)
        threads = [threading.Thread(target=worker) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [False] * 9)

    def test_closed(self):
        stack = self.stack()
        stack.close()
        stack.close()
        with self.assertRaises(reconcile.ReconcileError):
            stack.plan()

    def test_cancel_stops_a_running_apply_saves_state_and_releases_the_lock(self):
        plugins = os.environ.get("RECONCILE_TEST_PLUGINS")
        if not plugins:
            self.skipTest("RECONCILE_TEST_PLUGINS (the slow test plugin's directory) is not set")
        objects = os.path.join(self.dir, "slow-objects")
        os.environ["SLOW_STATE_DIR"] = objects
        files = {"main.toml": "".join('[resource.slow_thing.r%d]\nname = "r%d"\ndelay_ms = 1500\n\n' % (i, i)
                                      for i in range(6))}
        options = dict(files=files, parallelism=2, plugin_dirs=[plugins], lock_timeout=0)
        stack = self.stack(**options)
        # When an apply runs in the background and is cancelled once a create started
        run = stack.start("apply", stack.plan())
        started, finished, messages = set(), set(), []
        for event in run:
            if event["type"] == "apply_start":
                if not started:
                    run.cancel()
                started.add(event["address"])
            elif event["type"] == "apply_complete":
                finished.add(event["address"])
            elif event["type"] == "log":
                messages.append(event["message"])
        # Then it raises as interrupted, after finishing what it had started
        with self.assertRaises(reconcile.ReconcileError) as caught:
            run.result()
        self.assertIn("Apply interrupted", [d["summary"] for d in caught.exception.errors])
        self.assertTrue(any(m.startswith("Interrupt received") for m in messages), messages)
        self.assertEqual(started, finished)
        self.assertTrue(1 <= len(finished) < 6, finished)
        self.assertEqual(len([n for n in os.listdir(objects) if not n.startswith(".")]), len(finished))
        # And the state was saved and the lock released: another engine plans the rest
        other = self.stack(**options)
        self.assertEqual(other.plan().summary["add"], 6 - len(finished))
        other.close()
        # And the same stack applies the rest afterwards
        stack.apply(stack.plan())
        self.assertFalse(stack.plan().changes_present)


if __name__ == "__main__":
    unittest.main()
