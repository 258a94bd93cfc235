"""Stack: one open stack in one workspace, over the C ABI's engine handle."""
import ctypes
import json
import os
import queue
import threading

from ._native import EVENT_CALLBACK, RC_CHANGES, ReconcileError, encode, library


class Plan:
    """A plan as rc_plan made it: the `reconcile show --json` document
    (docs/json-format.md). Pass it to Stack.apply to carry it out."""

    def __init__(self, document_json):
        self.json = document_json  # the exact text, handed back to apply
        self.document = json.loads(document_json)

    @property
    def changes_present(self):
        return bool(self.document.get("changes_present"))

    @property
    def summary(self):
        return self.document.get("summary", {})

    @property
    def workspace(self):
        return self.document.get("workspace")

    @property
    def resource_changes(self):
        return self.document.get("resource_changes", [])

    def __repr__(self):
        s = self.summary
        return "<Plan %s: %s to add, %s to change, %s to destroy>" % (
            self.workspace, s.get("add", 0), s.get("change", 0), s.get("destroy", 0))


class Run:
    """An operation running in the background (Stack.start): iterate it for
    its events as they happen, then call result() for what the operation
    returned (or its ReconcileError)."""

    _DONE = object()

    def __init__(self, stack, operation, args, kwargs):
        self._stack = stack
        self._events = queue.Queue()
        self._result = None
        self._error = None
        self._thread = threading.Thread(target=self._run, args=(operation, args, kwargs), daemon=True)
        self._thread.start()

    def _run(self, operation, args, kwargs):
        try:
            self._result = self._stack._operate(operation, args, kwargs, listener=self._events.put)
        except BaseException as error:  # handed to result()
            self._error = error
        finally:
            self._events.put(Run._DONE)

    def __iter__(self):
        while True:
            event = self._events.get()
            if event is Run._DONE:
                return
            yield event

    def cancel(self):
        self._stack.cancel()

    def result(self, timeout=None):
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError("the operation is still running")
        if self._error is not None:
            raise self._error
        return self._result


class Stack:
    """An open stack in a workspace.

    path:      the stack directory (default: the current one); with `files`,
               where .reconcile/ (local state) lives.
    files:     an in-memory stack: {"main.toml": "...", ...} instead of the
               directory's *.toml files.
    workspace: default: the selected one.
    variables: {name: value}; strings as typed, other values as literals.
    var_files, parallelism, plugin_dirs, lock_timeout (seconds).
    on_event:  called with each event (a dict, docs/json-format.md) from the
               engine's threads while operations run.
    """

    def __init__(self, path=None, files=None, workspace=None, variables=None, var_files=None,
                 parallelism=None, plugin_dirs=None, lock_timeout=None, on_event=None):
        self._lib = library()
        options = {}
        if path is not None:
            options["stack_dir"] = os.fspath(path)
        if files is not None:
            options["files"] = dict(files)
        if workspace is not None:
            options["workspace"] = workspace
        if variables:
            options["variables"] = dict(variables)
        if var_files:
            options["var_files"] = [os.fspath(f) for f in var_files]
        if parallelism is not None:
            options["parallelism"] = parallelism
        if plugin_dirs:
            options["plugin_dirs"] = [os.fspath(d) for d in plugin_dirs]
        if lock_timeout is not None:
            options["lock_timeout_ms"] = int(lock_timeout * 1000)
        self._lock = threading.Lock()  # one operation at a time, so a Run sees only its own events
        self._handle_lock = threading.Lock()  # cancel() against close()
        self._listeners = []
        self._callback_error = None
        self.on_event = on_event
        diagnostics = ctypes.c_void_p()
        handle = self._lib.lib.rc_open(encode(options), ctypes.byref(diagnostics))
        text = self._lib.take(diagnostics)
        if not handle:
            raise ReconcileError(json.loads(text) if text else [])
        self._handle = handle
        # Kept referenced for as long as the engine may call it.
        self._callback = EVENT_CALLBACK(self._receive)
        self._lib.lib.rc_set_event_callback(self._handle, self._callback, None)

    # ---- events -------------------------------------------------------------

    def _receive(self, event_json, _user):
        try:
            event = json.loads(event_json.decode("utf-8"))
            for listener in list(self._listeners):
                listener(event)
            if self.on_event is not None:
                self.on_event(event)
        except BaseException as error:  # raised again when the operation returns
            if self._callback_error is None:
                self._callback_error = error

    # ---- operations ---------------------------------------------------------

    def _operate(self, operation, args, kwargs, listener=None):
        with self._lock:
            if listener is not None:
                self._listeners.append(listener)
            self._callback_error = None
            try:
                result = getattr(self, "_" + operation)(*args, **kwargs)
            finally:
                if listener is not None:
                    self._listeners.remove(listener)
            if self._callback_error is not None:
                error, self._callback_error = self._callback_error, None
                raise error
            return result

    def _check_open(self):
        if self._handle is None:
            raise ReconcileError([], "the stack is closed")

    def _plan(self, destroy=False, refresh=True, refresh_only=False, targets=None):
        self._check_open()
        options = {"destroy": destroy, "refresh": refresh, "refresh_only": refresh_only,
                   "targets": list(targets or [])}
        _code, (plan,), _ = self._lib.call("rc_plan", self._handle, encode(options))
        return Plan(plan)

    def _apply(self, plan):
        self._check_open()
        text = plan.json if isinstance(plan, Plan) else plan if isinstance(plan, str) else json.dumps(plan)
        _code, (summary,), _ = self._lib.call("rc_apply", self._handle, text.encode("utf-8"))
        return json.loads(summary)

    def _destroy(self, targets=None):
        self._check_open()
        options = {"targets": list(targets)} if targets else {}
        _code, (summary,), _ = self._lib.call("rc_destroy", self._handle, encode(options))
        return json.loads(summary)

    def _refresh(self):
        self._check_open()
        self._lib.call("rc_refresh", self._handle, outputs=0)

    def _outputs(self, detailed=False):
        self._check_open()
        _code, (outputs,), _ = self._lib.call("rc_outputs", self._handle)
        document = json.loads(outputs)
        if detailed:
            return document
        return {name: output.get("value") for name, output in document.items()}

    def _select_workspace(self, name):
        self._check_open()
        self._lib.call("rc_select_workspace", self._handle, name.encode("utf-8"), outputs=0)

    def _workspaces(self):
        self._check_open()
        _code, (listing,), _ = self._lib.call("rc_workspaces", self._handle)
        return json.loads(listing)

    def _deploy(self, wait=True, timeout=None, poll_interval=None, **release):
        self._check_open()
        options = {"release": dict(release), "wait": wait}
        if timeout is not None:
            options["timeout_ms"] = int(timeout * 1000)
        if poll_interval is not None:
            options["poll_interval_ms"] = int(poll_interval * 1000)
        try:
            _code, (result,), _ = self._lib.call("rc_deploy", self._handle, encode(options))
        except ReconcileError as error:
            if error.outputs and error.outputs[0]:
                error.result = json.loads(error.outputs[0])
            raise
        return json.loads(result)

    def _history(self, limit=20):
        self._check_open()
        _code, (history,), _ = self._lib.call("rc_history", self._handle, int(limit))
        return json.loads(history)["entries"]

    def deploy(self, wait=True, timeout=None, poll_interval=None, **release_values):
        """Deploys release values (`reconcile deploy image_tag=v2`): plans and
        applies them, then waits for the rollouts it started (unless
        wait=False; timeout and poll_interval in seconds). Returns the result
        document ({"result": "completed" | "unchanged" | "not_waited",
        "release", "summary", "rollouts"}); a failed, rolled-back, timed-out
        or cancelled deploy raises a ReconcileError whose `result` holds it.
        A name that is not a release variable is refused before any change
        (wait, timeout and poll_interval cannot be release variable names
        here). In the background: start("deploy", image_tag="v2")."""
        return self._operate("deploy", (), dict(release_values, wait=wait, timeout=timeout,
                                                poll_interval=poll_interval))

    def history(self, limit=20):
        """The workspace's applies, newest first: dicts with serial, version,
        time, who, operation, summary, release and task_definitions. Rolling
        back is deploy(**history()[1]["release"])."""
        return self._operate("history", (), dict(limit=limit))

    def plan(self, destroy=False, refresh=True, refresh_only=False, targets=None):
        """Locks, refreshes and plans; returns a Plan (plan.changes_present
        says whether applying it would change anything)."""
        return self._operate("plan", (), dict(destroy=destroy, refresh=refresh,
                                              refresh_only=refresh_only, targets=targets))

    def apply(self, plan):
        """Carries out a Plan from plan() (refused when the state moved since).
        Returns {"add", "change", "remove", "failed", "elapsed_ms"}."""
        return self._operate("apply", (plan,), {})

    def destroy(self, targets=None):
        """Destroys everything (or the targets and what depends on them)."""
        return self._operate("destroy", (), dict(targets=targets))

    def refresh(self):
        """Records what really exists (and settles interrupted operations)."""
        return self._operate("refresh", (), {})

    def outputs(self, detailed=False):
        """{name: value}, sensitive values included; detailed=True gives
        {name: {"value": ..., "sensitive": bool}}."""
        return self._operate("outputs", (), dict(detailed=detailed))

    def select_workspace(self, name):
        """Switches to workspace `name` (created when missing); providers are
        configured anew for it."""
        return self._operate("select_workspace", (name,), {})

    def workspaces(self):
        """The names of the workspaces that have state."""
        return self._operate("workspaces", (), {})["workspaces"]

    @property
    def workspace(self):
        """The current workspace."""
        return self._operate("workspaces", (), {})["current"]

    def cancel(self):
        """Stops the running operation (or, when none runs, the next one)
        gracefully, as Ctrl-C does: no more provider calls start, those in
        flight finish (a second cancel() abandons them), the state is saved
        and the lock released; the operation raises a ReconcileError saying it
        was interrupted. During a deploy's wait for rollouts it stops the wait
        (the rollouts go on). Returns at once; callable from any thread,
        on_event included. A no-op on a closed stack."""
        with self._handle_lock:
            if self._handle:
                self._lib.lib.rc_cancel(self._handle)

    def start(self, operation, *args, **kwargs):
        """Runs plan/apply/destroy/refresh/... in the background; returns a Run
        to iterate for its events and ask for its result."""
        if operation not in ("plan", "apply", "destroy", "refresh", "outputs", "select_workspace",
                             "workspaces", "deploy", "history"):
            raise ValueError("unknown operation %r" % operation)
        return Run(self, operation, args, kwargs)

    # ---- closing ------------------------------------------------------------

    def close(self):
        """Closes the engine (stopping provider plugins). Idempotent."""
        with getattr(self, "_handle_lock", threading.Lock()):
            handle, self._handle = getattr(self, "_handle", None), None
            if handle:
                self._lib.lib.rc_set_event_callback(handle, EVENT_CALLBACK(), None)
                self._lib.lib.rc_close(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
