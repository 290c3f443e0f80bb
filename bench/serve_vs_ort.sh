#!/usr/bin/env bash
# Serving peer benchmark, in one run on one machine: recinfer serve (dynamic batching) vs ONNX
# Runtime behind a minimal Node v2 server (bench/ort_v2_server.mjs, W replicas, no batching),
# both driven by `recinfer loadgen` with the same fresh Zipf requests over HTTP (binary tensors),
# plus recinfer's in-process Engine as the upper bound (no network, no batching).
#   bench/serve_vs_ort.sh [MODEL_DIR] [ROWS_PER_REQUEST] [CONCURRENCY_LIST] [SECONDS]
# Default: the zoo's dlrm_small (opset 14), 1 row per request, 1,4,16,64 clients, 5 s per step.
# Prints both tables and the throughput ratio per step; pins servers to the CPUs they may use and
# leaves the load generator unpinned (it shares the machine: state this with the results).
set -euo pipefail
cd "$(dirname "$0")/.."
model_dir=${1:-models/zoo/dlrm_small_opset14}
rows=${2:-1}
steps=${3:-1,4,16,64}
seconds=${4:-5}
cpus=$(nproc)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
[[ -d models/ort/node_modules/onnxruntime-node ]] ||
  (cd models/ort && npm install --ignore-scripts >/dev/null)

mkdir -p "$work/repo/m"
ln -s "$(realpath "$model_dir")" "$work/repo/m/1"
cat >"$work/repo/m/config.json" <<JSON
{"max_batch_size": 256, "dynamic_batching": {"max_queue_delay_us": 200},
 "instances": $cpus, "cores_per_instance": 1, "queue": {"max_queue_size": 4096}}
JSON
build/recinfer serve --model-repository "$work/repo" --http-port 18100 --grpc-port -1 \
  --metrics-port -1 --host 127.0.0.1 --ports-file "$work/ports.json" >"$work/serve.log" 2>&1 &
node bench/ort_v2_server.mjs "$model_dir/model.onnx" --name m --port 18200 --workers "$cpus" \
  --threads 1 >"$work/ort.log" 2>&1 &
for _ in $(seq 600); do
  [[ -s $work/ports.json ]] && grep -q ready "$work/ort.log" && break
  sleep 0.1
done
[[ -s $work/ports.json ]] || { cat "$work/serve.log"; exit 1; }
grep -q ready "$work/ort.log" || { cat "$work/ort.log"; exit 1; }

load=(--model m --model-file "$model_dir/model.onnx" --batch "$rows" --concurrency "$steps"
      --seconds "$seconds" --ids zipf:1.05)
echo "== machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== recinfer serve (dynamic batching, $cpus instances x 1 core)"
build/recinfer loadgen --url http://127.0.0.1:18100 "${load[@]}" --json >"$work/recinfer.json"
echo "== ONNX Runtime 1.30 behind Node ($cpus replicas x 1 thread, no batching)"
build/recinfer loadgen --url http://127.0.0.1:18200 "${load[@]}" --json >"$work/ort.json"
echo "== in-process Engine, same requests (upper bound: no network, no batching)"
build/recinfer bench "$model_dir/model.onnx" --batch "$rows" --instances "$cpus" \
  --cores-per-instance 1 --concurrency "$cpus" --iterations 2000 --ids zipf:1.05 2>/dev/null |
  grep -E '^\| [0-9]' || true
/usr/bin/python3 - "$work/recinfer.json" "$work/ort.json" <<'PY'
import json, sys
r, o = (json.load(open(p)) for p in sys.argv[1:3])
print("| clients | recinfer req/s | p50 ms | p99 ms | server batch | failed | ORT req/s | p50 ms | p99 ms | failed | throughput ratio |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for a, b in zip(r["steps"], o["steps"]):
    ratio = a["requests_per_s"] / b["requests_per_s"] if b["requests_per_s"] else float("inf")
    print(f"| {a['concurrency']} | {a['requests_per_s']:.0f} | {a['p50_ms']:.3f} | {a['p99_ms']:.3f} | "
          f"{a['server_batch']:.1f} | {a['failed']} | {b['requests_per_s']:.0f} | {b['p50_ms']:.3f} | "
          f"{b['p99_ms']:.3f} | {b['failed']} | {ratio:.1f}x |")
PY
