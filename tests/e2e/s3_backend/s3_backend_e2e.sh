#!/usr/bin/env bash
# The reconcile binary on an S3 backend in moto_server, with the aws CLI as the
# independent observer:
#   init --bootstrap from nothing, and again (every step skipped);
#   applies in `default` and `prod` land at `key` and `env:/prod/key`;
#   20 rounds of two concurrent applies: exactly one proceeds, the other exits 1
#   naming the holder, and no write is lost (final serial = state versions written);
#   --lock-timeout waits for a held lock, then succeeds;
#   force-unlock removes a dead run's lock (a wrong ID is refused);
#   a tampered digest is a stale read.
# The stack's one resource is a slow_thing (tests/e2e/plugins) whose update
# takes 1.5 s, so two applies started together always overlap.
# Usage: s3_backend_e2e.sh RECONCILE_BINARY PLUGIN_PATH SOURCE_DIR dynamodb|s3
set -euo pipefail

reconcile_bin=$1
export RECONCILE_PLUGIN_PATH=$2
source_dir=$3
lock_kind=$4
export NO_COLOR=1

work=$(mktemp -d)
export SLOW_STATE_DIR=$work/slow-objects
moto_pid=""
cleanup() {
  [ -n "$moto_pid" ] && "$source_dir/tests/support/moto.sh" stop "$moto_pid"
  rm -rf "$work"
}
trap cleanup EXIT
eval "$("$source_dir/tests/support/moto.sh" start "$work/moto")"
moto_pid=$MOTO_PID

fail() {
  echo "FAIL ($lock_kind): $*" >&2
  exit 1
}
step() { echo "== $*"; }
rc() { reconcile -C "$stack" "$@"; }
reconcile() { "$reconcile_bin" "$@"; }
awsj() { aws --endpoint-url "$MOTO_URL" --output json "$@"; }
# Expects $1 to contain $2.
contains() { case "$1" in *"$2"*) ;; *) fail "expected to find [$2] in: $1" ;; esac; }
# The serial of the default workspace's state, from its S3 metadata.
stored_serial() {
  awsj s3api head-object --bucket e2e-state --key "$1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Metadata"]["reconcile-serial"])'
}
# Writes a lock entry by hand, as a run that is working (or died) leaves it.
plant_lock() {
  local id=$1 path=$2 info
  info=$(printf '{"ID":"%s","Operation":"apply","Info":"","Who":"ci@runner","Version":"0.1.0","Created":"2026-11-23T09:30:00Z","Path":"e2e-state/%s"}' "$id" "$path")
  if [ "$lock_kind" = dynamodb ]; then
    awsj dynamodb put-item --table-name e2e-locks \
      --item "$(python3 -c 'import json,sys; print(json.dumps({"LockID":{"S":"e2e-state/"+sys.argv[1]},"Info":{"S":sys.argv[2]}}))' "$path" "$info")" >/dev/null
  else
    printf '%s' "$info" >"$work/lock.json"
    awsj s3api put-object --bucket e2e-state --key "$path.lock" --body "$work/lock.json" >/dev/null
  fi
}
remove_lock() {
  if [ "$lock_kind" = dynamodb ]; then
    awsj dynamodb delete-item --table-name e2e-locks --key "{\"LockID\":{\"S\":\"e2e-state/$1\"}}" >/dev/null
  else
    awsj s3api delete-object --bucket e2e-state --key "$1.lock" >/dev/null
  fi
}
set_digest() {
  if [ "$lock_kind" = dynamodb ]; then
    awsj dynamodb put-item --table-name e2e-locks \
      --item "{\"LockID\":{\"S\":\"e2e-state/$1-md5\"},\"Digest\":{\"S\":\"$2\"}}" >/dev/null
  else
    printf '%s' "$2" >"$work/digest"
    awsj s3api put-object --bucket e2e-state --key "$1.md5" --body "$work/digest" >/dev/null
  fi
}

stack=$work/stack
mkdir -p "$stack"
if [ "$lock_kind" = dynamodb ]; then lock_line='lock_table = "e2e-locks"'; else lock_line='lock = "s3"'; fi
cat >"$stack/main.toml" <<EOF
[backend.s3]
bucket = "e2e-state"
key = "app/state.json"
region = "us-east-1"
$lock_line
endpoints = { s3 = "$MOTO_URL", dynamodb = "$MOTO_URL" }

[variable.round]
type = "string"
default = "0"

[resource.slow_thing.gate]
name = "gate"
delay_ms = 1500
content = "\${var.round}"

[output.round]
value = "\${var.round}"
EOF

step "init --bootstrap from nothing, then again"
out=$(rc init --bootstrap 2>&1) || fail "init --bootstrap: $out"
contains "$out" 'Created S3 bucket "e2e-state" in us-east-1.'
contains "$out" 'Turned on versioning of bucket "e2e-state".'
contains "$out" 'Blocked public access to bucket "e2e-state".'
[ "$lock_kind" = dynamodb ] && contains "$out" 'Created DynamoDB lock table "e2e-locks"'
out=$(rc init --bootstrap 2>&1) || fail "second init --bootstrap: $out"
contains "$out" 'S3 bucket "e2e-state" already exists.'
contains "$out" 'Versioning of bucket "e2e-state" is already on.'
[ "$lock_kind" = dynamodb ] && contains "$out" 'DynamoDB lock table "e2e-locks" already exists.'
case "$out" in *Created*|*Turned*|*Blocked*) fail "second bootstrap acted again: $out" ;; esac

step "apply in default and prod"
out=$(rc apply --auto-approve 2>&1) || fail "apply default: $out"
out=$(rc workspace new prod 2>&1) || fail "workspace new prod: $out"
out=$(rc apply --auto-approve --var round=prod 2>&1) || fail "apply prod: $out"
out=$(rc workspace list 2>&1) || fail "workspace list: $out"
contains "$out" "prod"
out=$(rc workspace select default 2>&1) || fail "workspace select default: $out"
keys=$(awsj s3api list-objects-v2 --bucket e2e-state --query 'Contents[].Key' --output text | tr '\t' ' ')
if [ "$lock_kind" = dynamodb ]; then
  expected="app/state.json env:/prod/app/state.json"
else
  expected="app/state.json app/state.json.md5 env:/prod/app/state.json env:/prod/app/state.json.md5"
fi
[ "$(echo $keys | tr ' ' '\n' | sort | tr '\n' ' ')" = "$expected " ] || fail "bucket keys: [$keys], expected [$expected]"

step "20 rounds of two concurrent applies"
baseline=$(stored_serial app/state.json)
successes=0
for round in $(seq 1 20); do
  rc apply --auto-approve --var "round=$round" >"$work/a.out" 2>&1 &
  pid_a=$!
  rc apply --auto-approve --var "round=$round" >"$work/b.out" 2>&1 &
  pid_b=$!
  status_a=0; wait "$pid_a" || status_a=$?
  status_b=0; wait "$pid_b" || status_b=$?
  if [ "$status_a" = 0 ] && [ "$status_b" = 1 ]; then loser=$work/b.out
  elif [ "$status_a" = 1 ] && [ "$status_b" = 0 ]; then loser=$work/a.out
  else fail "round $round: exit codes $status_a and $status_b, expected one 0 and one 1:
$(cat "$work/a.out")
---
$(cat "$work/b.out")"
  fi
  contains "$(cat "$loser")" "state is locked"
  contains "$(cat "$loser")" "Operation: apply, Who: "
  successes=$((successes + 1))
done
# Every apply writes the state once or twice (at its first change, and at the
# end when more changed since), so the exact check is on the bucket's versions:
# each write was based on the one before it (no two runs wrote the same serial)
# when the final serial equals the number of versions ever written.
final=$(stored_serial app/state.json)
versions=$(awsj s3api list-object-versions --bucket e2e-state --prefix app/state.json |
  python3 -c 'import json,sys; print(sum(1 for v in json.load(sys.stdin).get("Versions", []) if v["Key"] == "app/state.json"))')
[ "$successes" = 20 ] || fail "$successes successful applies in 20 rounds"
[ "$final" -ge $((baseline + successes)) ] || fail "serial $final after $successes successful applies from $baseline"
[ "$final" = "$versions" ] || fail "serial $final but $versions versions of the state were written"
echo "   serial $baseline -> $final over $successes successful applies; $versions state versions in the bucket"
out=$(rc output round --raw 2>&1) || fail "output round: $out"
[ "$out" = 20 ] || fail "output round is [$out], expected 20"

step "--lock-timeout waits for a held lock, then succeeds"
plant_lock e2e-held app/state.json
status=0; out=$(rc apply --auto-approve --var round=21 2>&1) || status=$?
[ "$status" = 1 ] || fail "apply under a held lock exited $status: $out"
contains "$out" "ID: e2e-held, Operation: apply, Who: ci@runner, Created: 2026-11-23T09:30:00Z"
rc apply --auto-approve --lock-timeout 120s --var round=21 >"$work/wait.out" 2>&1 &
waiter=$!
sleep 3
kill -0 "$waiter" 2>/dev/null || fail "apply --lock-timeout did not wait: $(cat "$work/wait.out")"
remove_lock app/state.json
status=0; wait "$waiter" || status=$?
[ "$status" = 0 ] || fail "apply --lock-timeout exited $status: $(cat "$work/wait.out")"
out=$(rc output round --raw 2>&1)
[ "$out" = 21 ] || fail "output round is [$out] after the waiting apply, expected 21"

step "force-unlock"
plant_lock dead-run app/state.json
status=0; out=$(rc force-unlock not-the-id --force 2>&1) || status=$?
[ "$status" = 1 ] || fail "force-unlock with a wrong ID exited $status: $out"
contains "$out" "lock ID not-the-id does not match"
status=0; out=$(rc plan 2>&1) || status=$?
[ "$status" = 1 ] || fail "plan under a dead run's lock exited $status: $out"
contains "$out" "ID: dead-run"
out=$(rc force-unlock dead-run --force 2>&1) || fail "force-unlock: $out"
out=$(rc plan --detailed-exitcode --var round=21 2>&1) || fail "plan after force-unlock: $out"

step "a tampered digest is a stale read"
set_digest app/state.json 0123456789abcdef0123456789abcdef
status=0; out=$(rc plan 2>&1) || status=$?
[ "$status" = 1 ] || fail "plan with a tampered digest exited $status: $out"
contains "$out" 'stale read: the state of workspace "default" in S3 does not match its digest'
good=$(awsj s3api head-object --bucket e2e-state --key app/state.json --query ETag --output text | tr -d '"')
set_digest app/state.json "$good"
out=$(rc plan --detailed-exitcode --var round=21 2>&1) || fail "plan after restoring the digest: $out"

echo "PASS ($lock_kind)"
