#!/usr/bin/env bash
# What the tests need besides Rust: Chromium (the dashboard's browser test),
# the Noto CJK fonts (Chinese labels in the browser and in the PNG exports,
# whose test checks glyphs are drawn), Python's venv (Schemathesis is
# installed into one) and curl (the server scripts wait for /api/health). Installs them with apt-get
# when running as root and they are missing; says what to install otherwise.
set -euo pipefail
need=()
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || need+=(fonts-noto-cjk)
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
command -v curl >/dev/null || need+=(curl)
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  # A fresh machine may have stale or no package lists: update once and retry.
  apt-get install -y -q "${need[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; }
else
  echo "error: missing ${need[*]} (apt-get install ${need[*]})" >&2
  exit 2
fi
