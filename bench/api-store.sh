#!/usr/bin/env bash
# Latency of uncached analysis requests on a large patent store, and the
# report's wall time on it: the store bench/store.sh builds from the
# generated PATSTAT tables ($BENCH_DATA/store<APPS>). Every request asks K1,
# K2 or I5 for a year no earlier request asked (the server's result cache
# never answers), one request at a time, timed by curl; then
# `innoscope report` on the same store, RUNS times. Not a test: run it by
# hand and record the figures in bench/RESULTS.md.
#
#   bench/api-store.sh APPS [RUNS]       e.g. bench/api-store.sh 10000000 3
set -euo pipefail
cd "$(dirname "$0")/.."
apps="${1:?usage: bench/api-store.sh APPS [RUNS]}"
runs="${2:-3}"
store="${BENCH_DATA:-/tmp/innoscope-bench}/store$apps"
[ -f "$store/manifest.json" ] || { echo "error: no store at $store (run bench/store.sh $apps first)" >&2; exit 2; }
bin="$PWD/target/release/innoscope"
source bench/serve.sh
times=$(mktemp)
out=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; rm -rf "$times" "$out"' EXIT
serve_store "$store"
b="http://127.0.0.1:$port/api/analyses"
# The first request opens the dataset (its schema, the facts' state): not
# what an analyst waits for on the next click, so it is timed apart.
first=$(curl -fs -o /dev/null -w '%{time_total}' "$b/K1?year=2022&source=pat")
echo "first request (K1, 2022; opens the store): ${first} s"
for year in $(seq 2002 2021); do
  for a in K1 K2 I5; do
    # I5 compares with a base year ten years earlier; K1 and K2 take the year.
    q="year=$year&source=pat"
    code_time=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$b/$a?$q")
    echo "$a $year $code_time" >>"$times"
  done
done
rss=$(ps -o rss= -p "$pid" | tr -d ' ')
python3 - "$times" "$rss" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
bad = [r for r in rows if r[2] != "200"]
for a in ["K1", "K2", "I5", "all"]:
    t = sorted(float(r[3]) * 1000 for r in rows if a == "all" or r[0] == a)
    p = lambda q: t[min(len(t) - 1, int(round(q * (len(t) - 1))))]
    print(f"{a:>3}: {len(t)} uncached requests, p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, max {t[-1]:.0f} ms")
print(f"non-200 responses: {len(bad)} {bad[:3]}")
print(f"server RSS after: {int(sys.argv[2]) // 1024} MiB")
PY
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=
# The report on the same store (zh + en, every chapter; the microdata
# chapters read the store's patent dataset).
python3 "${SHARED:-../shared/bench}/time_runs.py" -n "$runs" -- "$bin" -q --data-dir "$store" report --out "$out/report"
