#!/usr/bin/env bash
# Builds the `fuzz` preset (clang, ASan + UBSan, libFuzzer) into BUILD_DIR and
# runs the stack-language fuzzer for SECONDS over the committed corpus.
# Exits non-zero when the fuzzer finds a crash, leak, hang or sanitizer error;
# the failing input is left in BUILD_DIR/fuzz-crash-* (or -leak-, -timeout-).
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build_dir=$(mkdir -p "$1" && cd "$1" && pwd)
seconds=$2
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

cmake --preset fuzz -S "$source_dir" -B "$build_dir" -DCMAKE_CXX_FLAGS=-O1 >/dev/null
cmake --build "$build_dir" --target stack_fuzzer -j "${RECONCILE_JOBS:-2}"

# New inputs the fuzzer finds go to a scratch directory, not into the source tree.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

"$build_dir/tests/fuzz/stack_fuzzer" \
  -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 -max_len=4096 \
  -print_final_stats=1 -artifact_prefix="$build_dir/fuzz-" \
  "$scratch" "$source_dir/tests/fuzz/corpus"
