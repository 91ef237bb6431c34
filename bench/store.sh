#!/usr/bin/env bash
# Benchmark: the workload (shared/bench/WORKLOAD.md) from innoscope's store —
# the path the analyses, the report and the API take — against DuckDB on the
# raw files, in the same run on the same data; and the import (analysis-ready
# facts included) against DuckDB running the workload on the CSVs. Not a
# test: run it by hand and record the figures in bench/RESULTS.md.
#
#   bench/store.sh APPS [RUNS]        e.g. bench/store.sh 1000000 3
#
# Data as in bench/workload.sh ($BENCH_DATA, default /tmp/innoscope-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
apps="${1:?usage: bench/store.sh APPS [RUNS]}"
runs="${2:-3}"
shared="${SHARED:-../shared/bench}"
data_root="${BENCH_DATA:-/tmp/innoscope-bench}"
data="$data_root/d$apps"
out="$data_root/out$apps"
store="$data_root/store$apps"
python3 -c 'import duckdb, polars, pyarrow, numpy' 2>/dev/null ||
  python3 -m pip install --quiet duckdb polars pyarrow numpy
cargo build --quiet --release --bin innoscope
bin="$PWD/target/release/innoscope"
if [ ! -f "$data/tls209_appln_ipc.parquet" ]; then
  python3 "$shared/gen_patstat.py" --apps "$apps" --out "$data"
fi
mkdir -p "$out"
csvs=("$data"/tls201_appln.csv "$data"/tls206_person.csv "$data"/tls207_pers_appln.csv "$data"/tls209_appln_ipc.csv)
# The import, timed on an empty store each run (an import of content the
# store already holds keeps its files, which would not be the same work).
python3 "$shared/time_runs.py" -n "$runs" -- bash -c \
  "rm -rf '$store' && '$bin' -q --data-dir '$store' import --format patstat --dataset pat ${csvs[*]}"
python3 "$shared/time_runs.py" -n "$runs" -- python3 "$shared/baseline_duckdb.py" --data "$data" --format csv --out "$out/duckdb-csv"
# The workload from the store, and DuckDB on the raw Parquet tables. The
# workload's two classifications are not built in: the first run derives
# their facts and caches them in the dataset (timed alone first, cold).
python3 "$shared/time_runs.py" -n 1 --warmup 0 -- "$bin" -q --data-dir "$store" bench-workload --dataset pat --out "$out/innoscope-store"
python3 "$shared/time_runs.py" -n "$runs" -- "$bin" -q --data-dir "$store" bench-workload --dataset pat --out "$out/innoscope-store"
# The same store without its facts (as an older innoscope wrote it): the
# raw path, to measure what the facts save.
rm -rf "$store-raw" && cp -r "$store" "$store-raw" && rm -r "$store-raw"/datasets/*/facts
python3 "$shared/time_runs.py" -n "$runs" -- "$bin" -q --data-dir "$store-raw" bench-workload --dataset pat --out "$out/innoscope-store-raw"
python3 "$shared/time_runs.py" -n "$runs" -- python3 "$shared/baseline_duckdb.py" --data "$data" --format parquet --out "$out/duckdb-parquet"
python3 "$shared/compare.py" "$out/duckdb-parquet" "$out/innoscope-store" "$out/innoscope-store-raw" "$out/duckdb-csv"
