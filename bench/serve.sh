# Sourced by the API benchmarks (bench/api.sh, bench/api-store.sh): build the
# release binary and start `innoscope serve` on the store DIR at a free
# loopback port. Sets $port and $pid, and returns once /api/health answers.
#
#   source bench/serve.sh; serve_store DIR
serve_store() {
  cargo build --release --quiet --bin innoscope
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  RUST_LOG=warn target/release/innoscope --data-dir "$1" serve --bind "127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "error: innoscope serve did not answer on port $port" >&2
  return 1
}
