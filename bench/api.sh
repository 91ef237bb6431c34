#!/usr/bin/env bash
# Latency of repeated analysis requests against `innoscope serve` (release
# build) on the bundled data: oha, 64 connections, 60 s by default, over a
# mix of analysis, figure, CSV and network URLs. Reports oha's summary, the
# error count and the server's memory before and after.
#
#   bench/api.sh [DURATION] [CONNECTIONS]      # e.g. bench/api.sh 60s 64
#
# Needs oha (`cargo install oha --locked`); OHA=/path/to/oha to point at one.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-60s}"
conns="${2:-64}"
oha="${OHA:-$(command -v oha || true)}"
[ -x "$oha" ] || { echo "error: oha not found (cargo install oha --locked, or OHA=path)" >&2; exit 2; }
source bench/serve.sh
data=$(mktemp -d)
urls=$(mktemp)
pid=
trap '[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; rm -rf "$data" "$urls"' EXIT
serve_store "$data"
b="http://127.0.0.1:$port/api/analyses"
cat >"$urls" <<URLS
$b/C1
$b/C2?year=2019
$b/C5?year=2020
$b/K1
$b/K2?min-weight=5
$b/K3
$b/F2
$b/C5/figures/C5.svg?lang=zh
$b/C1/tables/C1.csv
$b/K2/networks/K2.medical.gexf
URLS
# First requests compute and fill the cache; the measured ones repeat them.
while read -r u; do curl -fs "$u" >/dev/null; done <"$urls"
rss() { ps -o rss= -p "$pid" | tr -d ' '; }
before=$(rss)
"$oha" -z "$duration" -c "$conns" --no-tui --urls-from-file "$urls"
after=$(rss)
echo "server RSS: ${before} KiB before, ${after} KiB after"
