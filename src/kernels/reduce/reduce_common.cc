#include "kernels/reduce/reduce_common.h"

namespace recinfer::kernels::reduce {

ReduceConfig reduce_config(const ir::Node& node) {
  ReduceConfig config;
  // ReduceSum moved axes to an input in opset 13; the other reductions only in opset 18.
  config.axes_from_input = (node.op == ir::OpType::kReduceSum && node.opset >= 13) ||
                           node.opset >= 18;
  config.keepdims = node.attr_int("keepdims", 1) != 0;
  config.noop_with_empty_axes =
      config.axes_from_input && node.attr_int("noop_with_empty_axes", 0) != 0;
  if (!config.axes_from_input) config.attr_axes = node.attr_ints("axes");
  return config;
}

namespace {

Status add_axis(int64_t axis, int rank, uint32_t* mask) {
  int normalized = 0;
  if (!normalize_axis(axis, rank, &normalized)) {
    return out_of_range("axis {} is out of range for rank {}", axis, rank);
  }
  const uint32_t bit = 1u << normalized;
  if ((*mask & bit) != 0) return invalid_argument("axis {} is repeated in axes", axis);
  *mask |= bit;
  return Status::ok();
}

}  // namespace

Status resolve_reduce_mask(const ReduceConfig& config, const Tensor* axes, int rank,
                           uint32_t* mask) {
  *mask = 0;
  int64_t count = 0;
  if (!config.axes_from_input) {
    count = static_cast<int64_t>(config.attr_axes.size());
    for (int64_t axis : config.attr_axes) RI_RETURN_IF_ERROR(add_axis(axis, rank, mask));
  } else if (axes != nullptr) {
    if (axes->rank() > 1) {
      return invalid_argument("axes input must be 1-D, got shape {}", axes->shape().to_string());
    }
    count = axes->numel();
    if (axes->dtype() == DType::kInt64) {
      for (int64_t i = 0; i < count; ++i) {
        RI_RETURN_IF_ERROR(add_axis(axes->data<int64_t>()[i], rank, mask));
      }
    } else if (axes->dtype() == DType::kInt32) {
      for (int64_t i = 0; i < count; ++i) {
        RI_RETURN_IF_ERROR(add_axis(axes->data<int32_t>()[i], rank, mask));
      }
    } else {
      return invalid_argument("axes input must be int64, got {}", dtype_name(axes->dtype()));
    }
  }
  if (count == 0 && !config.noop_with_empty_axes) *mask = (1u << rank) - 1u;
  return Status::ok();
}

Shape reduce_output_shape(const Shape& input, uint32_t mask, bool keepdims) {
  Shape out;
  for (int d = 0; d < input.rank(); ++d) {
    if ((mask >> d) & 1u) {
      if (keepdims) out.push_back(1);
    } else {
      out.push_back(input[d]);
    }
  }
  return out;
}

ReduceLayout reduce_layout(const Shape& input, uint32_t mask) {
  ReduceLayout layout;
  for (int d = 0; d < input.rank(); ++d) {
    if (input[d] == 1) continue;  // size-1 dims are both kept and reduced: drop them
    const bool reduced = ((mask >> d) & 1u) != 0;
    if (layout.count > 0 && layout.reduced[layout.count - 1] == reduced) {
      layout.size[layout.count - 1] *= input[d];
    } else {
      layout.size[layout.count] = input[d];
      layout.reduced[layout.count] = reduced;
      ++layout.count;
    }
  }
  return layout;
}

bool reduce_split(const ReduceLayout& layout, ReduceSplit* split) {
  *split = ReduceSplit{};
  int reduced_blocks = 0;
  for (int b = 0; b < layout.count; ++b) {
    if (!layout.reduced[b]) continue;
    ++reduced_blocks;
    split->reduced = layout.size[b];
    for (int k = 0; k < b; ++k) split->outer *= layout.size[k];
    for (int k = b + 1; k < layout.count; ++k) split->inner *= layout.size[k];
  }
  if (reduced_blocks == 0) {
    for (int b = 0; b < layout.count; ++b) split->inner *= layout.size[b];
  }
  // Blocks alternate, so one reduced block means at most one kept block on each side.
  return reduced_blocks <= 1;
}

}  // namespace recinfer::kernels::reduce
