#!/usr/bin/env bash
# Peak memory and time of importing one large World Bank API v2 JSON
# response (the API's own layout, 229,320 records, about 50 MB, written on
# one line as the API does), release build.
#
#   bench/wb-json.sh [BIN]      # default target/release/innoscope
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/innoscope}"
[ "$bin" = target/release/innoscope ] && cargo build --release --quiet --bin innoscope
dir="${BENCH_DIR:-/tmp/innoscope-bench}/wb-json"
mkdir -p "$dir"
file="$dir/ny.gdp.mktp.cd.json"
if [ ! -f "$file" ]; then
  python3 - "$file" <<'PY'
import json, random, sys
random.seed(1)
codes = [("CHN", "CN", "China"), ("USA", "US", "United States"), ("DEU", "DE", "Germany"),
         ("JPN", "JP", "Japan"), ("KOR", "KR", "Korea, Rep."), ("FRA", "FR", "France"),
         ("GBR", "GB", "United Kingdom")]
with open(sys.argv[1], "w") as f:
    f.write('[{"page":1,"pages":1,"per_page":300000,"total":229320,"sourceid":"2","lastupdated":"2026-07-01"},[')
    first = True
    for ind in range(260):
        for c3, c2, name in codes:
            for y in range(1900, 2026):
                r = {"indicator": {"id": f"X.TEST.{ind}", "value": f"Test series {ind} (current US$)"},
                     "country": {"id": c2, "value": name}, "countryiso3code": c3, "date": str(y),
                     "value": random.random() * 1e12, "unit": "", "obs_status": "", "decimal": 0}
                if not first:
                    f.write(",")
                first = False
                json.dump(r, f, separators=(",", ":"))
    f.write("]]")
PY
fi
rm -rf "$dir/store"
/usr/bin/time -v "$bin" import --no-bundled --data-dir "$dir/store" --format wb-api "$file" 2> "$dir/time.txt" >/dev/null || { cat "$dir/time.txt"; exit 1; }
ls -l "$file"
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$dir/time.txt"
