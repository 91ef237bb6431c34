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
cargo build --release --quiet --bin innoscope
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
urls=$(mktemp)
RUST_LOG=warn INNOSCOPE_DATA_DIR="$data" target/release/innoscope serve --bind "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data" "$urls"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
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
