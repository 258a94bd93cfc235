#!/usr/bin/env bash
# Installs what is missing, builds everything (dev preset: Debug, warnings
# are errors) and runs every test: unit, integration (against moto_server),
# e2e (the built binary), the invalid-stack corpus and a bounded fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=${JOBS:-2}
cmake --preset dev
cmake --build --preset dev -j"$jobs"
ctest --preset dev -j"$jobs" --output-on-failure --timeout 900
if [ -x tests/fuzz/run.sh ]; then
  tests/fuzz/run.sh build/fuzz "${FUZZ_SECONDS:-60}"
fi
