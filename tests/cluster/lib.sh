# Shared by tests/cluster/run.sh and bench/cluster.sh: a local Ballista
# cluster of `innoscope cluster` processes on loopback, stopped (and its
# files removed) when the calling script exits, whatever happens.
#
#   source tests/cluster/lib.sh
#   cluster_start BIN EXECUTORS SLOTS [scheduler options] -- [executor options]
#   → $tmp (scratch directory), $cluster (df://127.0.0.1:PORT), $sched,
#     ${exec_pids[@]} (one per executor), executors' work dirs $tmp/executor-N

tmp=$(mktemp -d)
pids=()
exec_pids=()
cluster_stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cluster_stop EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 100); do
    (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "error: nothing listens on port $1" >&2
  return 1
}
cluster_start() {
  local bin=$1 executors=$2 slots=$3
  shift 3
  local sched_opts=() exec_opts=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do sched_opts+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  exec_opts=("$@")
  sched=$(free_port)
  "$bin" -q cluster scheduler --bind "127.0.0.1:$sched" "${sched_opts[@]}" >"$tmp/scheduler.log" 2>&1 &
  pids+=($!)
  wait_port "$sched"
  local i port grpc
  for i in $(seq 1 "$executors"); do
    port=$(free_port)
    grpc=$(free_port)
    "$bin" -q cluster executor --scheduler "127.0.0.1:$sched" --port "$port" --grpc-port "$grpc" \
      --slots "$slots" --work-dir "$tmp/executor-$i" "${exec_opts[@]}" >"$tmp/executor-$i.log" 2>&1 &
    pids+=($!)
    exec_pids+=($!)
    wait_port "$port"
  done
  sleep 1 # executors register with the scheduler
  cluster="df://127.0.0.1:$sched"
}
