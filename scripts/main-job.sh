#!/usr/bin/env bash
# The main job: installs what is missing, builds reconcile (release preset),
# starts an AWS emulator (moto_server) on loopback, and runs the hoffman-house
# stack through its life: init --bootstrap, plan, apply, a second plan showing
# no changes, and destroy (refused by prevent_destroy until the guard on the
# MySQL volume is lifted). Prints what it does as it goes; stops moto at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/install-deps.sh
jobs=${JOBS:-2}

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Building reconcile and its provider plugins (release preset)"
cmake --preset release >/dev/null
cmake --build --preset release -j"$jobs" --target reconcile_tool reconcile-provider-aws \
  reconcile-provider-random reconcile-provider-local
bin=$root/build/release/bin/reconcile

work=$(mktemp -d /tmp/reconcile-main-job.XXXXXX)
step "Starting moto_server on loopback (work dir $work)"
eval "$(tests/support/moto.sh start "$work/moto")"
cleanup() { "$root/tests/support/moto.sh" stop "$MOTO_PID"; }
trap cleanup EXIT
echo "moto_server at $MOTO_URL (pid $MOTO_PID)"

cp -r examples/hoffman-house "$work/stack"
cd "$work/stack"
export NO_COLOR=1

run() {
  printf '\n$ reconcile %s\n' "$*"
  "$bin" "$@"
}

step "First time: create the state bucket and lock table"
run init --bootstrap

step "Plan"
run plan

step "Apply"
run apply --auto-approve

step "A second plan: nothing to do (exit code 0 with --detailed-exitcode)"
run plan --detailed-exitcode
echo "exit code: $?"

step "Where the state went (the Terraform layout, checked with the aws CLI)"
aws --endpoint-url "$MOTO_URL" s3 ls s3://hoffman-house-tf-state --recursive

step "Destroy: refused, the MySQL volume has prevent_destroy"
set +e
run destroy --auto-approve
rc=$?
set -e
echo "exit code: $rc (refused, nothing destroyed)"
if [ "$rc" -ne 1 ]; then echo "expected destroy to be refused" >&2; exit 1; fi

step "Lifting the guard (prevent_destroy = false) and destroying"
sed -i 's/prevent_destroy = true/prevent_destroy = false/' main.toml
run destroy --auto-approve

step "Done: moto_server stops now"
