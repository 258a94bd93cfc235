#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/) from
real documents in the tree: the examples' stacks, the JSON in docs/, the
documents and response bodies the unit tests use, and, with --tool, what the
built `reconcile` writes and says on the plugin protocol when it plans and
applies examples/quickstart (state, saved plans, plugin traffic).

    tests/fuzz/make_corpus.py [--tool build/dev/bin/reconcile]

Seeds this script made before are replaced; other files in corpus/ (the
stack corpus's hand-written expressions) are kept. Re-run it when a format
changes, and commit the result.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz" / "corpus"
PREFIX = "seed-"  # files this script owns
SEPARATOR = "\n%%\n"  # between files in stack and aws_profile inputs

corpora = {}


def add(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
    seeds = corpora.setdefault(target, {})
    if data in seeds.values():
        return
    unique, count = PREFIX + name, 1
    while unique in seeds:
        count += 1
        unique = "%s%s-%d" % (PREFIX, name, count)
    seeds[unique] = data


def relative(path):
    return str(Path(path).relative_to(ROOT))


# --- text extraction -------------------------------------------------------

def fenced_blocks(markdown, language):
    return re.findall(r"```" + language + r"\n(.*?)```", markdown, re.S)


def cxx_strings(source):
    """Every C++ string in `source`: raw strings R"(...)" and runs of adjacent
    ordinary literals "a" "b", decoded."""
    out = []
    pattern = re.compile(r'R"([^(\s]*)\((.*?)\)\1"|((?:"(?:[^"\\\n]|\\.)*"\s*)+)', re.S)
    for match in pattern.finditer(source):
        if match.group(2) is not None:
            out.append(match.group(2))
            continue
        pieces = re.findall(r'"((?:[^"\\\n]|\\.)*)"', match.group(3))
        text = "".join(pieces)
        try:
            text = text.encode("latin-1", "backslashreplace").decode("unicode_escape")
        except UnicodeDecodeError:
            continue
        out.append(text)
    return out


# --- the targets --------------------------------------------------------------

def stack_seeds():
    # Mode 2 of the stack target: up to four files (main.toml, b.toml,
    # modules/m/main.toml, modules/m/x.toml) separated by "\n%%\n".
    for example in sorted((ROOT / "examples").iterdir()):
        files = sorted(example.glob("*.toml"))
        if not files:
            continue
        main = [f for f in files if f.name == "main.toml"] or files[:1]
        rest = [f for f in files if f not in main]
        modules = sorted(example.glob("modules/*/*.toml"))[:2]
        chosen = main + rest[:1]
        parts = [p.read_text() for p in chosen]
        while len(parts) < 2 and modules:
            parts.append("")
        parts += [m.read_text() for m in modules]
        add("stack", "example-" + example.name, "\x02" + SEPARATOR.join(parts))
        for extra in rest[1:]:
            add("stack", "example-%s-%s" % (example.name, extra.stem), "\x02" + extra.read_text())


def json_doc_seeds():
    state_doc = (ROOT / "docs" / "state-format.md").read_text()
    blocks = fenced_blocks(state_doc, "json")
    for block in blocks:
        if '"resources"' in block:
            add("state", "doc-state-format", block)
        elif '"operations"' in block:
            add("pending", "doc-state-format-journal", block)
    for source in sorted((ROOT / "tests" / "unit" / "state").glob("*.cc")):
        for text in cxx_strings(source.read_text()):
            stripped = text.strip()
            if not stripped.startswith("{"):
                continue
            if '"operations"' in stripped:
                add("pending", "test-" + source.stem, stripped)
            elif '"lineage"' in stripped or '"format_version"' in stripped:
                add("state", "test-" + source.stem, stripped)
    for source in sorted((ROOT / "tests" / "unit" / "plan").glob("*.cc")):
        for text in cxx_strings(source.read_text()):
            if '"reconcile-plan"' in text:
                add("plan", "test-" + source.stem, text)


def wire_doc_seeds():
    protocol = (ROOT / "docs" / "plugin-protocol.md").read_text()
    for i, block in enumerate(fenced_blocks(protocol, "json")):
        line = " ".join(block.split())
        if "..." not in line and "<value>" not in line:
            add("wire", "doc-plugin-protocol-%d" % i, line)
    for match in re.finditer(r"`(\{\"jsonrpc\".*?\})`", protocol):
        if "..." not in match.group(1):
            add("wire", "doc-plugin-protocol-inline", match.group(1))
    for source in sorted((ROOT / "tests" / "unit" / "provider").glob("wire_test.cc")):
        for text in cxx_strings(source.read_text()):
            if text.startswith(("{", "[")):
                add("wire", "test-" + source.stem, text)


# The first two bytes of an aws_response input: protocol and status, headers.
PROTOCOLS = ["ec2", "query", "json", "rest-xml", "rest-json"]
STATUSES = [200, 304, 400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504, 418]


def aws_input(protocol, status, body, header_flags=0, header_value=None):
    shape = PROTOCOLS.index(protocol) + len(PROTOCOLS) * STATUSES.index(status)
    data = bytes([shape, header_flags])
    if header_value is not None:
        data += header_value.encode() + b"\n"
    return data + body.encode()


def aws_seeds():
    for source in sorted((ROOT / "tests" / "unit" / "aws").glob("*_test.cc")):
        for i, text in enumerate(cxx_strings(source.read_text())):
            body = text.strip()
            if body.startswith("<"):
                add("aws_response", "test-%s-xml" % source.stem, aws_input("query", 400, body))
                add("aws_response", "test-%s-xml-ok" % source.stem, aws_input("ec2", 200, body))
            elif body.startswith("{") and '"' in body:
                add("aws_response", "test-%s-json" % source.stem, aws_input("json", 400, body))
                add("aws_response", "test-%s-json-creds" % source.stem, aws_input("rest-json", 200, body))
    add("aws_response", "header-errortype",
        aws_input("json", 400, '{"message":"Rate exceeded"}', 1 | 4, "ThrottlingException:http://internal"))
    add("aws_response", "header-retry-after", aws_input("rest-xml", 503, "", 2, "Wed, 21 Oct 2015 07:28:00 GMT"))
    add("aws_response", "empty-404", aws_input("rest-xml", 404, ""))
    for source in sorted((ROOT / "tests" / "unit" / "aws").glob("*_test.cc")):
        for text in cxx_strings(source.read_text()):
            if re.search(r"^\s*\[(default|profile [^\]]+)\]", text, re.M):
                add("aws_profile", "test-" + source.stem, text)
    config = (ROOT / "tests" / "unit" / "aws" / "credentials_test.cc").read_text()
    pieces = [t for t in cxx_strings(config) if "[default]" in t or "[profile" in t]
    if len(pieces) >= 2:
        add("aws_profile", "test-config-and-credentials", pieces[1] + SEPARATOR + pieces[0])


# --- what the built tool writes ----------------------------------------------

WRAPPER = """#!/bin/sh
# Records the protocol traffic of {name} (make_corpus.py).
tee -a "{capture}/{name}.in" | "{real}" "$@" | tee -a "{capture}/{name}.out"
"""


def tool_seeds(tool):
    tool = Path(tool).resolve()
    plugin_dir = tool.parent.parent / "libexec" / "reconcile"  # build/dev/bin -> build/dev/libexec
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        stack = scratch / "stack"
        shutil.copytree(ROOT / "examples" / "quickstart", stack)
        capture = scratch / "capture"
        wrappers = scratch / "plugins"
        capture.mkdir()
        wrappers.mkdir()
        for real in sorted(plugin_dir.glob("reconcile-provider-*")):
            wrapper = wrappers / real.name
            wrapper.write_text(WRAPPER.format(name=real.name, capture=capture, real=real))
            wrapper.chmod(0o755)
        env = dict(os.environ, RECONCILE_PLUGIN_PATH=str(wrappers), NO_COLOR="1")

        def run(*args):
            subprocess.run([str(tool), "-C", str(stack)] + list(args), env=env, check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        run("plan", "--out", str(scratch / "create.plan"))
        run("apply", "--auto-approve", str(scratch / "create.plan"))
        run("plan", "--var", "greeting=hi", "--out", str(scratch / "update.plan"))
        run("apply", "--auto-approve", "--var", "greeting=hi")
        run("plan", "--destroy", "--out", str(scratch / "destroy.plan"))
        for plan in sorted(scratch.glob("*.plan")):
            add("plan", "quickstart-" + plan.stem, plan.read_bytes())
        state = stack / ".reconcile" / "state" / "default.json"
        if state.exists():
            add("state", "quickstart-applied", state.read_bytes())
        backup = state.with_name("default.json.backup")
        if backup.exists():
            add("state", "quickstart-before-update", backup.read_bytes())
        for traffic in sorted(capture.iterdir()):
            seen = set()
            for line in traffic.read_text().splitlines():
                method = re.search(r'"method":"([a-z_]+)"', line)
                key = (method.group(1) if method else "result") + str(len(line) // 200)
                if key in seen:
                    continue
                seen.add(key)
                provider = traffic.stem.replace("reconcile-provider-", "")
                add("wire", "quickstart-%s-%s-%d" % (provider, traffic.suffix[1:], len(seen)), line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", help="a built reconcile, to record real state, plans and plugin traffic")
    args = parser.parse_args()
    stack_seeds()
    json_doc_seeds()
    wire_doc_seeds()
    aws_seeds()
    if args.tool:
        tool_seeds(args.tool)
    for target, seeds in sorted(corpora.items()):
        directory = CORPUS / target
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob(PREFIX + "*"):
            old.unlink()
        for name, data in seeds.items():
            (directory / name).write_bytes(data)
        print("%-13s %3d seeds" % (target, len(seeds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
