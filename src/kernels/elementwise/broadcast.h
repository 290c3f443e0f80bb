// ONNX multidirectional (numpy) broadcasting for the elementwise family: output-shape inference
// and a strided iteration engine whose inner loops are plain contiguous loops the compiler can
// vectorise. Shapes are collapsed first (size-1 output dims dropped, adjacent dims with the same
// broadcast pattern merged), so "same shape", "one side scalar" and "row broadcast of the last
// dim" all become rank-1 or rank-2 plans with long inner loops; no allocation anywhere.
//
// Thread-safety: plans are plain values; the run_* functions only read inputs and write
// disjoint output ranges per parallel chunk.
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/parallel.h"
#include "recinfer/shape.h"
#include "recinfer/status.h"

namespace recinfer::kernels {

// Elements per parallel chunk: large enough that scheduling cost is noise next to the loop,
// small enough that a 1M-element Add still splits across cores.
inline constexpr int64_t kElementwiseGrain = 16384;

// The broadcast of a and b; an invalid-argument error naming both shapes when incompatible.
Status broadcast_shapes(const Shape& a, const Shape& b, Shape* out);
// True when `in` broadcasts to exactly `out` (used when accumulating into an output whose
// shape came from all inputs together).
bool broadcasts_to(const Shape& in, const Shape& out);

// How to walk two inputs while writing an output of `dims` (collapsed, row-major).
struct BinaryPlan {
  int rank = 1;  // >= 1 after collapsing; a scalar output is rank 1 of size 1
  int64_t dims[Shape::kMaxRank] = {1};
  int64_t lhs_strides[Shape::kMaxRank] = {0};  // element strides; 0 on broadcast dims
  int64_t rhs_strides[Shape::kMaxRank] = {0};
  int64_t numel = 1;
};

// Requires broadcasts_to(lhs, out) and broadcasts_to(rhs, out) (infer already checked it).
BinaryPlan make_binary_plan(const Shape& out, const Shape& lhs, const Shape& rhs);

namespace broadcast_detail {

// One stretch of the innermost dimension: each side is either contiguous (stride 1) or a
// repeated scalar (stride 0). Four separate loops so every one of them vectorises.
// always_inline (here and in run_range) so the ISA variants in avx2/ compile these loops under
// their own target attribute instead of calling the baseline copy.
template <typename Out, typename A, typename B, typename Fn>
[[gnu::always_inline]] inline void inner_loop(const A* a, int64_t a_stride, const B* b,
                                              int64_t b_stride, Out* out, int64_t n, const Fn& fn) {
  if (a_stride != 0 && b_stride != 0) {
    for (int64_t i = 0; i < n; ++i) out[i] = fn(a[i], b[i]);
  } else if (b_stride != 0) {
    const A av = a[0];
    for (int64_t i = 0; i < n; ++i) out[i] = fn(av, b[i]);
  } else if (a_stride != 0) {
    const B bv = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = fn(a[i], bv);
  } else {
    const Out v = fn(a[0], b[0]);
    for (int64_t i = 0; i < n; ++i) out[i] = v;
  }
}

// Output elements [begin, end) of the plan: locate the starting row once by division, then
// advance an odometer over the outer dims row by row.
template <typename Out, typename A, typename B, typename Fn>
[[gnu::always_inline]] inline void run_range(const BinaryPlan& plan, const A* a, const B* b,
                                             Out* out, int64_t begin, int64_t end, const Fn& fn) {
  const int last = plan.rank - 1;
  const int64_t inner = plan.dims[last];
  int64_t index[Shape::kMaxRank] = {};
  int64_t row = begin / inner;
  int64_t col = begin % inner;
  int64_t a_offset = 0;
  int64_t b_offset = 0;
  for (int d = last - 1; d >= 0; --d) {
    index[d] = row % plan.dims[d];
    row /= plan.dims[d];
    a_offset += index[d] * plan.lhs_strides[d];
    b_offset += index[d] * plan.rhs_strides[d];
  }
  const int64_t a_inner = plan.lhs_strides[last];
  const int64_t b_inner = plan.rhs_strides[last];
  for (int64_t pos = begin; pos < end;) {
    const int64_t n = std::min(inner - col, end - pos);
    inner_loop(a + a_offset + col * a_inner, a_inner, b + b_offset + col * b_inner, b_inner,
               out + pos, n, fn);
    pos += n;
    col = 0;
    for (int d = last - 1; d >= 0; --d) {
      a_offset += plan.lhs_strides[d];
      b_offset += plan.rhs_strides[d];
      if (++index[d] < plan.dims[d]) break;
      a_offset -= plan.lhs_strides[d] * plan.dims[d];
      b_offset -= plan.rhs_strides[d] * plan.dims[d];
      index[d] = 0;
    }
  }
}

}  // namespace broadcast_detail

// An ISA-specific build of run_range for one (types, functor) combination (see avx2/).
using BinaryRangeFn = void (*)(const BinaryPlan& plan, const void* lhs, const void* rhs, void* out,
                               int64_t begin, int64_t end);

// out[i] = fn(lhs[.], rhs[.]) over the plan, split across threads in kElementwiseGrain chunks;
// through `wide` when given (it must compute the same functor). `out` may alias an input whose
// shape equals the output shape (each element is read before it is written at the same index),
// which Sum/Min/Max use to accumulate in place.
template <typename Out, typename A, typename B, typename Fn>
void run_binary(ParallelFor& parallel, const BinaryPlan& plan, const A* lhs, const B* rhs, Out* out,
                const Fn& fn, BinaryRangeFn wide = nullptr) {
  if (plan.numel == 0) return;
  if (wide != nullptr) {
    parallel.run(plan.numel, kElementwiseGrain,
                 [&](int64_t begin, int64_t end) { wide(plan, lhs, rhs, out, begin, end); });
    return;
  }
  parallel.run(plan.numel, kElementwiseGrain, [&](int64_t begin, int64_t end) {
    broadcast_detail::run_range(plan, lhs, rhs, out, begin, end, fn);
  });
}

// Naive reference walk: for every output element, unravel its index over the uncollapsed output
// shape and compute each input's offset from that input's own shape. Deliberately shares no
// logic with the plan, so tests comparing the two check the collapsing and the fast paths.
int64_t broadcast_offset(const Shape& out, const Shape& in, int64_t out_index);

}  // namespace recinfer::kernels
