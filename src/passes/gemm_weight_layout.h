// Gemm/FusedGemm with a constant float32 B stored (N, K) and transB = 1 — nn.Linear's weight
// layout — gets B transposed once, at load, to (K, N) with transB = 0. Measured with dnnl_sgemm
// on one thread (AMD EPYC, AVX-512) on the zoo's layer shapes, e.g. (64, 208) x (208, 256):
// 27.0 µs with B as (K, N) against 29.8 µs transposed; 8-15% across (64..400) x (128..600) x
// (32..256). Weights above 64 MiB are left alone (the copy would double their memory).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_gemm_weight_layout();

}  // namespace recinfer::passes
