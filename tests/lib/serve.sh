# Sourced by the test scripts that need a server: builds the binary, starts
# `innoscope serve` over the bundled data on a free loopback port with an
# empty store of its own, waits for /api/health, and stops it (and removes
# its files) when the calling script exits. Sets `url` and `server_log`.
cargo build --quiet --bin innoscope
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server_data=$(mktemp -d)
server_log=$(mktemp)
INNOSCOPE_DATA_DIR="$server_data" ./target/debug/innoscope serve --bind "127.0.0.1:$port" >"$server_log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$server_data" "$server_log"' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -fs "$url/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done
