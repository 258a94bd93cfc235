#!/usr/bin/env bash
# The C ABI from an installed copy: examples/embed-c built with pkg-config
# against the installed reconcile.pc and run on the quickstart stack (plan,
# apply, outputs, a plan in a second workspace, destroy).
# usage: embed_c_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
trap 'echo "FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR
source "$(dirname "$0")/installed.sh" "$1" "$2"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
test "$(pkg-config --modversion reconcile)" = "$(sed -n 's/^project(reconcile VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")"
cp -r "$src/examples/embed-c" "$work/embed-c"
make -s -C "$work/embed-c" >/dev/null
deps=$(ldd "$work/embed-c/embed-c")
grep -q "libreconcile.so.0.1 => $prefix/lib/" <<<"$deps"
stack=$(quickstart stack)
out=$("$work/embed-c/embed-c" "$stack")
echo "$out"
[ "$(grep -c '^plan: changes$' <<<"$out")" = 2 ]
[ "$(grep -c '^plan summary: "summary":{"add":4,"change":0,"destroy":0,"read":0}$' <<<"$out")" = 2 ]
grep -q '^applied: {"add":4,"change":0,"elapsed_ms":[0-9]*,"failed":0,"remove":0}$' <<<"$out"
grep -q '^output greeting_file = out/greeting-[0-9a-f]\{8\}\.txt$' <<<"$out"
grep -qx 'workspaces: {"current":"staging","workspaces":\["default","staging"\]}' <<<"$out"
grep -qx 'workspaces: {"current":"default","workspaces":\["default","staging"\]}' <<<"$out"
grep -q '^destroyed: {"add":0,"change":0,"elapsed_ms":[0-9]*,"failed":0,"remove":4}$' <<<"$out"
grep -qx "resources completed: 8" <<<"$out"   # 4 creates, 4 deletes
# Nothing is left: no greeting file, and the state is empty.
! ls "$stack"/out/greeting-* 2>/dev/null
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert not s["resources"], s' \
  "$stack/.reconcile/state/default.json"
echo "embed-c: OK"
