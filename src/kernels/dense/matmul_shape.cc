#include "kernels/dense/matmul_shape.h"

#include <algorithm>

namespace recinfer::kernels::dense {

Result<MatMulShape> matmul_shape(const Shape& a, const Shape& b) {
  if (a.rank() < 1 || b.rank() < 1) {
    return invalid_argument("operands must have rank >= 1, got A {} and B {}",
                            a.to_string(), b.to_string());
  }
  MatMulShape s;
  const int a_rank = a.rank();
  const int b_rank = b.rank();
  s.m = a_rank == 1 ? 1 : a[a_rank - 2];
  s.k = a[a_rank - 1];
  const int64_t b_k = b_rank == 1 ? b[0] : b[b_rank - 2];
  s.n = b_rank == 1 ? 1 : b[b_rank - 1];
  if (s.k != b_k) {
    return invalid_argument("shapes do not match: A {} has K={} but B {} has K={}",
                            a.to_string(), s.k, b.to_string(), b_k);
  }
  const int a_batch_rank = std::max(a_rank - 2, 0);
  const int b_batch_rank = std::max(b_rank - 2, 0);
  const int batch_rank = std::max(a_batch_rank, b_batch_rank);
  for (int d = 0; d < batch_rank; ++d) {
    const int a_d = d - (batch_rank - a_batch_rank);
    const int b_d = d - (batch_rank - b_batch_rank);
    const int64_t a_dim = a_d >= 0 ? a[a_d] : 1;
    const int64_t b_dim = b_d >= 0 ? b[b_d] : 1;
    if (a_dim != b_dim && a_dim != 1 && b_dim != 1) {
      return invalid_argument(
          "batch dims do not broadcast: A {} and B {} differ in batch dim {} ({} vs {})",
          a.to_string(), b.to_string(), d, a_dim, b_dim);
    }
    s.a_batch.push_back(a_dim);
    s.b_batch.push_back(b_dim);
    s.batch.push_back(a_dim == 1 ? b_dim : a_dim);
  }
  s.out = s.batch;
  if (a_rank >= 2) s.out.push_back(s.m);
  if (b_rank >= 2) s.out.push_back(s.n);
  return s;
}

BatchOffsets::BatchOffsets(const MatMulShape& shape) : rank_(shape.batch.rank()) {
  int64_t a_stride = shape.m * shape.k;
  int64_t b_stride = shape.k * shape.n;
  for (int d = rank_ - 1; d >= 0; --d) {
    dims_[d] = shape.batch[d];
    a_strides_[d] = shape.a_batch[d] == 1 ? 0 : a_stride;
    b_strides_[d] = shape.b_batch[d] == 1 ? 0 : b_stride;
    a_stride *= shape.a_batch[d];
    b_stride *= shape.b_batch[d];
  }
}

void BatchOffsets::at(int64_t batch_index, int64_t* a_offset, int64_t* b_offset) const {
  int64_t a = 0;
  int64_t b = 0;
  int64_t rest = batch_index;
  for (int d = rank_ - 1; d >= 0; --d) {
    const int64_t c = rest % dims_[d];
    rest /= dims_[d];
    a += c * a_strides_[d];
    b += c * b_strides_[d];
  }
  *a_offset = a;
  *b_offset = b;
}

}  // namespace recinfer::kernels::dense
