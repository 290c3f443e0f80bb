#!/usr/bin/env bash
# Peer benchmark: recinfer vs ONNX Runtime 1.30 (onnxruntime-node) vs PyTorch 1.13 eager on every
# zoo model and the 26x100k x 64 DLRM, at 1 and 2 threads, plus a roofline; see bench/peers.py.
# Installs what it needs (Debian packages via scripts/setup.sh, node + npm, onnxruntime-node in
# models/ort), builds the CLI (scripts/build.sh recinfer; skipped when --recinfer PATH is given),
# generates the big DLRM when missing (skipped with --no-big), then runs the driver with all
# arguments passed through:
#   bash scripts/peer_bench.sh                    # full run, ~10-15 min
#   bash scripts/peer_bench.sh --quick            # smoke run: 1 round, short rounds, 1 thread
#   bash scripts/peer_bench.sh --write-results    # also writes bench/RESULTS.md
# A missing peer (no node, no torch) is reported and skipped, not fatal.
set -euo pipefail
cd "$(dirname "$0")/.."

own_binary=0 big=1
for a in "$@"; do
  case "$a" in
    --recinfer|--recinfer=*) own_binary=1 ;;
    --no-big) big=0 ;;
    -h|--help) exec /usr/bin/python3 bench/peers.py --help ;;
  esac
done

bash scripts/setup.sh --with-python || echo "note: scripts/setup.sh failed; continuing with what is installed" >&2

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  { "${sudo_cmd[@]}" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends nodejs npm; } ||
    echo "note: could not install node/npm; ONNX Runtime will be skipped" >&2
fi
if command -v npm >/dev/null && [[ ! -d models/ort/node_modules/onnxruntime-node ]]; then
  (cd models/ort && npm install --ignore-scripts --no-audit --no-fund) ||
    echo "note: npm install of onnxruntime-node failed; ONNX Runtime will be skipped" >&2
fi

((own_binary)) || bash scripts/build.sh recinfer

model=models/generated/dlrm_bench_opset14/model.onnx
if ((big)) && [[ ! -f $model ]]; then
  /usr/bin/python3 models/build_zoo.py --only dlrm_bench ||
    echo "note: generating dlrm_bench failed; benchmarking the small zoo models only" >&2
fi

PEER_BENCH_COMMAND="bash scripts/peer_bench.sh${*:+ $*}" exec /usr/bin/python3 bench/peers.py "$@"
