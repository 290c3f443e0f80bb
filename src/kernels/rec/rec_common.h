// Helpers shared by the ai.recinfer fused-op kernels (docs/ai_recinfer_ops.md): attribute
// parsing (pooling mode, comparison, output dtype), the output-count store, id-error tracking
// across workers and per-thread scratch memory.
#pragma once

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <new>
#include <optional>
#include <string_view>
#include <vector>

#include "kernels/compare/predicate_ops.h"
#include "kernels/dispatch.h"
#include "kernels/kernel.h"

namespace recinfer::kernels::rec {

using compare::Predicate;

enum class PoolMode { kSum, kMean, kMax };

std::optional<PoolMode> parse_pool_mode(std::string_view mode);

// Reads the string attribute `mode` (default "sum"); an error naming the node otherwise.
Status pool_mode_attr(const InferContext& ctx, PoolMode* mode);
// Same parse for kernels (infer already rejected bad values, so this cannot fail there).
PoolMode pool_mode_of(const ir::Node& node);

// Equal, Greater, Less, GreaterOrEqual, LessOrEqual (the names of the ONNX ops).
std::optional<Predicate> parse_comparison(std::string_view name);

// Calls fn.template operator()<Op>() with the predicate_ops.h struct of a comparison.
template <typename Fn>
void with_comparison(Predicate predicate, Fn&& fn) {
  switch (predicate) {
    case Predicate::kEqual: fn.template operator()<compare::EqualOp>(); break;
    case Predicate::kGreater: fn.template operator()<compare::GreaterOp>(); break;
    case Predicate::kGreaterOrEqual: fn.template operator()<compare::GreaterOrEqualOp>(); break;
    case Predicate::kLess: fn.template operator()<compare::LessOp>(); break;
    default: fn.template operator()<compare::LessOrEqualOp>(); break;
  }
}

// Reads the string attribute `comparison`; empty (or absent) is allowed only when
// `allow_empty`, and then leaves *predicate unset.
Status comparison_attr(const InferContext& ctx, bool allow_empty,
                       std::optional<Predicate>* predicate);

// The value dtypes the counting ops compare.
inline constexpr uint32_t kCompareDTypes =
    bit(DType::kInt64) | bit(DType::kInt32) | bit(DType::kFloat32);

// The output dtype of a count from the ONNX `to` code: float32, float64, int32 or int64, as
// ReduceSum(Cast(to)) of these dtypes is what the fused ops replace. Other codes are reported
// as unsupported (bool/int8/... counts are not a ReduceSum output recinfer computes).
Status count_dtype_attr(const InferContext& ctx, DType* dtype);
inline constexpr uint32_t kCountDTypes =
    bit(DType::kFloat32) | bit(DType::kFloat64) | bit(DType::kInt32) | bit(DType::kInt64);

// Calls fn(To*) with the output's data typed as its count dtype (checked in infer).
template <typename Fn>
void with_count_output(Tensor& out, Fn&& fn) {
  switch (out.dtype()) {
    case DType::kFloat32: fn(out.data<float>()); break;
    case DType::kFloat64: fn(out.data<double>()); break;
    case DType::kInt32: fn(out.data<int32_t>()); break;
    default: fn(out.data<int64_t>()); break;
  }
}

// Lowest (group, bag, position) of a bad id seen by any worker, so the reported error does not
// depend on thread timing. Locks only when an error is reported.
class BadIdTracker {
 public:
  void report(int64_t group, int64_t bag, int64_t position) {
    std::lock_guard<std::mutex> lock(mutex_);
    const Key key{group, bag, position};
    if (!any_ || key < first_) first_ = key;
    any_ = true;
  }
  bool any() const { return any_; }  // read after the parallel_for has joined
  int64_t group() const { return first_.group; }
  int64_t bag() const { return first_.bag; }
  int64_t position() const { return first_.position; }

 private:
  struct Key {
    int64_t group = 0, bag = 0, position = 0;
    bool operator<(const Key& o) const {
      if (group != o.group) return group < o.group;
      if (bag != o.bag) return bag < o.bag;
      return position < o.position;
    }
  };
  std::mutex mutex_;
  bool any_ = false;
  Key first_;
};

// Per-thread scratch of at least n elements of T, or nullptr if it cannot be allocated. The
// buffer only grows: the first run at a new high-water size allocates, every later run with
// the same or smaller shapes reuses it, so steady-state compute does not touch the heap.
// thread_local rather than a kernel member because one compiled kernel is shared by all
// instances and may run concurrently; the memory is freed when the thread exits. Valid until
// the next scratch_buffer<T> call on the same thread; workers of a parallel_for may read the
// caller's buffer through the returned pointer.
template <typename T>
T* scratch_buffer(size_t n) {
  thread_local std::vector<T> buffer;
  if (buffer.size() < n) {
    try {
      buffer.resize(std::max(n, buffer.size() * 2));
    } catch (const std::bad_alloc&) {
      return nullptr;
    }
  }
  return buffer.data();
}

inline Status scratch_error(const KernelContext& ctx, int64_t elements, size_t element_size) {
  return ctx.error(StatusCode::kInternal, "cannot allocate {} bytes of scratch memory",
                   elements * static_cast<int64_t>(element_size));
}

// Prefetches the first bytes of a row that is about to be read (ids are random, so each row is
// a likely cache miss; the hardware prefetcher follows the rest of a long row).
inline void prefetch_row(const void* row, int64_t bytes) {
  constexpr int64_t kPrefetchBytes = 256;
  const int64_t limit = std::min(bytes, kPrefetchBytes);
  for (int64_t offset = 0; offset < limit; offset += 64) {
    __builtin_prefetch(static_cast<const char*>(row) + offset, 0, 1);
  }
}

// Checks that `info` has one of the id dtypes (int32/int64), naming the input.
Status check_id_input(const InferContext& ctx, const TensorInfo& info, std::string_view what);

}  // namespace recinfer::kernels::rec
