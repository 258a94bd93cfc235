#!/usr/bin/env bash
# The C++ API from an installed copy: examples/embed built with
# find_package(reconcile) twice, linking the static library with the
# providers in-process (reconcile::provider_*) and linking libreconcile.so
# with the installed plugins; each run on the quickstart stack.
# usage: embed_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
trap 'echo "FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR
source "$(dirname "$0")/installed.sh" "$1" "$2"
test -x "$prefix/bin/reconcile"
test -x "$prefix/libexec/reconcile/reconcile-provider-random"
for f in include/reconcile/engine.h include/reconcile/c_api.h include/reconcile/json_events.h \
         include/reconcile/providers/aws.h lib/libreconcile.a lib/libreconcile.so \
         lib/libreconcile_provider_aws.a lib/libreconcile_provider_random.a lib/libreconcile_provider_local.a \
         lib/pkgconfig/reconcile.pc lib/cmake/reconcile/reconcileConfig.cmake; do
  test -e "$prefix/$f" || { echo "not installed: $f"; exit 1; }
done

for variant in static shared; do
  shared=OFF
  [ "$variant" = shared ] && shared=ON
  cmake -S "$src/examples/embed" -B "$work/embed-$variant" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
    -DEMBED_SHARED=$shared >/dev/null
  cmake --build "$work/embed-$variant" >/dev/null
  stack=$(quickstart "stack-$variant")
  # In-process providers work in the process's directory (plugins in the stack's).
  out=$(cd "$stack" && "$work/embed-$variant/embed" "$stack")
  echo "$out"
  if [ "$variant" = static ]; then
    grep -qx "providers: in-process" <<<"$out"
    # The static build has no dependency on libreconcile.so.
    deps=$(ldd "$work/embed-$variant/embed")
    ! grep -q libreconcile <<<"$deps"
  else
    grep -qx "providers: plugins" <<<"$out"
    deps=$(ldd "$work/embed-$variant/embed")
    grep -q "libreconcile.so.0.1 => $prefix/lib/libreconcile.so.0.1" <<<"$deps"
  fi
  grep -qx "plan: 4 to add, 0 to change, 0 to destroy" <<<"$out"
  grep -qx "applied: 4 added, 0 changed, 0 destroyed" <<<"$out"
  grep -qx "output db_password = (sensitive)" <<<"$out"
  # The installed tool sees what the embedder applied, and finds its plugins.
  (cd "$stack" && "$prefix/bin/reconcile" plan --detailed-exitcode >/dev/null)
done
echo "embed: OK"
