#!/usr/bin/env bash
# Installs what is missing, builds everything (dev preset: Debug, warnings
# are errors) and runs every test: unit, integration (against moto_server),
# e2e (the built binary), the invalid-stack corpus and a deterministic fuzz
# run (tests/fuzz/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=${JOBS:-2}
cmake --preset dev
cmake --build --preset dev -j"$jobs"
ctest --preset dev -j"$jobs" --output-on-failure --timeout 900
# The fuzz step is deterministic: committed inputs, then a fixed number of
# seeded executions per target (FUZZ_RUNS overrides each target's budget).
tests/fuzz/run.sh ${FUZZ_RUNS:+--runs "$FUZZ_RUNS"} build/fuzz
