#!/usr/bin/env bash
# Harmonise and cluster every person name (applicants and inventors) of a
# synthetic PATSTAT-layout dataset, and record wall time and peak memory.
#
#   bench/applicants.sh [APPS]        # default 10000000 (about 13M persons)
#
# The dataset is generated and imported once under $BENCH_DIR (default
# /tmp/innoscope-bench) and reused. The run reads the stored person table
# (DataFusion groups the rows into distinct name/country pairs), harmonises
# and clusters the distinct names, puts them in groups, and writes the
# entity, group and audit tables (CSV + Parquet). Figures go to
# bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
apps="${1:-10000000}"
root="${BENCH_DIR:-/tmp/innoscope-bench}/applicants-$apps"
bin=target/release/innoscope
cargo build --release --quiet --bin innoscope
mkdir -p "$root"
if [ ! -f "$root/raw/tls206_person.csv" ]; then
  "$bin" synth patstat --apps "$apps" --seed 1 --no-parquet --out "$root/raw"
fi
if [ ! -f "$root/store/manifest.json" ]; then
  "$bin" import -q --synthetic --no-bundled --data-dir "$root/store" --dataset synth "$root/raw"/*.csv
fi
rm -rf "$root/out"
/usr/bin/time -v "$bin" applicants export --no-bundled --data-dir "$root/store" \
  --source synth --all-persons --out "$root/out" 2> "$root/time.txt" || {
  cat "$root/time.txt"
  exit 1
}
grep -v '^\s' "$root/time.txt" || true
grep -E "Elapsed \(wall clock\)|Maximum resident set size|User time|System time" "$root/time.txt"
ls -l "$root/out"
