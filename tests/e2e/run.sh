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
source tests/lib/serve.sh
INNOSCOPE_URL="$url" CHROMIUM="$chromium_bin" node tests/e2e/dashboard.mjs
