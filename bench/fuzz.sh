#!/usr/bin/env bash
# Property-based fuzzing at scale: every importer (statistics, records,
# patents) on arbitrary bytes and on real headers followed by garbage, and
# the HTTP parameter parser on arbitrary query strings, CASES cases per
# property (default 1,000,000), release build. Prints cases and time per
# target; figures go to bench/RESULTS.md by hand. Any failing case is
# shrunk and saved by proptest beside the test (tests/*.proptest-regressions),
# which the normal test run replays (commit those files).
#
#   bench/fuzz.sh [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-1000000}"
export INNOSCOPE_FUZZ_CASES="$cases"
cargo test --release --quiet -p innoscope-import --test no_panic --test patents --no-run
cargo test --release --quiet -p innoscope-web --test params_fuzz --no-run
run() { # crate test
  local start end
  start=$(date +%s.%N)
  cargo test --release --quiet -p "$1" --test "$2" -- --test-threads 2 2>&1 | grep -E "test result|panicked|FAILED" || true
  end=$(date +%s.%N)
  printf '%s/%s: %s cases per property, %.0f s\n' "$1" "$2" "$cases" "$(echo "$end - $start" | bc)"
}
run innoscope-import no_panic
run innoscope-import patents
run innoscope-web params_fuzz
