// EmbeddingBag internals shared by the optimised kernel (embedding_bag.cc) and the naive
// reference (embedding_bag_reference.cc): one group's tensors, bag bounds and the id error.
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/embedding/index_check.h"
#include "kernels/kernel.h"

namespace recinfer::kernels::rec {

inline constexpr int kInputsPerGroup = 5;

inline int num_groups(int num_inputs) {
  return (num_inputs + kInputsPerGroup - 1) / kInputsPerGroup;
}

// Group t of an EmbeddingBag node at run time (shapes and dtypes were checked by infer).
struct BagGroup {
  const Tensor* table = nullptr;
  const Tensor* indices = nullptr;
  const Tensor* starts = nullptr;
  const Tensor* ends = nullptr;     // nullptr: offsets form (ends from the next start)
  const float* weights = nullptr;   // nullptr: unweighted
  float* out = nullptr;             // nullptr when the output is not consumed
  int64_t rows = 0;
  int64_t dim = 0;
  int64_t num_ids = 0;
  int64_t num_bags = 0;
};

inline BagGroup bag_group(KernelContext& ctx, int group) {
  BagGroup g;
  const int base = group * kInputsPerGroup;
  g.table = ctx.input(base);
  g.indices = ctx.input(base + 1);
  g.starts = ctx.input(base + 2);
  g.ends = ctx.input(base + 3);
  const Tensor* weights = ctx.input(base + 4);
  g.weights = weights != nullptr ? weights->data<float>() : nullptr;
  g.out = ctx.has_output(group) ? ctx.output(group).data<float>() : nullptr;
  g.rows = g.table->shape()[0];
  g.dim = g.table->shape()[1];
  g.num_ids = g.indices->numel();
  g.num_bags = g.ends != nullptr ? g.ends->numel() : g.starts->numel();
  return g;
}

// Plans may leave the id count free (ragged inputs, runtime/plan_key.h), so the weights' length
// that infer checked for one request is checked again for each.
inline Status check_weight_lengths(const KernelContext& ctx) {
  for (int t = 0; t < num_groups(ctx.num_inputs()); ++t) {
    const Tensor* indices = ctx.input(t * kInputsPerGroup + 1);
    const Tensor* weights = ctx.input(t * kInputsPerGroup + 4);
    if (weights != nullptr && weights->numel() != indices->numel()) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "weights of group {} must have one value per id ({}), got {}", t,
                       indices->numel(), weights->numel());
    }
  }
  return Status::ok();
}

// Bag bounds must describe bags of the id list, or the pooled rows are silently wrong (NaN means
// of empty bags, rows shifted between samples): in the offsets form (torch's `offsets`) every
// start lies in [0, N] and they never decrease; with explicit ends every start lies in [0, N]
// and every end is at least its start (an end past N reads to the end of the ids: exporters
// write INT64_MAX for that). One pass over the B bounds of each group, not per id.
inline Status check_bag_bounds(const KernelContext& ctx, const BagGroup& g, int group) {
  using embedding::index_at;
  const char* starts_name = g.ends != nullptr ? "starts" : "offsets";
  int64_t previous = 0;
  for (int64_t b = 0; b < g.num_bags; ++b) {
    const int64_t start = index_at(*g.starts, b);
    if (start < 0 || start > g.num_ids) {
      return ctx.error(StatusCode::kOutOfRange,
                       "{} of group {}: value {} at position {} is outside [0, {}] (the id count)",
                       starts_name, group, start, b, g.num_ids);
    }
    if (g.ends == nullptr) {
      if (start < previous) {
        return ctx.error(StatusCode::kInvalidArgument,
                         "offsets of group {} must be non-decreasing: value {} at position {} "
                         "follows {}",
                         group, start, b, previous);
      }
      previous = start;
    } else if (const int64_t end = index_at(*g.ends, b); end < start) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "ends of group {}: value {} at position {} is before its start {}", group,
                       end, b, start);
    }
  }
  return Status::ok();
}

inline Status check_all_bag_bounds(KernelContext& ctx) {
  for (int t = 0; t < num_groups(ctx.num_inputs()); ++t) {
    RI_RETURN_IF_ERROR(check_bag_bounds(ctx, bag_group(ctx, t), t));
  }
  return Status::ok();
}

// ONNX Slice bound on an axis of n elements, step 1: negative counts from the end, then clamped.
inline int64_t slice_bound(int64_t value, int64_t n) {
  if (value < 0) value += n;
  return std::clamp<int64_t>(value, 0, n);
}

// Bag b is indices[*begin, *end).
inline void bag_bounds(const BagGroup& g, int64_t b, int64_t* begin, int64_t* end) {
  using embedding::index_at;
  *begin = slice_bound(index_at(*g.starts, b), g.num_ids);
  const int64_t e = g.ends != nullptr      ? index_at(*g.ends, b)
                    : b + 1 < g.num_bags   ? index_at(*g.starts, b + 1)
                                           : g.num_ids;
  *end = std::max(*begin, slice_bound(e, g.num_ids));
}

// The id error: names the node (via ctx), the group, the id, its position and bag, the range.
inline Status bad_bag_id_error(const KernelContext& ctx, const BagGroup& g, int64_t group,
                               int64_t bag, int64_t position) {
  return ctx.error(StatusCode::kOutOfRange,
                   "id {} at position {} of indices of group {} (bag {}) is out of range [{}, {}) "
                   "for table {} of shape {}",
                   embedding::index_at(*g.indices, position), position, group, bag, -g.rows,
                   g.rows, group, g.table->shape().to_string());
}

}  // namespace recinfer::kernels::rec
