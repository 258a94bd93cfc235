#!/usr/bin/env bash
# libreconcile.so exports the C ABI and the C++ API of the public headers,
# and nothing of the library's insides: every exported C++ name is declared
# in include/reconcile, every function the export list names is defined, and
# every rc_ function of c_api.h is there.
# usage: exports_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
trap 'echo "FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR
build=$1
src=$2
lib=$build/libreconcile/libreconcile.so
headers=("$src"/libreconcile/include/reconcile/*.h "$src"/libreconcile/include/reconcile/*/*.h)
symbols=$(nm -D -C --defined-only "$lib" | cut -d' ' -f3-)
names=$(sed -E 's/^(typeinfo name for |typeinfo for |vtable for |non-virtual thunk to )//' <<<"$symbols" \
  | grep -v '^rc_' | grep -oE '^reconcile::[A-Za-z_0-9]+' | sort -u | sed 's/^reconcile:://')
[ -n "$names" ]
status=0
for name in $names; do
  grep -qw "$name" "${headers[@]}" || { echo "exported but not public: reconcile::$name"; status=1; }
done
# Nothing from another namespace (the library's dependencies) or an inner one
# other than the provider kit's encoding.
outside=$(grep -vE '^(rc_|reconcile::[A-Z]|reconcile::encoding::[A-Z]|(typeinfo name for |typeinfo for |vtable for |non-virtual thunk to )reconcile::[A-Z])' <<<"$symbols" || true)
if [ -n "$outside" ]; then
  echo "exported outside the API:"; echo "$outside"
  status=1
fi
# Every namespace-level function of the export list is defined (the
# in-process providers' factories live in their own libraries).
for fn in $(grep -oE 'reconcile::[A-Za-z0-9_]+\[' "$build/libreconcile/exports.map" | sed 's/\[$//'); do
  case $fn in reconcile::Make*Provider) continue ;; esac
  grep -q "^$fn(\|^$fn\[abi:cxx11\](" <<<"$symbols" || { echo "public but not exported: $fn"; status=1; }
done
for fn in $(grep -oE '\brc_[a-z_]+\(' "$src/libreconcile/include/reconcile/c_api.h" | tr -d '(' | sort -u); do
  grep -qx "$fn" <<<"$symbols" || { echo "C ABI function not exported: $fn"; status=1; }
done
[ $status = 0 ] && echo "exports: OK ($(wc -w <<<"$names") C++ names, $(grep -c '^rc_' <<<"$symbols") C functions)"
exit $status
