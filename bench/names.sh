#!/usr/bin/env bash
# Harmonise a list of almost all distinct names (the hard case of K3 at
# PATSTAT scale: the cost grows with the distinct names, not the rows) and
# record wall time and peak memory.
#
#   bench/names.sh [ORGS]      # default 3700000 organisations ≈ 10M names
#   BIN=/path/to/innoscope bench/names.sh 1000000   # another build
#
# The list (`innoscope synth names`: each organisation written one to six
# ways, plus persons) is generated once under $BENCH_DIR (default
# /tmp/innoscope-bench) and reused. The run reads it, harmonises and
# clusters the names, puts the organisations into groups, and writes the
# audit, entity and group tables (CSV + Parquet) with `applicants export`.
# Figures go to bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
orgs="${1:-3700000}"
root="${BENCH_DIR:-/tmp/innoscope-bench}/names-$orgs"
if [ -n "${BIN:-}" ]; then
  bin="$BIN"
else
  bin=target/release/innoscope
  cargo build --release --quiet --bin innoscope
fi
mkdir -p "$root"
if [ ! -f "$root/names.csv" ]; then
  "$bin" -q synth names --orgs "$orgs" --persons $((orgs / 33)) --seed 1 --out "$root/names.csv"
fi
rm -rf "$root/out"
/usr/bin/time -v "$bin" applicants export --names "$root/names.csv" --out "$root/out" \
  2> "$root/time.txt" || {
  cat "$root/time.txt"
  exit 1
}
grep -v '^\s' "$root/time.txt" || true
grep -E "Elapsed \(wall clock\)|Maximum resident set size|User time|System time" "$root/time.txt"
ls -l "$root/out"
