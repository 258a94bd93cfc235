#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan) into
# BUILD_DIR and runs every target deterministically:
#
#   1. replays each committed input, one at a time: corpus/<target>/* (seeds
#      made from documents in the tree) and regressions/<target>/* (inputs
#      that once failed);
#   2. explores from that corpus for a fixed number of executions with a
#      fixed seed: no wall-clock limit, so the verdict does not depend on how
#      fast or busy the machine is.
#
# Any crash, sanitizer report, leak, failed fuzz check, timeout or memory
# blow-up fails the run; the input is printed in base64 with the command to
# keep it as a regression. New inputs the exploration finds go to a scratch
# directory, never into the source tree.
#
#   tests/fuzz/run.sh [--long] [--runs N] [--seed N] [--target NAME]... BUILD_DIR
#
#   --runs N      executions per target in step 2 (default: each target's
#                 budget below, about 3 minutes for all targets on 2 cores)
#   --long        1,000,000 executions per target (unless --runs is given),
#                 and a summary table in BUILD_DIR/fuzz-summary.md
#   --seed N      the exploration's random seed (default 1)
#   --target NAME only this target (repeatable); default: all of them
set -euo pipefail

usage() {
  sed -n '/^#   tests\/fuzz\/run.sh/,/^#   --target/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Each target: name, maximum input length, default exploration runs.
# The budgets take 15-30 s each on a busy 2-core machine.
targets=(
  "stack 4096 8000"
  "state 8192 50000"
  "pending 4096 80000"
  "plan 8192 25000"
  "wire 4096 25000"
  "aws_response 4096 50000"
  "aws_profile 2048 20000"
)

long=0
runs=""
seed=1
only=()
build_dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --long) long=1 ;;
    --runs) runs=${2:?}; shift ;;
    --seed) seed=${2:?}; shift ;;
    --target) only+=("${2:?}"); shift ;;
    -h|--help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) [[ -z "$build_dir" ]] || usage; build_dir=$1 ;;
  esac
  shift
done
[[ -n "$build_dir" ]] || usage
[[ "$seed" =~ ^[1-9][0-9]*$ ]] || { echo "--seed must be a positive integer (0 is random)" >&2; exit 2; }
if [[ -n "$runs" && ! "$runs" =~ ^[0-9]+$ ]]; then echo "--runs must be a number" >&2; exit 2; fi
if [[ $long -eq 1 && -z "$runs" ]]; then runs=1000000; fi

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fuzz_dir=$source_dir/tests/fuzz
build_dir=$(mkdir -p "$build_dir" && cd "$build_dir" && pwd)

# -O1 and line tables only: fast enough to fuzz, quick to build, and stack
# traces still name file:line.
cmake --preset fuzz -S "$source_dir" -B "$build_dir" -DCMAKE_CXX_FLAGS=-O1 -DCMAKE_C_FLAGS=-O1 \
  -DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only -DCMAKE_C_FLAGS_DEBUG=-gline-tables-only >/dev/null
cmake --build "$build_dir" --target fuzzers -j "${RECONCILE_JOBS:-2}"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
summary=$build_dir/fuzz-summary.md
if [[ $long -eq 1 ]]; then
  {
    echo "| target | executions | coverage (edges) | features | corpus | time | crashes |"
    echo "|---|---|---|---|---|---|---|"
  } >"$summary"
fi

# The input a failed run left behind, in base64, and how to keep it.
report_finding() {
  local target=$1 input=$2 log=$3
  echo "---- $target: FAILED; the end of its log ($log):" >&2
  tail -n 40 "$log" >&2
  if [[ -n "$input" && -f "$input" ]]; then
    echo "---- the input, in base64 ($(wc -c <"$input") bytes):" >&2
    base64 -w 76 "$input" >&2
    echo "---- keep it as a regression test:" >&2
    echo "  base64 -d > tests/fuzz/regressions/$target/NAME <<'EOF'" >&2
    base64 -w 76 "$input" >&2
    echo "EOF" >&2
  fi
}

failed=()
for entry in "${targets[@]}"; do
  read -r name max_len budget <<<"$entry"
  if [[ ${#only[@]} -gt 0 && ! " ${only[*]} " =~ " $name " ]]; then continue; fi
  fuzzer=$build_dir/tests/fuzz/${name}_fuzzer
  log=$build_dir/fuzz-$name.log
  common=(-timeout=60 -rss_limit_mb=2560 -malloc_limit_mb=2560 -reload=0 -print_final_stats=1)

  # 1. Every committed input on its own (whole, whatever its length).
  mapfile -t inputs < <(find "$fuzz_dir/corpus/$name" "$fuzz_dir/regressions/$name" -type f 2>/dev/null | LC_ALL=C sort)
  if [[ ${#inputs[@]} -eq 0 ]]; then
    echo "---- $name: no seed corpus in tests/fuzz/corpus/$name" >&2
    failed+=("$name")
    continue
  fi
  if ! "$fuzzer" "${common[@]}" "${inputs[@]}" >"$log" 2>&1; then
    last=$(grep -o '^Running: .*' "$log" | tail -n 1 | cut -d' ' -f2-)
    report_finding "$name" "$last" "$log"
    failed+=("$name")
    continue
  fi

  # 2. A bounded exploration from the committed inputs, seeded.
  count=${runs:-$budget}
  work=$scratch/$name
  mkdir -p "$work/new" "$work/artifacts"
  seeds=("$fuzz_dir/corpus/$name")
  [[ -d "$fuzz_dir/regressions/$name" ]] && seeds+=("$fuzz_dir/regressions/$name")
  start=$(date +%s)
  if ! "$fuzzer" "${common[@]}" -seed="$seed" -runs="$count" -max_len="$max_len" \
      -artifact_prefix="$work/artifacts/" "$work/new" "${seeds[@]}" >"$log" 2>&1; then
    artifact=$(find "$work/artifacts" -type f | head -n 1)
    report_finding "$name" "$artifact" "$log"
    if [[ -n "$artifact" ]]; then cp "$artifact" "$build_dir/fuzz-$name-$(basename "$artifact")"; fi
    failed+=("$name")
    continue
  fi
  seconds=$(($(date +%s) - start))
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
  cov=$(sed -E -n 's/.* cov: ([0-9]+).*/\1/p' <<<"$done_line")
  ft=$(sed -E -n 's/.* ft: ([0-9]+).*/\1/p' <<<"$done_line")
  corp=$(sed -E -n 's/.* corp: ([0-9]+).*/\1/p' <<<"$done_line")
  printf '%-13s %d inputs replayed; %s executions, cov %s ft %s corpus %s, %ss: ok\n' \
    "$name" "${#inputs[@]}" "$executions" "$cov" "$ft" "$corp" "$seconds"
  if [[ $long -eq 1 ]]; then
    printf '| %s | %s | %s | %s | %s | %s s | 0 |\n' "$name" "$executions" "$cov" "$ft" "$corp" "$seconds" >>"$summary"
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: every target clean (seed $seed)"
if [[ $long -eq 1 ]]; then echo "summary: $summary"; fi
