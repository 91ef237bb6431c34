#!/usr/bin/env bash
# Cluster test: the microdata workload on an Apache Ballista cluster — one
# scheduler and two executors as separate processes on loopback — must give
# byte for byte what the embedded engine gives. Also: an unreachable
# scheduler and an executor killed during a query end in a clear message and
# leave no partial output. The cluster is stopped whatever happens.
#
#   tests/cluster/run.sh            (builds innoscope with --features cluster)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --quiet --locked --features innoscope/cluster --bin innoscope
bin="$PWD/target/debug/innoscope"
source tests/cluster/lib.sh
# Short heartbeats, so that a killed executor is noticed in seconds, not minutes.
cluster_start "$bin" 2 1 --executor-timeout 6 -- --heartbeat 2
export INNOSCOPE_DATA_DIR="$tmp/store"

# A small synthetic dataset, two files per table.
"$bin" -q synth patstat --apps 20000 --seed 3 --out "$tmp/synth"
"$bin" -q import --partitions 2 --dataset pat "$tmp"/synth/tls20{1,6,7,9}_*.csv
test "$(ls "$tmp"/store/datasets/pat-*/appln | wc -l)" -eq 2

# 1. The workload, embedded and on the cluster: identical files.
"$bin" -q bench-workload --dataset pat --out "$tmp/embedded"
"$bin" -q --cluster "$cluster" bench-workload --dataset pat --out "$tmp/cluster"
diff -r "$tmp/embedded" "$tmp/cluster"
test "$(ls "$tmp/cluster" | wc -l)" -eq 6
# Shuffle files prove the executors ran the stages.
test -n "$(find "$tmp"/executor-* -name 'data*.arrow' -print -quit)"
echo "cluster workload = embedded workload"

# 2. Analyses (K1, K2, K3, C4M, I4, I5) as tables: identical CSV.
# (Exit 1 is "no result", e.g. no field pair above K2's threshold: both
# engines must agree on that too.)
for a in K1 K2 K3 C4M I4 I5; do
  e=0; c=0
  "$bin" -q analyze "$a" --source pat --format csv >"$tmp/$a.embedded.csv" || e=$?
  "$bin" -q --cluster "$cluster" analyze "$a" --source pat --format csv >"$tmp/$a.cluster.csv" || c=$?
  test "$e" -le 1 && test "$e" -eq "$c"
  cmp "$tmp/$a.embedded.csv" "$tmp/$a.cluster.csv"
done
echo "cluster analyses = embedded analyses"

# 3. No scheduler at the address: exit 2, a message saying so, nothing written.
closed=$(free_port)
set +e
"$bin" -q --cluster "df://127.0.0.1:$closed" bench-workload --dataset pat --out "$tmp/unreachable" 2>"$tmp/unreachable.err"
code=$?
set -e
test "$code" -eq 2
grep -q "scheduler cannot be reached" "$tmp/unreachable.err"
test ! -e "$tmp/unreachable"
echo "unreachable scheduler: clear error"

# 4. Kill one executor while a larger query runs: Ballista either finishes on
#    the executor that remains (then the result must equal the embedded one)
#    or the job fails (then a cluster error and no output).
"$bin" -q synth patstat --apps 200000 --seed 5 --out "$tmp/synth2"
"$bin" -q import --partitions 4 --dataset big "$tmp"/synth2/tls20{1,6,7,9}_*.csv
"$bin" -q bench-workload --dataset big --out "$tmp/big-embedded"
"$bin" -q --cluster "$cluster" --cluster-timeout 30 bench-workload --dataset big --out "$tmp/big-cluster" 2>"$tmp/kill.err" &
job=$!
sleep 0.4
kill -0 "$job" 2>/dev/null || echo "warning: the query ended before the executor was killed"
kill -9 "${exec_pids[1]}"
set +e
wait "$job"
code=$?
set -e
if [ "$code" -eq 0 ]; then
  diff -r "$tmp/big-embedded" "$tmp/big-cluster"
  echo "executor killed mid-query: the job recovered, results identical"
else
  test "$code" -eq 2
  grep -q "cluster df://" "$tmp/kill.err"
  test ! -e "$tmp/big-cluster"
  echo "executor killed mid-query: the job failed cleanly: $(head -c 200 "$tmp/kill.err")"
fi
# Intermediates never outlive a session.
test -z "$(ls -A "$tmp/store/work" 2>/dev/null)"
echo "cluster test: ok"
