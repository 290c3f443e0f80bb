#!/usr/bin/env bash
# Sets up, builds, puts the default benchmark model (the DLRM of scripts/bench.sh) into a model
# repository (models/repository/dlrm/1/model.onnx + config.json) and serves it:
# HTTP :8000, gRPC :8001, metrics :8002 (override with the usual `recinfer serve` flags).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-python
bash scripts/build.sh recinfer
model=models/generated/dlrm_bench_opset14/model.onnx
[[ -f $model ]] || /usr/bin/python3 models/build_zoo.py --only dlrm_bench
repo=models/repository
mkdir -p "$repo/dlrm"
# Version 1 is the generated model's folder (model.onnx + weights.bin), linked, not copied.
[[ -e $repo/dlrm/1 ]] || ln -s "../../generated/dlrm_bench_opset14" "$repo/dlrm/1"
[[ -f $repo/dlrm/config.json ]] || cat >"$repo/dlrm/config.json" <<'JSON'
{
  "max_batch_size": 256,
  "dynamic_batching": {"max_queue_delay_us": 500, "preferred_batch_sizes": [64, 128, 256]},
  "instances": 2,
  "cores_per_instance": 1,
  "queue": {"max_queue_size": 512, "default_timeout_us": 100000}
}
JSON
exec build/recinfer serve --model-repository "$repo" "$@"
