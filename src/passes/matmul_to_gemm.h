// MatMul(X (..., K), W constant (K, N)) [+ Add(bias (N))] -> Gemm: nn.Linear on a 3-D input (and
// `x @ W + b` written by hand) exports as MatMul + Add, which runs as a batched product and a
// broadcast add. One Gemm over the rows of X folded to (rows, K), with the bias as C, computes
// the same; Reshapes (views, no copy) restore the leading dims. Later passes then fuse the
// activation (gemm-activation-fusion) and fold transposes.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_matmul_to_gemm();

}  // namespace recinfer::passes
