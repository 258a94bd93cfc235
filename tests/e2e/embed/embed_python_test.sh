#!/usr/bin/env bash
# The Python package from an installed copy: bindings/python installed with
# pip (no network: --no-build-isolation, so setuptools and wheel must be
# there: Debian's python3-setuptools and python3-wheel) into the same prefix
# as reconcile, then examples/embed-python run on the quickstart stack; the
# package finds libreconcile.so in the prefix it is installed in.
# usage: embed_python_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
trap 'echo "FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR
source "$(dirname "$0")/installed.sh" "$1" "$2"
python=
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import setuptools, wheel' 2>/dev/null; then python=$candidate; break; fi
done
if [ -z "$python" ]; then
  echo "no python3 with setuptools and wheel (apt-get install python3-setuptools python3-wheel)" >&2
  exit 1
fi
cp -r "$src/bindings/python" "$work/bindings-python"   # pip builds in the source tree
if ! PIP_DISABLE_PIP_VERSION_CHECK=1 "$python" -m pip install --quiet --no-build-isolation --no-deps --no-index \
    --prefix "$prefix" "$work/bindings-python" >"$work/pip.log" 2>&1; then
  cat "$work/pip.log"
  exit 1
fi
site=$("$python" -c 'import sys,sysconfig; print(sysconfig.get_path("purelib", vars={"base": sys.argv[1]}))' "$prefix")
test -f "$site/reconcile/__init__.py"
unset RECONCILE_LIBRARY RECONCILE_PREFIX
found=$(cd "$work" && PYTHONPATH=$site "$python" -c 'import reconcile; print(reconcile.library_path())')
[ "$found" = "$prefix/lib/libreconcile.so" ] || { echo "found $found"; exit 1; }
stack=$(quickstart stack)
out=$(cd "$work" && PYTHONPATH=$site "$python" "$src/examples/embed-python/example.py" "$stack")
echo "$out"
[ "$(grep -c '^plan: 4 to add, 0 to change, 0 to destroy$' <<<"$out")" = 2 ]
[ "$(grep -c '^created ' <<<"$out")" = 4 ]
grep -qx "applied: 4 added, 0 changed, 0 destroyed" <<<"$out"
grep -qx "output db_password = (sensitive)" <<<"$out"
grep -q '^output greeting_file = out/greeting-[0-9a-f]\{8\}\.txt$' <<<"$out"
grep -qx "workspace: staging of default, staging" <<<"$out"
grep -qx "destroyed: 4" <<<"$out"
grep -qx "error: Invalid --target" <<<"$out"
! ls "$stack"/out/greeting-* 2>/dev/null
echo "embed-python: OK"
