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
  scripts/setup.sh
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi
source tests/lib/serve.sh
"$venv/bin/schemathesis" --config-file tests/schemathesis/schemathesis.toml --no-color run \
  "$url/api/openapi.json" \
  --checks all --phases examples,coverage,fuzzing --max-examples "$examples" \
  --seed 1 --workers 2 --request-timeout 120 --max-failures 50 || {
  echo "--- server log"; tail -20 "$server_log"; exit 1
}
