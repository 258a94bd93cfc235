#!/bin/sh
# The Python example provider used by the reconcile tool like any other:
# found in the stack's .reconcile/plugins (refused until `init` trusts it),
# planned, applied, drift detected and repaired, destroyed.
# Usage: python_plugin_e2e.sh RECONCILE_BINARY SOURCE_DIR
set -eu
tool=$1
source_dir=$2
stack=$(mktemp -d)
trap 'rm -rf "$stack"' EXIT
unset RECONCILE_PLUGIN_PATH || true

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Runs the tool, expecting exit status $1; output in $stack/out.txt.
expect_status() {
  want=$1
  shift
  set +e
  "$tool" "$@" >"$stack/out.txt" 2>&1
  got=$?
  set -e
  [ "$got" -eq "$want" ] || { cat "$stack/out.txt" >&2; fail "reconcile $* exited $got, expected $want"; }
}

notes_are() {
  python3 -c 'import json, sys; got = json.load(open(sys.argv[1])); want = json.loads(sys.argv[2]); sys.exit(0 if got == want else "notes are %r, expected %r" % (got, want))' "$stack/notes.json" "$1"
}

# Given a stack using python_note with the plugin in its plugins directory
mkdir -p "$stack/.reconcile/plugins"
cp "$source_dir/examples/plugin-python/reconcile-provider-python" "$stack/.reconcile/plugins/"
cat >"$stack/main.toml" <<'TOML'
[resource.python_note.greeting]
file = "notes.json"
name = "greeting"
text = "hello"
TOML
cd "$stack"

# Until `init` trusts it, the stack's own plugin does not run
expect_status 1 plan
grep -q "is not trusted" out.txt || fail "an untrusted stack plugin was not refused"
grep -q "reconcile init" out.txt || fail "the refusal does not say to run reconcile init"
expect_status 0 init
grep -q "Trusted stack plugin reconcile-provider-python" out.txt || fail "init did not trust the plugin"

# A plan shows the create; apply writes the note; then nothing is left to do
expect_status 2 plan --detailed-exitcode
grep -q "python_note.greeting" out.txt || fail "the plan does not name python_note.greeting"
expect_status 0 apply --auto-approve
notes_are '{"greeting": "hello"}'
expect_status 0 plan --detailed-exitcode

# A note edited by hand is drift that the next apply repairs
echo '{"greeting": "tampered"}' >notes.json
expect_status 2 plan --detailed-exitcode
expect_status 0 apply --auto-approve
notes_are '{"greeting": "hello"}'

# Destroy removes it
expect_status 0 destroy --auto-approve
notes_are '{}'
echo "ok"
