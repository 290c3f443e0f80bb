#!/usr/bin/env bash
# recinfer vs ONNX Runtime 1.30 on every idiom-suite model (models/idioms/*_opset*), 1 thread,
# same inputs (test_data_set_0), alternating rounds: bench/peers.py --idioms, which prints the
# per-engine table, the throughput summary and a p50 table with ORT p50 / recinfer p50.
# Models recinfer cannot run yet show their error in place of the numbers.
#   bash bench/idioms_vs_ort.sh                                  # all ~150 dirs, 3 rounds (long)
#   bash bench/idioms_vs_ort.sh --models bag_sum,cross_v2 --quick    # a smoke run on a few
#   bash bench/idioms_vs_ort.sh --recinfer /path/to/recinfer --json /tmp/idioms.json
#   bash bench/idioms_vs_ort.sh --engines recinfer,ort,torch         # + PyTorch eager
# Default binary: build/recinfer (build it: bash scripts/build.sh recinfer).
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v npm >/dev/null && [[ ! -d models/ort/node_modules/onnxruntime-node ]]; then
  (cd models/ort && npm install --ignore-scripts --no-audit --no-fund) ||
    echo "note: npm install of onnxruntime-node failed; ONNX Runtime will be skipped" >&2
fi
rounds=(--rounds 3)
for a in "$@"; do [[ $a == --rounds || $a == --rounds=* || $a == --quick ]] && rounds=(); done
PEER_BENCH_COMMAND="bash bench/idioms_vs_ort.sh${*:+ $*}" exec /usr/bin/python3 bench/peers.py --idioms "${rounds[@]}" "$@"
