#!/usr/bin/env bash
# Benchmark: the patent-microdata workload (shared/bench/WORKLOAD.md) in
# innoscope against the DuckDB and Polars baselines, measured in the same run
# on the same files. Not a test: run it by hand and record the figures in
# bench/RESULTS.md.
#
#   bench/workload.sh APPS [RUNS]        e.g. bench/workload.sh 1000000 3
#
# Datasets come from the workload's own generator (shared/bench/gen_patstat.py,
# seed 0) and are kept in $BENCH_DATA (default /tmp/innoscope-bench) for reuse.
# Every implementation is timed as a whole process (1 warm-up, RUNS counted) by
# shared/bench/time_runs.py; outputs are checked with shared/bench/compare.py.
set -euo pipefail
cd "$(dirname "$0")/.."
apps="${1:?usage: bench/workload.sh APPS [RUNS]}"
runs="${2:-3}"
shared="${SHARED:-../shared/bench}"
data_root="${BENCH_DATA:-/tmp/innoscope-bench}"
data="$data_root/d$apps"
out="$data_root/out$apps"
python3 -c 'import duckdb, polars, pyarrow, numpy' 2>/dev/null ||
  python3 -m pip install --quiet duckdb polars pyarrow numpy
cargo build --quiet --release --bin innoscope
bin="$PWD/target/release/innoscope"
if [ ! -f "$data/tls209_appln_ipc.parquet" ]; then
  python3 "$shared/gen_patstat.py" --apps "$apps" --out "$data"
fi
mkdir -p "$out"
for fmt in parquet csv; do
  python3 "$shared/time_runs.py" -n "$runs" -- "$bin" -q bench-workload --data "$data" --format "$fmt" --out "$out/innoscope-$fmt"
  python3 "$shared/time_runs.py" -n "$runs" -- python3 "$shared/baseline_duckdb.py" --data "$data" --format "$fmt" --out "$out/duckdb-$fmt"
  python3 "$shared/time_runs.py" -n "$runs" -- python3 "$shared/baseline_polars.py" --data "$data" --format "$fmt" --out "$out/polars-$fmt"
done
python3 "$shared/compare.py" "$out/duckdb-parquet" "$out/innoscope-parquet" "$out/innoscope-csv" \
  "$out/polars-parquet" "$out/duckdb-csv" "$out/polars-csv"
