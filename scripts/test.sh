#!/usr/bin/env bash
# Run the whole test suite. Tests read ../shared/data (the real open data
# files) beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d ../shared/data ]; then
  echo "error: ../shared/data is missing: the importer tests read the real data files there" >&2
  exit 2
fi
# Chromium and the CJK fonts (browser test, PNG exports).
scripts/setup.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked --all-targets 2>&1 | tee "$log"
passed=$(grep -Eo '^test result: .* ([0-9]+) passed' "$log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
echo "tests: $passed passed, $failed failed"
# The dashboard in real headless Chromium (installs playwright-core from npm,
# starts and stops `innoscope serve` itself).
echo "== browser test: dashboard"
tests/e2e/run.sh
# The OpenAPI document against the server: Schemathesis from PyPI, every
# check, a bounded number of examples (starts and stops `innoscope serve`).
echo "== schemathesis"
tests/schemathesis/run.sh
# The microdata analyses on a Ballista cluster (builds the `cluster` feature;
# starts and stops a scheduler and two executors on loopback itself).
echo "== cluster test"
tests/cluster/run.sh
