#!/usr/bin/env bash
# Sets up, builds, generates the default benchmark model (DLRM, 26 tables x 100k x 64, batch 128,
# as torch.onnx.export writes it) and runs `recinfer bench` on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-python
bash scripts/build.sh recinfer
model=models/generated/dlrm_bench_opset14/model.onnx
[[ -f $model ]] || /usr/bin/python3 models/build_zoo.py --only dlrm_bench
build/recinfer bench "$model" --threads "${THREADS:-1}" --iterations "${ITERATIONS:-50}" "$@"
