// numpy.matmul shape rules, shared by MatMul's infer, kernel and reference: a 1-D A is (1, K) and
// a 1-D B is (K, 1), with the promoted dim dropped from the output; the leading (batch) dims
// broadcast against each other like elementwise ops.
#pragma once

#include <cstdint>

#include "recinfer/shape.h"
#include "recinfer/status.h"

namespace recinfer::kernels::dense {

struct MatMulShape {
  int64_t m = 0, n = 0, k = 0;
  Shape batch;    // broadcast batch dims of the output
  Shape a_batch;  // A's batch dims right-aligned to batch's rank (1 where A has none)
  Shape b_batch;  // likewise for B
  Shape out;      // output shape, promoted dims squeezed
};

// Error (kInvalidArgument, message naming both shapes) when the shapes do not multiply.
Result<MatMulShape> matmul_shape(const Shape& a, const Shape& b);

// Element offsets of the A and B matrices of one output batch index, following broadcasting
// (a broadcast dim has stride 0). Fixed-size storage: usable in compute without allocating.
class BatchOffsets {
 public:
  explicit BatchOffsets(const MatMulShape& shape);
  void at(int64_t batch_index, int64_t* a_offset, int64_t* b_offset) const;

 private:
  int rank_ = 0;
  int64_t dims_[Shape::kMaxRank] = {};
  int64_t a_strides_[Shape::kMaxRank] = {};
  int64_t b_strides_[Shape::kMaxRank] = {};
};

}  // namespace recinfer::kernels::dense
