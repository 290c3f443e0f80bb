// Shared pieces of the Reduce* ops: where the axes come from, which dims are
// reduced, the output shape, and the merged layout the fast paths are chosen from.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.h"
#include "kernels/parallel.h"
#include "recinfer/shape.h"
#include "recinfer/status.h"
#include "recinfer/tensor.h"

namespace recinfer::kernels::reduce {

enum class ReduceKind { kSum, kMean, kMax, kMin, kProd, kL1, kL2, kLogSum, kSumSquare, kLogSumExp };

// What the node's opset and attributes say about axes.
struct ReduceConfig {
  bool axes_from_input = false;       // ReduceSum from opset 13 (and every reduce from 18)
  bool keepdims = true;
  bool noop_with_empty_axes = false;  // only meaningful when axes come from the input
  std::vector<int64_t> attr_axes;     // when axes come from the attribute
};

ReduceConfig reduce_config(const ir::Node& node);

// Bit d of *mask is set when dim d is reduced. `axes` is the axes input (nullptr when omitted);
// ignored when the config reads axes from the attribute. An empty axes list reduces every dim,
// unless noop_with_empty_axes, which reduces none. Errors name the offending axis.
Status resolve_reduce_mask(const ReduceConfig& config, const Tensor* axes, int rank,
                           uint32_t* mask);

Shape reduce_output_shape(const Shape& input, uint32_t mask, bool keepdims);

// The input as blocks of adjacent dims merged by kind (kept/reduced), size-1 dims dropped.
// Only meaningful for inputs with at least one element.
struct ReduceLayout {
  int count = 0;
  int64_t size[Shape::kMaxRank] = {};
  bool reduced[Shape::kMaxRank] = {};
};

ReduceLayout reduce_layout(const Shape& input, uint32_t mask);

// outer x reduced x inner view when the layout has a single reduced block (possibly with a kept
// block on either side); false for layouts that need the general path.
struct ReduceSplit {
  int64_t outer = 1;
  int64_t reduced = 1;
  int64_t inner = 1;
};
bool reduce_split(const ReduceLayout& layout, ReduceSplit* split);

// y = reduce(x) over the dims in mask; y already has the output shape. Dtype must be numeric
// (checked by infer). The fast version picks a contiguous-rows, middle-axis or whole-tensor path
// from the layout; the reference walks every input element once.
Status reduce_fast(ReduceKind kind, const Tensor& x, uint32_t mask, Tensor& y,
                   ParallelFor& parallel);
Status reduce_reference(ReduceKind kind, const Tensor& x, uint32_t mask, Tensor& y);

// ReduceLogSumExp: log(sum(exp(x - max))) + max per output, so large values do not overflow.
Status log_sum_exp_fast(const Tensor& x, uint32_t mask, Tensor& y, ParallelFor& parallel);
Status log_sum_exp_reference(const Tensor& x, uint32_t mask, Tensor& y);

}  // namespace recinfer::kernels::reduce
