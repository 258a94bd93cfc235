#!/usr/bin/env python3
"""Differential test: our TOML layer (toml11 3.7, through toml_dump) against
Python's tomllib.

Reads every *.toml file under examples/, bench/ and tests/ plus a set of tricky
documents written here, and fails on any file that one accepts and the other
rejects, or that they read differently, unless KNOWN_DIFFERENCES lists it (and
then it must still differ as listed). Exits 77 (skip) without tomllib.

    toml_differential.py TOML_DUMP SOURCE_DIR
"""
import json
import math
import os
import subprocess
import sys
import tempfile

try:
    import tomllib
except ImportError:
    print("python3 has no tomllib (needs 3.11); skipping")
    sys.exit(77)

NESTING_TOO_DEEP = "Nesting too deep"

# Valid documents, each written to read one TOML rule.
VALID = [
    'a = 1\nb = -0\nc = +17\nd = 1_000_000\ne = 0xDEAD_beef\nf = 0o755\ng = 0b1101\n',
    'a = 9223372036854775807\nb = -9223372036854775808\n',
    'a = 3.1415\nb = -0.01\nc = 5e+22\nd = 1e06\ne = -2E-2\nf = 6.626e-34\ng = 224_617.445_991\n',
    'a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan\ng = 0e0\nh = -0.0\n',
    'a = true\nb = false\n',
    'a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00-07:00\nc = 1979-05-27T00:32:00.999999+07:00\n'
    'd = 1979-05-27 07:32:00Z\ne = 1979-05-27T07:32:00\nf = 1979-05-27\ng = 07:32:00\n'
    'h = 00:32:00.999999\ni = 2000-02-29\nj = 1979-05-27t07:32:00z\n',
    'a = "tab\\there \\"quoted\\" back\\\\slash \\u00e9 \\U0001F600 \\b\\f\\r\\n"\n',
    "a = 'C:\\Users\\nodejs\\templates'\nb = '<\\i\\c*\\s*>'\nc = 'Tom \"Dubs\" Preston'\n",
    'a = """\nRoses are red\nViolets are blue"""\n',
    'a = """\\\n  The quick brown \\\n\n\n  fox jumps over \\\n    the lazy dog.\\\n    """\n',
    'a = """Here are two quotation marks: "". Simple enough."""\nb = """Here are fifteen: ""\\"""\\"""\\"""\\"""\\"."""\n'
    'c = """"This," she said, "is just a pointless statement.""""\n',
    "a = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''\n"
    "b = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''\nc = ''''That,' she said, 'is still pointless.''''\n",
    'a = """\r\nwindows\r\nlines"""\r\nb = 1\r\n',
    'key = "v"\nbare_key = 1\nbare-key = 2\n1234 = 3\n"127.0.0.1" = 4\n"character encoding" = 5\n'
    '"ʎǝʞ" = 6\n\'key2\' = 7\n\'quoted "value"\' = 8\n"" = 9\n',
    'name = "Orange"\nphysical.color = "orange"\nphysical.shape = "round"\nsite."google.com" = true\n'
    'fruit . flavor = "banana"\n3.14159 = "pi"\n',
    'apple.type = "fruit"\norange.type = "fruit"\napple.skin = "thin"\norange.skin = "thick"\n',
    'a = [ 1, 2, 3 ]\nb = [ "red", "yellow", "green" ]\nc = [ [ 1, 2 ], [3, 4, 5] ]\n'
    'd = [ [ 1, 2 ], ["a", "b", "c"] ]\ne = [ "all", \'strings\', """are the same""", \'\'\'type\'\'\' ]\n'
    'f = [ 0.1, 0.2, 0.5, 1, 2, 5 ]\ng = [ "Foo Bar <foo@example.com>", { name = "Baz Qux", email = "baz@example.com" } ]\n'
    'h = [\n  1,\n  2, # this is ok\n]\ni = []\nj = [\n\n]\n',
    '[table-1]\nkey1 = "some string"\nkey2 = 123\n\n[table-2]\nkey1 = "another string"\nkey2 = 456\n',
    '[dog."tater.man"]\ntype.name = "pug"\n[ j . "ʞ" . \'l\' ]\n[a.b.c]\n[ d.e.f ]\n[ g .  h  . i ]\n',
    '[x.y.z.w]\n[x]\n',
    '[fruit]\napple.color = "red"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n',
    'name = { first = "Tom", last = "Preston-Werner" }\npoint = { x = 1, y = 2 }\nanimal = { type.name = "pug" }\n'
    'empty = {}\nnested = { a = { b = { c = [1, {d = 2}] } } }\n',
    '[[products]]\nname = "Hammer"\nsku = 738594937\n\n[[products]]  # empty table within the array\n\n'
    '[[products]]\nname = "Nail"\nsku = 284758393\ncolor = "gray"\n',
    '[[fruits]]\nname = "apple"\n[fruits.physical]\ncolor = "red"\n[[fruits.varieties]]\nname = "red delicious"\n'
    '[[fruits.varieties]]\nname = "granny smith"\n[[fruits]]\nname = "banana"\n[[fruits.varieties]]\nname = "plantain"\n',
    '# comment at start\n\n  \t\na = 1 # trailing\n# only\n[t] # header comment\n',
    '[a.b.c]\nz = 9\n[a]\nx.y = 9\n',
    'a = [1, "mixed", 2.5, true, 1979-05-27, [], {}]\n',
    'a = "\\u0000 nul and \\u007f del"\n',
    'str = "x" # comment with unicode é 😀\n',
    'a.b.c = 1\na.d = 2\n',
    '[[a]]\n[a.b]\nc = 1\n[[a]]\n[a.b]\nc = 2\n',
    'a."b.c".d = 1\n1.2 = 3\n"x" . \'y\' = 4\n',
    'a = [[1, 2], [{b = [3, {c = []}]}], []]\n',
    '[a.b]\nc = 1\n[a]\nd = 2\n[a.e]\nf = 3\n',
    '[[a]]\n[[a.b]]\nc = 1\n[[a.b]]\nc = 2\n[[a]]\nx = 1\n',
    'a = 1979-05-27T00:32:00.999999-07:00\nb = 1979-05-27T00:32:00-00:00\n',
    'a = 0.0\nb = -0.0\nc = +0.0\nd = 1e-0\ne = 1E+2\nf = 0.1e-1\n',
    'a = """\n"""\nb = \'\'\'\n\'\'\'\nc = ""\nd = \'\'\n',
    'a = [\n  # only a comment\n]\nb = [ 1 , 2 , ]\n',
    'a = "\\"\\\\\\"" # an escaped quote, backslash, quote\n',
]

# Invalid documents: both readers must refuse them.
INVALID = [
    'a =\n', 'a = \n', '= 1\n', 'a 1\n', 'a = 1 b = 2\n', 'a = "unterminated\n', "a = 'unterminated\n",
    'a = """never closed\n', "a = '''never closed\n", 'a = "bad \\x escape"\n', 'a = "bad \\e escape"\n',
    'a = "\\uD800"\n', 'a = "\\U00110000"\n', 'a = "\\u12"\n', 'a = "tab\x01"\n', 'a = """\\ x"""\n',
    'a = 01\n', 'a = 0_1\n', 'a = 1__0\n', 'a = _1\n', 'a = 1_\n', 'a = +0x10\n', 'a = 0x\n', 'a = 0xG\n',
    'a = 0o8\n', 'a = 0b2\n', 'a = 1.\n',
    'a = .5\n', 'a = 1.e5\n', 'a = 1e\n', 'a = 1e_5\n', 'a = 1_.5\n', 'a = 1._5\n', 'a = 03.14\n',
    'a = infinity\n', 'a = NaN\n', 'a = Inf\n', 'a = tru\n', 'a = TRUE\n', 'a = hello\n',
    'a = 1979-13-01\n', 'a = 1979-02-30\n', 'a = 2001-02-29\n', 'a = 1979-05-27T25:00:00\n',
    'a = 1979-05-27T07:60:00\n', 'a = 07:32\n', 'a = 1979-05-27T07:32:00+24:00\n',
    'a = 1979-05-27T07:32:00.\n', 'a = 1979-5-27\n', 'a = 07:32:00Z\n', 'a = 1979-05-27X07:32:00\n',
    'a = [1, 2\n', 'a = [1 2]\n', 'a = [,]\n', 'a = [1,,2]\n', 'a = {a = 1,}\n', 'a = {a = 1\n}\n',
    'a = {\na = 1}\n', 'a = {a = 1 b = 2}\n', 'a = 1\na = 2\n', 'a = 1\n"a" = 2\n', "a = 1\n'a' = 2\n",
    '[a]\n[a]\n', '[a]\nb = 1\n[a.b]\n', '[a.b]\n[a]\nb = 1\n', 'a.b = 1\n[a]\n', 'a.b = 1\n[a.b]\n',
    '[fruit]\napple.color = "red"\n[fruit.apple]\n', '[a]\nb.c = 1\n[a.b]\n', '[a.b.c]\nz = 9\n[a]\nb.c.t = 9\n',
    'a = {b = 1}\na.c = 2\n', 'a = {b = 1}\n[a]\n', 'a = {b = 1}\n[a.c]\n', 'a = {b = {c = 1}, b.d = 2}\n',
    'a = [1]\n[[a]]\n', 'a = []\n[a.b]\n', '[a]\n[[a]]\n', '[[a]]\n[a]\n', 'a = 1\n[a]\n', 'a = 1\n[a.b]\n',
    'a = 1\na.b = 2\n', '[[a.b]]\n[a]\nb.c = 1\n', '[a\n', '[[a]\n', '[a]]\n', '[]\n', '[a.]\n', 'a. = 1\n',
    '"""key""" = 1\n', 'a = 1 # comment \x01\n', 'a = 1\rb = 2\n', 'a = "x"\x7f\n', '[a] b = 1\n',
    'a = 1979-05-27 07:32\n', 'a = {a = 1, a = 2}\n', 'a = {b.c = 1, b = 2}\n',
    'a = """x""""""\n', 'a = "line\nbreak"\n', "a = 'x\ny'\n", 'a = [\n  1,\n  2\n  3\n]\n',
    # toml11 3.7 took the last element of the empty array in these and crashed.
    'a = []\na.b = 1\n', 'a = []\n[[a.b]]\n',
    'a = [{b = 1}]\n[[a]]\n', 'a = "\x7f"\n', 'a = 1 # \x7f\n', 'é = 1\n', 'a = 0X1\n', 'a = 0B1\n',
    'a = 1E\n', 'a = {a.b = 1, a.b = 2}\n', 'a = [1] [2]\n', '[a]\n[a.b]\n[a]\n',
    '[[a]]\nb = 1\n[a.b]\n[a.b]\n', "a = '''x''''''\n", 'a = {b = 1}\n[[a.c]]\n', '[a]\nb = 1\n[a.b.c]\n',
]

# Documents tomllib reads that we refuse: integers TOML 1.0 forbids (toml11
# alone would clamp them), and floats beyond a double (tomllib reads inf).
STRICTER = [
    'a = 9223372036854775808\n', 'a = -9223372036854775809\n', 'a = 0x8000000000000000\n',
    'a = 1e400\n', 'a = -1.5e999\n',
]

# Documents toml11 reads differently from tomllib where TOML 1.0 allows
# toml11's reading: (document, what toml_dump does, why). Each must still
# differ as described, so the list cannot go stale.
KNOWN_DIFFERENCES = [
    ('a = 1979-05-27T07:32:60\n', 'accepts',
     "TOML's grammar allows second 60 (a leap second, as in RFC 3339); tomllib refuses it"),
]


def tag(value):
    """tomllib's value as our dump's tagged JSON would carry it."""
    if isinstance(value, bool):
        return {"type": "bool", "value": "true" if value else "false"}
    if isinstance(value, int):
        return {"type": "integer", "value": "%.0f" % float(value)}
    if isinstance(value, float):
        return {"type": "float", "value": value}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    if isinstance(value, list):
        return [tag(v) for v in value]
    if isinstance(value, dict):
        return {k: tag(v) for k, v in value.items()}
    return {"type": "datetime", "value": value}


def normalise_ours(value):
    if isinstance(value, list):
        return [normalise_ours(v) for v in value]
    if "type" in value and isinstance(value.get("value"), str) and len(value) == 2:
        kind, text = value["type"], value["value"]
        if kind == "float":
            return {"type": "float", "value": float(text)}
        if kind == "datetime":
            return {"type": "datetime", "value": tomllib.loads("x = " + text)["x"]}
        return value
    return {k: normalise_ours(v) for k, v in value.items()}


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def check(dump, path, label):
    """Returns a problem description, or None when both readers agree."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        theirs = tag(tomllib.loads(raw.decode("utf-8")))
        their_error = None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        theirs, their_error = None, str(e)
    run = subprocess.run([dump, path], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        return f"{label}: toml_dump failed ({run.returncode}): {run.stderr.strip()}"
    if run.returncode == 1:
        if their_error is None and NESTING_TOO_DEEP not in run.stderr:
            return f"{label}: we reject what tomllib reads: {run.stderr.strip()}"
        return None
    if their_error is not None:
        return f"{label}: we read what tomllib rejects ({their_error})"
    ours = normalise_ours(json.loads(run.stdout))
    if not same(ours, theirs):
        return f"{label}: read differently\n  ours:    {ours}\n  tomllib: {theirs}"
    return None


def main():
    dump, source_dir = sys.argv[1], sys.argv[2]
    problems = []
    checked = 0
    for top in ("examples", "bench", "tests"):
        for root, dirs, files in os.walk(os.path.join(source_dir, top)):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".toml"):
                    path = os.path.join(root, name)
                    problem = check(dump, path, os.path.relpath(path, source_dir))
                    checked += 1
                    if problem:
                        problems.append(problem)
    with tempfile.TemporaryDirectory() as scratch:
        for i, text in enumerate(STRICTER):
            path = os.path.join(scratch, f"stricter-{i}.toml")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            checked += 1
            if subprocess.run([dump, path], capture_output=True).returncode != 1:
                problems.append(f"stricter[{i}] {text!r}: we accept a number out of range")
        for i, (text, expected, why) in enumerate(KNOWN_DIFFERENCES):
            path = os.path.join(scratch, f"known-{i}.toml")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            checked += 1
            problem = check(dump, path, f"known[{i}] {text!r}")
            ours = "accepts" if subprocess.run([dump, path], capture_output=True).returncode == 0 \
                else "refuses"
            if problem is None or ours != expected:
                problems.append(f"known[{i}] {text!r}: listed as a difference (we {expected}: {why}), "
                                f"but now we {ours} and {'agree' if problem is None else 'differ'}")
            else:
                print(f"known difference: {text!r}: toml11 {ours}; {why}")
        for kind, documents in (("valid", VALID), ("invalid", INVALID)):
            for i, text in enumerate(documents):
                path = os.path.join(scratch, f"{kind}-{i}.toml")
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
                label = f"{kind}[{i}] {text!r}"
                problem = check(dump, path, label)
                checked += 1
                if kind == "invalid" and problem is None and \
                        subprocess.run([dump, path], capture_output=True).returncode == 0:
                    problem = f"{label}: both readers accept a document listed as invalid"
                if problem:
                    problems.append(problem)
    for problem in problems:
        print(problem)
    print(f"{checked} documents, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
