#include "kernels/elementwise/broadcast.h"

namespace recinfer::kernels {

Status broadcast_shapes(const Shape& a, const Shape& b, Shape* out) {
  const int rank = std::max(a.rank(), b.rank());
  Shape result;
  result.resize(rank);
  for (int i = 0; i < rank; ++i) {
    // Right-aligned: axis i of the result is axis i - (rank - input rank) of each input.
    const int ia = i - (rank - a.rank());
    const int ib = i - (rank - b.rank());
    const int64_t da = ia >= 0 ? a[ia] : 1;
    const int64_t db = ib >= 0 ? b[ib] : 1;
    if (da == db || db == 1) {
      result[i] = da;
    } else if (da == 1) {
      result[i] = db;
    } else {
      return invalid_argument(
          "shapes {} and {} cannot be broadcast together: dimension {} vs {} at output axis {}",
          a.to_string(), b.to_string(), da, db, i);
    }
  }
  *out = result;
  return Status::ok();
}

bool broadcasts_to(const Shape& in, const Shape& out) {
  if (in.rank() > out.rank()) return false;
  const int shift = out.rank() - in.rank();
  for (int i = 0; i < in.rank(); ++i) {
    if (in[i] != 1 && in[i] != out[i + shift]) return false;
  }
  return true;
}

BinaryPlan make_binary_plan(const Shape& out, const Shape& lhs, const Shape& rhs) {
  BinaryPlan plan;
  plan.numel = out.numel();
  // Per output axis: keep it unless its size is 1 (it contributes nothing to any offset), and
  // record whether each input is broadcast (size 1) along it.
  int64_t dims[Shape::kMaxRank];
  bool lhs_bcast[Shape::kMaxRank];
  bool rhs_bcast[Shape::kMaxRank];
  int kept = 0;
  const int lhs_shift = out.rank() - lhs.rank();
  const int rhs_shift = out.rank() - rhs.rank();
  for (int i = 0; i < out.rank(); ++i) {
    if (out[i] == 1) continue;
    dims[kept] = out[i];
    lhs_bcast[kept] = i < lhs_shift || lhs[i - lhs_shift] == 1;
    rhs_bcast[kept] = i < rhs_shift || rhs[i - rhs_shift] == 1;
    ++kept;
  }
  if (kept == 0) {  // scalar-like output: one element read from offset 0 of each input
    plan.rank = 1;
    plan.dims[0] = 1;
    plan.lhs_strides[0] = 0;
    plan.rhs_strides[0] = 0;
    return plan;
  }
  // Merge runs of adjacent axes whose broadcast pattern is identical on both sides: they are
  // one contiguous (or one fully repeated) block for each input.
  int rank = 0;
  bool merged_lhs[Shape::kMaxRank];
  bool merged_rhs[Shape::kMaxRank];
  for (int i = 0; i < kept; ++i) {
    if (rank > 0 && merged_lhs[rank - 1] == lhs_bcast[i] && merged_rhs[rank - 1] == rhs_bcast[i]) {
      plan.dims[rank - 1] *= dims[i];
    } else {
      plan.dims[rank] = dims[i];
      merged_lhs[rank] = lhs_bcast[i];
      merged_rhs[rank] = rhs_bcast[i];
      ++rank;
    }
  }
  plan.rank = rank;
  // Strides of a broadcast axis are 0; the others are contiguous over the input's own
  // non-broadcast axes, which are exactly the merged axes it does not broadcast along.
  int64_t lhs_stride = 1;
  int64_t rhs_stride = 1;
  for (int d = rank - 1; d >= 0; --d) {
    plan.lhs_strides[d] = merged_lhs[d] ? 0 : lhs_stride;
    plan.rhs_strides[d] = merged_rhs[d] ? 0 : rhs_stride;
    if (!merged_lhs[d]) lhs_stride *= plan.dims[d];
    if (!merged_rhs[d]) rhs_stride *= plan.dims[d];
  }
  return plan;
}

int64_t broadcast_offset(const Shape& out, const Shape& in, int64_t out_index) {
  const int shift = out.rank() - in.rank();
  int64_t offset = 0;
  int64_t stride = 1;
  for (int i = out.rank() - 1; i >= shift; --i) {
    const int64_t coord = out_index % out[i];
    out_index /= out[i];
    const int64_t in_dim = in[i - shift];
    if (in_dim != 1) offset += coord * stride;
    stride *= in_dim;
  }
  return offset;
}

}  // namespace recinfer::kernels
