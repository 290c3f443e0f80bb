// Byte-movement primitives for the shape/layout kernels. They never allocate and split large
// work through ctx.parallel_for; callers pass element sizes, so every fixed-size dtype works.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "kernels/kernel.h"

namespace recinfer::kernels::layout {

// memcpy, skipped when dst == src (the planner may alias a view op's output to its input) and
// split into chunks when large enough for threads to help.
void copy_bytes(KernelContext& ctx, void* dst, const void* src, size_t bytes);

// dst[0..count) = *value, each element `elem_size` bytes.
void fill_elements(KernelContext& ctx, void* dst, int64_t count, const void* value,
                   size_t elem_size);

// A read pattern over a source buffer: output element at index (i0..ik) is read from source
// element sum(i_d * strides[d]). Strides are in elements; 0 broadcasts, negative walks backwards.
struct StridedView {
  int rank = 0;
  std::array<int64_t, Shape::kMaxRank> dims{};
  std::array<int64_t, Shape::kMaxRank> strides{};
};

// Drops size-1 dims and merges neighbours that are contiguous with each other in the source, so
// the inner loop runs over runs as long as possible. A view with a zero dim keeps that dim.
StridedView coalesce(const StridedView& view);

// Writes the view's elements to the contiguous dst, in row-major output order. `src` points at
// the source element of output index (0, ..., 0).
void strided_copy(KernelContext& ctx, const void* src, void* dst, size_t elem_size,
                  const StridedView& view);

// Row-major element strides of `shape`.
std::array<int64_t, Shape::kMaxRank> contiguous_strides(const Shape& shape);

}  // namespace recinfer::kernels::layout
