#!/usr/bin/env bash
# Measure the benchmark workload on a local Ballista cluster (one scheduler,
# EXECUTORS executors of SLOTS slots, all on this machine) against the
# embedded engine, on a synthetic PATSTAT-shaped dataset of APPS applications
# imported with PARTS files per table.
#
#   bench/cluster.sh APPS [EXECUTORS=2] [SLOTS=1] [PARTS=4]
#   INNOSCOPE=path/to/innoscope bench/cluster.sh 1000000
#
# Prints wall times, peak memory of the client and of each executor, the
# shuffle bytes each stage wrote (summed over the executors' work
# directories), and the throughput per task slot. On one 2-core machine the
# cluster cannot beat the embedded engine; the point is what it costs.
set -euo pipefail
apps=${1:?usage: bench/cluster.sh APPS [EXECUTORS] [SLOTS] [PARTS]}
executors=${2:-2}
slots=${3:-1}
parts=${4:-4}
cd "$(dirname "$0")/.."
if [ -z "${INNOSCOPE:-}" ]; then
  cargo build --quiet --release --features innoscope/cluster --bin innoscope
  INNOSCOPE="$PWD/target/release/innoscope"
fi
bin=$INNOSCOPE
source tests/cluster/lib.sh
peak() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

export INNOSCOPE_DATA_DIR="$tmp/store"
"$bin" -q synth patstat --apps "$apps" --seed 1 --out "$tmp/synth"
/usr/bin/time -f "%e" -o "$tmp/import.time" \
  "$bin" -q import --partitions "$parts" --dataset w "$tmp"/synth/tls20{1,6,7,9}_*.csv
rm -rf "$tmp/synth"

cluster_start "$bin" "$executors" "$slots"

/usr/bin/time -f "%e %M" -o "$tmp/embedded.time" \
  "$bin" -q bench-workload --dataset w --out "$tmp/embedded"
/usr/bin/time -f "%e %M" -o "$tmp/cluster.time" \
  "$bin" -q --cluster "$cluster" bench-workload --dataset w --out "$tmp/cluster"
diff -r "$tmp/embedded" "$tmp/cluster" >/dev/null && same=yes || same=NO

read -r e_wall e_rss <"$tmp/embedded.time"
read -r c_wall c_rss <"$tmp/cluster.time"
echo "apps=$apps executors=$executors slots=$slots parts=$parts import=$(cat "$tmp/import.time")s identical=$same"
echo "embedded: ${e_wall}s, peak ${e_rss} KiB"
echo "cluster:  ${c_wall}s, client peak ${c_rss} KiB"
for i in "${!exec_pids[@]}"; do
  echo "executor $((i + 1)): peak $(peak "${exec_pids[$i]}") MiB"
done
python3 - "$tmp" "$apps" "$c_wall" "$executors" "$slots" <<'EOF'
import os, sys, collections
tmp, apps, wall, ex, slots = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
stages = collections.Counter()
jobs = set()
for e in os.listdir(tmp):
    root = os.path.join(tmp, e)
    if not e.startswith("executor-") or not os.path.isdir(root):
        continue
    for job in os.listdir(root):
        jd = os.path.join(root, job)
        if not os.path.isdir(jd) or job.startswith("datafusion"):
            continue
        jobs.add(job)
        for stage in os.listdir(jd):
            for dirpath, _, files in os.walk(os.path.join(jd, stage)):
                for f in files:
                    if f.startswith("data") and not f.endswith(".index"):
                        stages[(job, stage)] += os.path.getsize(os.path.join(dirpath, f))
total = sum(stages.values())
print(f"shuffle: {total/2**20:.1f} MiB in {len(stages)} stages of {len(jobs)} jobs")
for (job, stage), b in stages.most_common(5):
    print(f"  job {job} stage {stage}: {b/2**20:.1f} MiB")
print(f"throughput: {apps/wall/(ex*slots):,.0f} applications/s per task slot (cluster), {apps/wall:,.0f}/s overall")
EOF
