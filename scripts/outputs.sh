#!/usr/bin/env bash
# Every output innoscope shows a user, written into one directory, so that a
# change of structure can prove itself byte-identical:
#
#   scripts/outputs.sh before/            # on the old commit
#   scripts/outputs.sh after/             # on the new one
#   diff -r before/ after/                # must print nothing
#
# It writes: the report (zh and en, figures, tables, networks); every analysis
# as a text table (zh+en), CSV and JSON, with its networks; the microdata
# analyses on a generated PATSTAT-layout dataset under several counting
# conventions; the benchmark workload's six files; the applicant tables;
# `analyze --list`; and the
# API's answers (analysis JSON, CSV tables, SVG figures, GEXF/VOSviewer
# networks) from `innoscope serve` on a free loopback port. BIN=path picks the binary (default: a debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: scripts/outputs.sh OUT_DIR}"
if [ -z "${BIN:-}" ]; then
  cargo build --quiet --bin innoscope
  BIN=./target/debug/innoscope
fi
BIN=$(realpath "$BIN")
rm -rf "$out"
mkdir -p "$out"
out=$(realpath "$out")
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

run() { "$BIN" -q "$@"; }
# An analysis' three renderings; exit 1 (no result) is an output too.
analyses() {
  local store=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  for id in $ids; do
    for fmt in table csv json; do
      local ext=$fmt
      [ "$fmt" = table ] && ext=txt
      code=0
      run --data-dir "$store" analyze "$id" "$@" --format "$fmt" --lang both \
        >"$dir/$id.$ext" 2>"$dir/$id.$ext.err" || code=$?
      echo "exit $code" >>"$dir/$id.$ext.err"
    done
  done
}

run --data-dir "$work/empty" analyze --list >"$out/analyze-list.txt"
ids=$(awk '/^[A-Z][0-9A-Z]* /{print $1}' "$out/analyze-list.txt")

# The report and every analysis on the bundled data.
run --data-dir "$work/empty" report --out "$out/report"
analyses "$work/empty" "$out/bundled"
ids="K1 K2 K3" analyses "$work/empty" "$out/bundled-networks" --networks "$out/bundled-networks/nets"

# The microdata analyses on a generated dataset, under several conventions.
run synth patstat --apps 20000 --seed 7 --intl-factor 8 --no-parquet --out "$work/synth"
run --data-dir "$work/synth-store" import --format patstat --synthetic "$work"/synth/*.csv
ids="K1 K2 K3 C4M I4 I5"
analyses "$work/synth-store" "$out/synth"
analyses "$work/synth-store" "$out/synth-fractional-any" --fractional --authority any
analyses "$work/synth-store" "$out/synth-inventors-priority" --role inventors --year-basis priority --year 2018
ids="I5" analyses "$work/synth-store" "$out/synth-envtech" --green envtech --economies CN,US
run --data-dir "$work/synth-store" report --out "$out/synth-report" --lang en
# The benchmark workload's six files, from the generated CSVs and from the store's dataset.
run bench-workload --data "$work/synth" --format csv --out "$out/workload-csv"
run --data-dir "$work/synth-store" bench-workload --dataset patstat --out "$out/workload-store"
# The applicant tables (K3's audit, entities and groups: CSV and Parquet) of the
# generated dataset's persons, and a real name list harmonised to CSV and JSON.
run --data-dir "$work/synth-store" applicants export --source patstat --all-persons --out "$out/applicants"
names=crates/innoscope-core/tests/data/applicant-names-real.csv
run applicants harmonise "$names" --out "$out/applicants/real-names.csv"
run applicants harmonise "$names" --format json --out "$out/applicants/real-names.json"

# The API's answers over the bundled data.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" -q --data-dir "$work/empty" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do
  curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done
api="$out/api"
mkdir -p "$api"
get() { # name url-path
  curl -s -o "$api/$1" -w '%{http_code} %{content_type}\n' "http://127.0.0.1:$port$2" >"$api/$1.status"
}
get analyses.json /api/analyses
get datasets.json /api/datasets
get openapi.json /api/openapi.json
for id in $(awk '/^[A-Z][0-9A-Z]* /{print $1}' "$out/analyze-list.txt"); do
  get "$id.json" "/api/analyses/$id"
  get "$id.changes.json" "/api/analyses/$id/changes"
done
get C1-2018.json '/api/analyses/C1?year=2018&economies=CHN,USA,DEU'
get C2-eur.json '/api/analyses/C2?currency=EUR&fx-year=2019'
get C4.csv /api/analyses/C4/tables/C4.csv
get C4.zh.svg '/api/analyses/C4/figures/C4.svg?lang=zh'
get K1.en.svg '/api/analyses/K1/figures/K1.svg?lang=en'
get K2.medical.gexf /api/analyses/K2/networks/K2.medical.gexf
get K2.medical.vosviewer.json '/api/analyses/K2/networks/K2.medical.vosviewer.json?lang=zh'
get Q3-6G.json '/api/analyses/Q3?query=6G'
get bad-year.json '/api/analyses/C1?year=twenty'
get bad-name.json '/api/analyses/C1?colour=red'
get bad-file.json '/api/analyses/K2?fields-file=/etc/passwd'
get unknown.json /api/analyses/Z9
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=
echo "outputs written to $out ($(find "$out" -type f | wc -l) files)"
