// BatchMatMul with a broadcast operand: MatMul(A (..., M, K), Expand(W (K, N), (..., K, N))) is
// what `x @ w.expand(b, k, n)` / `bmm(x, w.unsqueeze(0).expand(b, -1, -1))` export. MatMul
// broadcasts a 2-D operand itself, so the Expand (a copy of W per batch entry) is dropped and
// the product becomes one GEMM over the folded rows (matmul-to-gemm). Only when the expanded
// batch dims add nothing to A's, so the output shape is unchanged.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_expand_matmul_folding();

}  // namespace recinfer::passes
