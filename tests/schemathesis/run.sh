#!/usr/bin/env bash
# Schemathesis (PyPI, pinned) over the OpenAPI document of `innoscope serve`
# on the bundled data: every operation, every check, a bounded number of
# examples per operation. Installs schemathesis into tests/schemathesis/.venv,
# starts the server on a free loopback port and stops it whatever happens.
#   tests/schemathesis/run.sh [MAX_EXAMPLES]      (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
examples="${1:-10}"
venv=tests/schemathesis/.venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5"
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
"$venv/bin/schemathesis" --config-file tests/schemathesis/schemathesis.toml --no-color run \
  "http://127.0.0.1:$port/api/openapi.json" \
  --checks all --phases examples,coverage,fuzzing --max-examples "$examples" \
  --seed 1 --workers 2 --request-timeout 120 --max-failures 50 || {
  echo "--- server log"; tail -20 "$log"; exit 1
}
