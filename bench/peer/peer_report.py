"""The peer benchmark's printed results: the machine it ran on and one
Markdown table of medians per series (paste-ready for the README)."""
import datetime
import os
import platform
import statistics
import subprocess

LABELS = {"apply": "apply from nothing", "noop": "no-op plan", "change": "plan, one attribute changed",
          "destroy": "destroy"}


def _cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gb():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0


def _version(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


def machine_lines(started, load_before, load_after, tools, parts):
    """Date, machine, versions and load: what a reader needs to weigh the table."""
    source = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    commit = _version(["git", "-C", source, "rev-parse", "--short", "HEAD"])
    lines = ["date: %s" % datetime.datetime.fromtimestamp(started).strftime("%Y-%m-%d %H:%M"),
             "machine: %d CPUs (%s), %.0f GB RAM, load average %.1f before / %.1f after" % (
                 os.cpu_count(), _cpu_model(), _memory_gb(), load_before[0], load_after[0]),
             "reconcile: commit %s; stack parts: %s" % (commit, ", ".join(parts))]
    for tool in tools:
        if tool.name == "terraform":
            lines.append("terraform: %s, AWS provider from %s" % (_version([tool.bin, "version"]), tool.mirror))
    return lines


def _median(samples, key):
    good = [s[key] for s in samples if s["ok"]]
    return statistics.median(good) if good else None


def _cell(samples, key, fmt):
    """A median, or why there is none."""
    if not samples:
        return "-"
    value = _median(samples, key)
    if value is not None:
        return fmt % value
    return "timed out" if any(s["timed_out"] for s in samples) else "failed"


def _ratio(first, second, key):
    a, b = _median(first or [], key), _median(second or [], key)
    if a is None or b is None or a == 0:
        return "-"
    return "%.1fx" % (b / a)


def print_table(samples, tool_names):
    """One table per series; with two tools, ratios are second / first."""
    first = tool_names[0]
    second = tool_names[1] if len(tool_names) > 1 else None
    for series, operations in samples.items():
        runs = max(len(v) for by_tool in operations.values() for v in by_tool.values())
        print("\n%s (medians of %d runs)\n" % (series, runs))
        head = ["operation", "%s wall" % first, "%s CPU" % first, "%s peak" % first, "%s calls" % first]
        if second:
            head += ["%s wall" % second, "%s CPU" % second, "%s peak" % second, "%s calls" % second,
                     "speed-up", "memory ratio"]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for operation, by_tool in operations.items():
            row = [LABELS.get(operation, operation)]
            for name in [first] + ([second] if second else []):
                got = by_tool.get(name)
                row += [_cell(got, "wall_s", "%.2f s"), _cell(got, "cpu_s", "%.2f s"),
                        _cell(got, "peak_mb", "%.0f MB"), _cell(got, "calls", "%d")]
            if second:
                row += [_ratio(by_tool.get(first), by_tool.get(second), "wall_s"),
                        _ratio(by_tool.get(first), by_tool.get(second), "peak_mb")]
            print("| " + " | ".join(row) + " |")
