#!/usr/bin/env bash
# Installs what recinfer needs on Debian 12 (build, tests; --with-python adds the model-zoo tools,
# --with-fuzz the libFuzzer toolchain and the seed-corpus builder's onnx for scripts/fuzz.sh).
set -euo pipefail
# ocl-icd-opencl-dev: only "recommended" by libdnnl-dev, yet dnnl-config.cmake requires OpenCL.
packages=(build-essential cmake g++ libonnx-dev libprotobuf-dev libdnnl-dev ocl-icd-opencl-dev libgtest-dev
          libgmock-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev libfmt-dev libonnx-testdata chromium
          python3  # the idiom suite's e2e test reads its JSON expectations with python3
          # recinfer serve: HTTP, Prometheus metrics, gRPC (+ codegen); wrk and python3-grpcio
          # are the independent clients of its end-to-end tests.
          libcpp-httplib-dev prometheus-cpp-dev libgrpc++-dev protobuf-compiler-grpc wrk python3-grpcio
          curl python3-onnx python3-numpy)  # serve_e2e.py reads the zoo's reference .pb files
if [[ "${1:-}" == "--with-python" ]]; then
  packages+=(python3 python3-torch python3-onnx python3-numpy)
fi
if [[ "${1:-}" == "--with-fuzz" ]]; then
  packages+=(clang-14 libclang-rt-14-dev python3 python3-onnx python3-numpy)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
