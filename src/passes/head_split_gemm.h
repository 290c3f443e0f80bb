// Per-head projections written as a batched MatMul: Reshape(X (N, H·K) -> (N, H, K)) ->
// Transpose(1, 0, 2) -> MatMul(W (H, K, O)) -> [Relu|Sigmoid|Tanh] -> Transpose(1, 0, 2) ->
// Reshape(N, H·O). The two transposes copy the whole activation; one Gemm of X with the
// block-diagonal (H·K, H·O) weight computes the same (N, H·O) result without them. The Gemm
// kernel finds the blocks in the constant weight and multiplies each head over its own K range
// only (kernels/dense/gemm_blocks.h), so the zero blocks cost no FLOPs; H <= 2 is what has been
// measured (the (400, 600) x (600, 32) head Gemm of coarse_rank: 0.13 ms with the zero blocks
// multiplied, against 0.28 ms for the transposes and the batched MatMul, 1 thread).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_head_split_gemm();

}  // namespace recinfer::passes
