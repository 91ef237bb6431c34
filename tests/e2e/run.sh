#!/usr/bin/env bash
# Browser test of the dashboard: installs playwright-core (npm registry) into
# tests/e2e/node_modules, starts `innoscope serve` on a free loopback port over
# the bundled data, runs dashboard.mjs in headless Chromium, and stops the
# server whatever happens. SHOTS_DIR=dir keeps screenshots.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v node >/dev/null || { echo "error: node is needed for the browser test" >&2; exit 2; }
chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium_bin" ] || scripts/setup.sh
if [ ! -d tests/e2e/node_modules/playwright-core ]; then
  (cd tests/e2e && npm install --no-audit --no-fund --silent --no-save playwright-core@1.65.1 >/dev/null)
fi
cargo build --quiet --bin innoscope
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
log=$(mktemp)
INNOSCOPE_DATA_DIR="$data" ./target/debug/innoscope serve --bind "127.0.0.1:$port" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data" "$log"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done
INNOSCOPE_URL="http://127.0.0.1:$port" CHROMIUM="$chromium_bin" node tests/e2e/dashboard.mjs
