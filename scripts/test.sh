#!/usr/bin/env bash
# Sets up, builds and runs every test: unit tests, ONNX conformance, model-zoo end-to-end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 1500
