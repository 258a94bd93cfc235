"""Loading libreconcile.so and calling its C ABI: out-strings, JSON, errors."""
import ctypes
import ctypes.util
import glob
import json
import os
import sys
import sysconfig

RC_OK, RC_ERROR, RC_CHANGES = 0, 1, 2

EVENT_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_void_p)


class ReconcileError(Exception):
    """An operation failed. `diagnostics` holds every diagnostic it reported:
    dicts with severity, summary, detail and, when known, range
    ({filename, line, column}) and address."""

    def __init__(self, diagnostics, message=None):
        self.diagnostics = list(diagnostics)
        self.outputs = []
        self.result = None  # Stack.deploy's result document, when a deploy failed
        errors = [d for d in self.diagnostics if d.get("severity") == "error"] or self.diagnostics
        if message is None:
            message = "; ".join(_describe(d) for d in errors) or "reconcile failed"
        super().__init__(message)

    @property
    def errors(self):
        return [d for d in self.diagnostics if d.get("severity") == "error"]


def _describe(diagnostic):
    where = ""
    rng = diagnostic.get("range")
    if rng:
        where = "%s:%s:%s: " % (rng.get("filename"), rng.get("line"), rng.get("column"))
    text = where + diagnostic.get("summary", "")
    if diagnostic.get("detail"):
        text += " (" + diagnostic["detail"] + ")"
    return text


def _candidates():
    """Where libreconcile.so may be, most specific first."""
    explicit = os.environ.get("RECONCILE_LIBRARY")
    if explicit:
        yield explicit
        return
    prefixes = []
    if os.environ.get("RECONCILE_PREFIX"):
        prefixes.append(os.environ["RECONCILE_PREFIX"])
    # The prefix this package was installed into: pip install --prefix P puts
    # it in P/lib/pythonX.Y/site-packages (Debian: P/local/lib/...), so look
    # in the lib directories of its ancestors.
    here = os.path.dirname(os.path.abspath(__file__))
    for _ in range(6):
        here = os.path.dirname(here)
        prefixes.append(here)
    prefixes += [sys.prefix, "/usr/local", "/usr"]
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    for prefix in prefixes:
        for libdir in ("lib", "lib64", os.path.join("lib", multiarch) if multiarch else None):
            if libdir:
                yield os.path.join(prefix, libdir, "libreconcile.so")
    found = ctypes.util.find_library("reconcile")
    if found:
        yield found


def library_path():
    """The libreconcile.so this package would load (None when none is found)."""
    for path in _candidates():
        if os.path.isabs(path):
            if os.path.exists(path):
                return path
            for versioned in sorted(glob.glob(path + ".*")):
                return versioned
        else:
            return path  # a name for the dynamic loader (find_library)
    return None


class _Library:
    """The C ABI with its prototypes."""

    def __init__(self):
        path = library_path()
        if path is None:
            raise ReconcileError([], "libreconcile.so not found: install reconcile (cmake --install) "
                                     "or set RECONCILE_LIBRARY to the library's path")
        try:
            self.lib = ctypes.CDLL(path)
        except OSError as error:
            raise ReconcileError([], "cannot load %s: %s" % (path, error))
        self.path = path
        lib = self.lib
        out = ctypes.POINTER(ctypes.c_void_p)
        handle = ctypes.c_void_p
        lib.rc_open.argtypes = [ctypes.c_char_p, out]
        lib.rc_open.restype = handle
        for name, args in (("rc_plan", [handle, ctypes.c_char_p, out, out]),
                           ("rc_apply", [handle, ctypes.c_char_p, out, out]),
                           ("rc_destroy", [handle, ctypes.c_char_p, out, out]),
                           ("rc_refresh", [handle, out]),
                           ("rc_outputs", [handle, out, out]),
                           ("rc_select_workspace", [handle, ctypes.c_char_p, out]),
                           ("rc_workspaces", [handle, out, out]),
                           ("rc_deploy", [handle, ctypes.c_char_p, out, out]),
                           ("rc_history", [handle, ctypes.c_int, out, out])):
            function = getattr(lib, name)
            function.argtypes = args
            function.restype = ctypes.c_int
        lib.rc_set_event_callback.argtypes = [handle, EVENT_CALLBACK, ctypes.c_void_p]
        lib.rc_set_event_callback.restype = None
        lib.rc_free.argtypes = [ctypes.c_void_p]
        lib.rc_free.restype = None
        lib.rc_close.argtypes = [handle]
        lib.rc_close.restype = None
        lib.rc_cancel.argtypes = [handle]
        lib.rc_cancel.restype = None

    def take(self, pointer):
        """The text of a returned char* (None for NULL), released."""
        if not pointer.value:
            return None
        try:
            return ctypes.string_at(pointer.value).decode("utf-8")
        finally:
            self.lib.rc_free(pointer.value)

    def call(self, name, *args, outputs=1):
        """Calls `name` with `args` and `outputs` out-strings plus the
        diagnostics; returns (code, [out-strings as text]) or raises
        ReconcileError on RC_ERROR."""
        slots = [ctypes.c_void_p() for _ in range(outputs + 1)]
        code = getattr(self.lib, name)(*args, *[ctypes.byref(s) for s in slots])
        texts = [self.take(s) for s in slots]
        diagnostics = json.loads(texts[-1]) if texts[-1] else []
        if code == RC_ERROR:
            error = ReconcileError(diagnostics)
            error.outputs = texts[:-1]  # what the call returned beside the error (rc_deploy's result)
            raise error
        return code, texts[:-1], diagnostics


_library = None


def library():
    global _library
    if _library is None:
        _library = _Library()
    return _library


def encode(value):
    return None if value is None else json.dumps(value).encode("utf-8")
