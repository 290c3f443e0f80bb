#!/usr/bin/env bash
# Soak test: runs one long `recinfer bench` (a multi-instance Engine under closed-loop callers,
# fresh plans for two batch sizes, the default DLRM or MODEL) for MINUTES, samples its resident
# memory (VmRSS) every INTERVAL seconds into a CSV, and fails if memory grows after warm-up.
#   scripts/soak.sh [MINUTES=30] [MODEL] [-- extra bench arguments]
# Environment: INTERVAL (s, default 10), OUT (CSV path, default build/soak/rss.csv),
#   GROWTH_MIB (allowed growth after warm-up, default 16).
# Warm-up is the first tenth of the run and at least its first minute (plans, arenas, pools,
# page cache and bench's latency arrays settle there); the verdict compares every later sample
# with the largest warm-up sample. Prints the samples'
# summary, bench's own report, and PASS/FAIL.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-30}
shift || true
model=""
if [[ $# -gt 0 && $1 != "--" ]]; then
  model=$1
  shift
fi
[[ ${1:-} == "--" ]] && shift
extra=("$@")
interval=${INTERVAL:-10}
out=${OUT:-build/soak/rss.csv}
growth_mib=${GROWTH_MIB:-16}

if [[ -z $model ]]; then
  model=models/generated/dlrm_bench_opset14/model.onnx
  [[ -f $model ]] || /usr/bin/python3 models/build_zoo.py --only dlrm_bench
fi
[[ -x build/recinfer ]] || bash scripts/build.sh recinfer

# Calibrate: iterations so that the run lasts about MINUTES (one short run at the same settings).
bench=(build/recinfer bench "$model" --random --dim batch=128 --instances 2 --cores-per-instance 1
       --concurrency 4 "${extra[@]}")
per_iter_ms=$("${bench[@]}" --iterations 200 --json 2>/dev/null |
  /usr/bin/python3 -c 'import json, sys
print(1000.0 / json.load(sys.stdin)["results"][0]["inferences_per_s"])')
iterations=$(/usr/bin/python3 -c "print(max(1000, int($minutes * 60000 / $per_iter_ms)))")
echo "== soak: ${minutes} min, $iterations requests (${per_iter_ms} ms each), RSS every ${interval}s -> $out"

mkdir -p "$(dirname "$out")"
echo "seconds,rss_kib" >"$out"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"${bench[@]}" --iterations "$iterations" >"$log" 2>&1 &
pid=$!
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [[ -n $rss ]] && echo "$(($(date +%s) - start)),$rss" >>"$out"
  sleep "$interval"
done
status=0
wait "$pid" || status=$?
cat "$log"
if ((status != 0)); then
  echo "FAIL: bench exited with $status"
  exit "$status"
fi

/usr/bin/python3 - "$out" "$growth_mib" <<'EOF'
import csv, sys
path, allowed_mib = sys.argv[1], float(sys.argv[2])
rows = [(int(r["seconds"]), int(r["rss_kib"])) for r in csv.DictReader(open(path))]
if len(rows) < 10:
    sys.exit(f"FAIL: only {len(rows)} RSS samples; run longer")
# Warm-up: the first tenth of the run, and at least its first minute (loading, plans, and
# bench's own per-request latency arrays, written once the timed phase starts).
warm = max(1, len(rows) // 10, sum(1 for t, _ in rows if t < 60))
if warm >= len(rows):
    sys.exit(f"FAIL: the run ({rows[-1][0]} s) ends within its warm-up; run longer")
warm_peak = max(kib for _, kib in rows[:warm])
after = rows[warm:]
peak = max(kib for _, kib in after)
first, last = after[0][1], after[-1][1]
print(f"samples {len(rows)} over {rows[-1][0]} s; warm-up peak {warm_peak / 1024:.1f} MiB; "
      f"after warm-up: first {first / 1024:.1f}, last {last / 1024:.1f}, "
      f"peak {peak / 1024:.1f} MiB; growth over warm-up peak {(peak - warm_peak) / 1024:+.1f} MiB")
if (peak - warm_peak) / 1024 > allowed_mib:
    sys.exit(f"FAIL: RSS grew {(peak - warm_peak) / 1024:.1f} MiB after warm-up "
             f"(allowed {allowed_mib} MiB)")
print("PASS: no RSS growth after warm-up")
EOF
