#!/usr/bin/env bash
# usage: embed_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -x "$work/prefix/bin/reconcile"
test -x "$work/prefix/libexec/reconcile/reconcile-provider-random"
test -f "$work/prefix/include/reconcile/engine.h"
cmake -S "$src/examples/embed" -B "$work/embed-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/embed-build" >/dev/null
cp -r "$src/examples/quickstart" "$work/stack"
out=$(cd "$work" && "$work/embed-build/embed" "$work/stack")
echo "$out"
grep -qx "plan: 4 to add, 0 to change, 0 to destroy" <<<"$out"
grep -qx "applied: 4 added, 0 changed, 0 destroyed" <<<"$out"
grep -qx "output db_password = (sensitive)" <<<"$out"
# The installed tool sees what the embedder applied, and finds its plugins.
(cd "$work/stack" && "$work/prefix/bin/reconcile" plan --detailed-exitcode >/dev/null)
echo "embed: OK"
