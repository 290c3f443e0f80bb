// Index handling shared by Gather and GatherElements. ONNX counts negative indices from the end;
// an index outside [-n, n) is an error and is never clamped, because a clamped embedding id
// silently returns a wrong row instead of failing the request.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>

#include "kernels/kernel.h"

namespace recinfer::kernels::embedding {

// Normalises `index` into [0, n); false when it is outside [-n, n).
inline bool wrap_index(int64_t index, int64_t n, int64_t* out) {
  if (index < -n || index >= n) return false;
  *out = index < 0 ? index + n : index;
  return true;
}

// The index at flat `position` of an int32 or int64 indices tensor (checked in infer).
inline int64_t index_at(const Tensor& indices, int64_t position) {
  return indices.dtype() == DType::kInt32 ? indices.data<int32_t>()[position]
                                          : indices.data<int64_t>()[position];
}

// Remembers the lowest flat position of a bad index seen by any worker, so the reported error
// does not depend on which thread got there first. Workers skip the copy for a bad index.
class BadIndexTracker {
 public:
  void report(int64_t position) {
    int64_t current = first_.load(std::memory_order_relaxed);
    while (position < current &&
           !first_.compare_exchange_weak(current, position, std::memory_order_relaxed)) {
    }
  }
  bool any() const { return first_.load(std::memory_order_acquire) != kNone; }
  int64_t first() const { return first_.load(std::memory_order_acquire); }

 private:
  static constexpr int64_t kNone = std::numeric_limits<int64_t>::max();
  std::atomic<int64_t> first_{kNone};
};

// The out-of-range error: names the node (via ctx), the value, where it was and the valid range.
inline Status bad_index_error(const KernelContext& ctx, const Tensor& indices, int64_t position,
                              int axis, int64_t dim) {
  return ctx.error(StatusCode::kOutOfRange,
                   "index {} at position {} of indices {} is out of range [{}, {}) for axis {}",
                   index_at(indices, position), position, indices.shape().to_string(), -dim, dim,
                   axis);
}

// Validates the indices dtype (ONNX allows only int32 and int64).
inline Status check_index_dtype(const InferContext& ctx, DType dtype) {
  if (dtype == DType::kInt32 || dtype == DType::kInt64) return Status::ok();
  return ctx.error(StatusCode::kInvalidArgument, "indices must be int32 or int64, got {}",
                   dtype_name(dtype));
}

// Data of any dtype that has a fixed element size can be gathered (the kernels copy bytes).
inline Status check_gatherable_dtype(const InferContext& ctx, DType dtype) {
  if (dtype_size(dtype) != 0) return Status::ok();
  return ctx.error(StatusCode::kUnsupported, "data dtype {} is not supported",
                   dtype_name(dtype));
}

}  // namespace recinfer::kernels::embedding
