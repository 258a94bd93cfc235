#!/usr/bin/env python3
"""reconcile side by side with Terraform on one moto_server (issue 10).

    bench/peer/peer_bench.py [--build-dir build/release] [--runs 3] [--scale 100,1000,5000]

Seed series: the seed-like stack (bench/peer/stack/ and bench/peer/terraform/)
through both tools; each operation (apply from nothing, no-op plan, plan
after one changed attribute, destroy) runs once per tool per run, the tools
alternating which goes first; the table shows medians. Scale series: N SSM
parameters on the same stack, apply from nothing and no-op plan, moto wiped
between runs. Terraform is skipped, with a message, when the binary or the
provider mirror is absent."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from peer_moto import Moto  # noqa: E402
from peer_report import machine_lines, print_table  # noqa: E402
from peer_tools import EXPECTED_EXIT, OPERATIONS, Reconcile, Terraform  # noqa: E402
from process_tree import measure  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))
# Stack parts in dependency order; each is stack/PART.toml and terraform/PART.tf.
PARTS = ("main", "network", "nacl", "storage", "compute", "service", "parameters", "dns")
AWS_PROVIDER_MIRROR = "registry.terraform.io/hashicorp/aws"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default=os.path.join(SOURCE_DIR, "build", "release"),
                        help="a release build with bin/reconcile and libexec/reconcile/ (default build/release)")
    parser.add_argument("--terraform", default="/usr/local/bin/terraform")
    parser.add_argument("--mirror", default="/opt/tf-plugins", help="Terraform's provider filesystem mirror")
    parser.add_argument("--runs", type=int, default=3, help="runs of the seed series (medians are shown)")
    parser.add_argument("--scale", default="100,1000,5000", help="SSM parameter counts; empty: no scale series")
    parser.add_argument("--scale-runs", type=int, default=3, help="runs per scale step")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before an operation is abandoned")
    parser.add_argument("--skip-seed", action="store_true", help="only the scale series")
    parser.add_argument("--parts", default="", help="comma-separated stack parts (default: every part the "
                        "reconcile AWS provider supports)")
    parser.add_argument("--workdir", default="", help="keep working files here (default: a temp dir, removed)")
    parser.add_argument("--json", default="", help="also write every sample to this file")
    return parser.parse_args()


def terraform_missing(args):
    """Why Terraform cannot run here, or None."""
    if not os.access(args.terraform, os.X_OK):
        return "no terraform at %s" % args.terraform
    if not os.path.isdir(os.path.join(args.mirror, AWS_PROVIDER_MIRROR)):
        return "no AWS provider in the filesystem mirror %s" % args.mirror
    return None


def supported_parts(reconcile_bin, plugin_dir, workdir):
    """The stack parts the built AWS provider supports: `reconcile validate`
    on the whole stack, leaving out the parts it reports errors in, until it
    passes (a resource type not built yet leaves its part out)."""
    env = dict(os.environ, RECONCILE_PLUGIN_PATH=plugin_dir, NO_COLOR="1")
    parts = list(PARTS)
    probe = os.path.join(workdir, "probe")
    while True:
        shutil.rmtree(probe, ignore_errors=True)
        os.makedirs(probe)
        for part in parts:
            shutil.copy(os.path.join(HERE, "stack", part + ".toml"), probe)
        done = subprocess.run([reconcile_bin, "-C", probe, "validate"], env=env, capture_output=True, text=True,
                              timeout=120)
        report = (done.stderr + done.stdout).strip()
        if done.returncode == 0:
            return parts
        failing = [p for p in parts if p != "main" and re.search(r"^%s\.toml:\d+" % p, report, re.M)]
        if not failing:
            sys.exit("the benchmark stack does not validate:\n" + report)
        for part in failing:
            first = [line for line in report.splitlines() if line.startswith(part + ".toml:")][0]
            print("note: stack part %r left out (reconcile validate: %s)" % (part, first))
            parts.remove(part)


class Recorder:
    """Every measured sample, keyed by series, operation and tool."""

    def __init__(self, moto):
        self.moto = moto
        self.samples = {}

    def run(self, series, operation, tool, variables, timeout):
        before = self.moto.requests_served()
        result = measure(tool.command(operation, variables), tool.dir, tool.env, timeout)
        calls = self.moto.requests_served() - before
        ok = not result.timed_out and result.returncode == EXPECTED_EXIT[operation]
        sample = {"wall_s": result.wall_s, "cpu_s": result.cpu_s, "peak_mb": result.peak_rss_mb, "calls": calls,
                  "ok": ok, "timed_out": result.timed_out}
        self.samples.setdefault(series, {}).setdefault(operation, {}).setdefault(tool.name, []).append(sample)
        status = "timed out" if result.timed_out else ("ok" if ok else "FAILED (exit %d)" % result.returncode)
        print("  %-8s %-9s %-10s %8.2f s  %7.1f MB  %6d calls  %s" % (series, operation, tool.name, result.wall_s,
                                                                      result.peak_rss_mb, calls, status),
              flush=True)
        if not ok and not result.timed_out:
            tail = (result.stderr.strip() or result.stdout.strip()).splitlines()[-15:]
            print("    " + "\n    ".join(tail), flush=True)
        return ok


def alternate(tools, run):
    """The tools in the order of this run: the first goes first on even runs."""
    return list(tools) if run % 2 == 0 else list(reversed(tools))


def seed_series(recorder, tools, runs, timeout):
    """Apply, no-op plan, one-change plan, destroy; per run, per operation, each tool."""
    print("seed series: %d runs" % runs, flush=True)
    failed = set()
    for run in range(runs):
        for operation in OPERATIONS:
            for tool in alternate(tools, run):
                if tool.name in failed:
                    continue
                if not recorder.run("seed", operation, tool, {}, timeout):
                    failed.add(tool.name)


def scale_series(recorder, moto, tools, counts, runs, timeout):
    """N SSM parameters: apply from nothing and a no-op plan; moto is wiped and
    the backends bootstrapped again before each run. A tool that misses the
    timeout is not run at larger N."""
    given_up = set()
    for count in counts:
        series = "ssm-%d" % count
        print("scale series: %s, %d runs" % (series, runs), flush=True)
        for run in range(runs):
            moto.reset()
            for tool in tools:
                tool.setup()
            for operation in ("apply", "noop"):
                for tool in alternate(tools, run):
                    if tool.name in given_up:
                        continue
                    variables = {"parameter_count": str(count)}
                    if not recorder.run(series, operation, tool, variables, timeout):
                        given_up.add(tool.name)


def main():
    args = parse_arguments()
    build_dir = os.path.abspath(args.build_dir)
    reconcile_bin = os.path.join(build_dir, "bin", "reconcile")
    plugin_dir = os.path.join(build_dir, "libexec", "reconcile")
    if not os.access(reconcile_bin, os.X_OK) or not os.path.exists(os.path.join(plugin_dir, "reconcile-provider-aws")):
        sys.exit("no reconcile build in %s: cmake --preset release && cmake --build --preset release" % build_dir)
    workdir = os.path.abspath(args.workdir) if args.workdir else tempfile.mkdtemp(prefix="peer-bench-")
    os.makedirs(workdir, exist_ok=True)
    missing = terraform_missing(args)
    if missing:
        print("terraform skipped: %s; measuring reconcile alone" % missing)
    moto = Moto(SOURCE_DIR, os.path.join(workdir, "moto"))
    started = time.time()
    try:
        parts = args.parts.split(",") if args.parts else supported_parts(reconcile_bin, plugin_dir, workdir)
        tools = [Reconcile(reconcile_bin, plugin_dir, workdir, moto.url, parts)]
        if not missing:
            tools.append(Terraform(args.terraform, args.mirror, reconcile_bin, plugin_dir, workdir, moto.url, parts))
        for tool in tools:
            tool.setup()
            tool.warm_up()
        recorder = Recorder(moto)
        load_before = os.getloadavg()
        if not args.skip_seed:
            seed_series(recorder, tools, args.runs, args.timeout)
        counts = [int(n) for n in args.scale.split(",") if n.strip()]
        if counts:
            scale_series(recorder, moto, tools, counts, args.scale_runs, args.timeout)
        print()
        for line in machine_lines(started, load_before, os.getloadavg(), tools, parts):
            print(line)
        print_table(recorder.samples, [t.name for t in tools])
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"parts": parts, "samples": recorder.samples}, f, indent=1)
    finally:
        moto.stop()
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
