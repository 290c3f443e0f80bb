// How a (broadcast) batched MatMul maps onto row-major GEMMs without copying anything. Two batch
// shapes are one GEMM over the whole batch:
//  * B shared by every batch entry (batch dims all 1 or absent): (batch, M, K) x (K, N) is
//    (batch*M, K) x (K, N) — an activation times a weight, incl. (B, 1, K) x (K, N);
//  * A shared and N == 1: Y[b] = A x[b] for x of shape (batch, K, 1), so Y viewed as (batch, M)
//    is X (batch, K) times A transposed — DCN-Mix's torch.matmul(V.t(), x) on (B, D, 1) and
//    DeepCTR's torch.matmul(W, x_l). A is read in its stored (M, K) layout as a transposed B.
// Everything else runs one GEMM per output batch entry.
#pragma once

#include <cstdint>

#include "kernels/dense/matmul_shape.h"

namespace recinfer::kernels::dense {

struct MatMulFold {
  enum class Kind { kPerBatch, kRowsOfA, kColumnsOfB };
  Kind kind = Kind::kPerBatch;
  int64_t batch = 1;        // GEMMs to run
  int64_t m = 0, n = 0, k = 0;  // of each GEMM
  bool swap_operands = false;   // the GEMM's left operand is MatMul's B (kColumnsOfB)
  bool trans_b = false;         // the GEMM's right operand is read transposed (kColumnsOfB)
};

MatMulFold plan_matmul_fold(const MatMulShape& shape);

}  // namespace recinfer::kernels::dense
