#include "kernels/dense/matmul_fold.h"

namespace recinfer::kernels::dense {

MatMulFold plan_matmul_fold(const MatMulShape& s) {
  MatMulFold fold;
  fold.batch = s.batch.numel();
  fold.m = s.m;
  fold.n = s.n;
  fold.k = s.k;
  if (fold.batch <= 1) return fold;  // already one GEMM
  if (s.b_batch.numel() == 1) {
    // B's batch dims are all 1, so A's are the output's: A's matrices are contiguous rows.
    fold.kind = MatMulFold::Kind::kRowsOfA;
    fold.m = s.m * fold.batch;
    fold.batch = 1;
  } else if (s.a_batch.numel() == 1 && s.n == 1) {
    // B's matrices are (K, 1) columns stored back to back: B is a (batch, K) matrix, and the
    // output's (M, 1) columns are the rows of a (batch, M) matrix.
    fold.kind = MatMulFold::Kind::kColumnsOfB;
    fold.m = fold.batch;
    fold.n = s.m;
    fold.batch = 1;
    fold.swap_operands = true;
    fold.trans_b = s.m > 1;  // a (1, K) row is its own (K, 1) transpose
  }
  return fold;
}

}  // namespace recinfer::kernels::dense
