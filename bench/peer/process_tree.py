"""Runs one command and measures it as a whole process tree: wall time, CPU
time, and peak resident memory of the command and every process it starts
(Terraform's provider plugins, reconcile's provider plugins).

Peak memory is the largest of: the highest sum of the tree's resident sets
seen by polling /proc every few milliseconds, the highest single process's
own high-water mark (VmHWM, so a short-lived process polled once still counts
with its peak), and the root's rusage after it exits. All three are lower
bounds of the true simultaneous peak; together they are close to it."""
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

POLL_SECONDS = 0.005


@dataclass
class Measurement:
    """What one run of one command cost."""
    returncode: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    stdout: str
    stderr: str
    timed_out: bool = False


def _children(pid):
    """Direct children of pid, over all its threads."""
    kids = []
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                kids.extend(int(k) for k in f.read().split())
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return kids


def _tree(root):
    """root and all its descendants alive right now."""
    seen, pending = [], [root]
    while pending:
        pid = pending.pop()
        seen.append(pid)
        pending.extend(_children(pid))
    return seen


def _memory_kb(pid):
    """(VmRSS, VmHWM) of pid in KiB, (0, 0) once it is gone."""
    rss = hwm = 0
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return rss, hwm


class _TreePoller(threading.Thread):
    """Samples the tree under root until stopped."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root = root
        self.peak_sum_kb = 0
        self.peak_single_kb = 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            total = 0
            for pid in _tree(self.root):
                rss, hwm = _memory_kb(pid)
                total += rss
                self.peak_single_kb = max(self.peak_single_kb, hwm)
            self.peak_sum_kb = max(self.peak_sum_kb, total)
            self.done.wait(POLL_SECONDS)


def measure(argv, cwd, env, timeout_s):
    """Runs argv to completion (or kills its whole group after timeout_s)."""
    with open(os.devnull) as devnull:
        out_path = os.path.join(cwd, ".measure.stdout")
        err_path = os.path.join(cwd, ".measure.stderr")
        with open(out_path, "w") as out, open(err_path, "w") as err:
            started = time.monotonic()
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=devnull, stdout=out, stderr=err,
                                    start_new_session=True)
            poller = _TreePoller(proc.pid)
            poller.start()
            killed = threading.Event()
            killer = threading.Timer(timeout_s, lambda: (killed.set(), os.killpg(proc.pid, signal.SIGKILL)))
            killer.start()
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.monotonic() - started
            killer.cancel()
            poller.done.set()
            poller.join()
            proc.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path) as out, open(err_path) as err:
        stdout, stderr = out.read(), err.read()
    os.remove(out_path)
    os.remove(err_path)
    peak_kb = max(poller.peak_sum_kb, poller.peak_single_kb, usage.ru_maxrss)
    return Measurement(proc.returncode, wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024.0, stdout,
                       stderr, killed.is_set())
