#!/usr/bin/env bash
# Benchmark: wall time of `innoscope report` on the bundled data (release
# build), median of N runs. Not a test: run it by hand and record the figure
# in bench/RESULTS.md.
#
#   bench/report.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
cargo build --quiet --release --bin innoscope
bin=./target/release/innoscope
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin" report --quiet --data-dir "$out/store" --out "$out/report" >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "innoscope report (bundled data, zh+en, release): median $(( sorted[runs / 2] / 1000 )) ms, min $(( sorted[0] / 1000 )) ms, max $(( sorted[runs - 1] / 1000 )) ms over $runs runs"
