// OneHot(indices, depth, values): inserts a dim of size depth at `axis` (default -1, the end);
// out[..., d, ...] = values[1] where indices[...] == d, else values[0]. Indices and depth may be
// of any numeric dtype (floats truncate); negative indices count from depth; indices outside
// [-depth, depth) give an all-off row, as the spec says (not an error). The output dtype is the
// values' dtype, moved as bytes. depth drives the shape, so an unknown depth makes it dynamic.
#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/shape/copy.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

Status read_depth(const ir::Node& node, const Tensor& depth, int64_t* out) {
  if (depth.numel() != 1) {
    return node_error(node, StatusCode::kInvalidArgument, "depth must hold one value, got shape {}",
                      depth.shape().to_string());
  }
  int64_t value = 0;
  RI_RETURN_IF_ERROR(dispatch<kNumeric>(depth.dtype(), [&](auto tag) {
    using T = decltype(tag);
    value = static_cast<int64_t>(depth.data<T>()[0]);
    return Status::ok();
  }));
  if (value <= 0) {
    return node_error(node, StatusCode::kInvalidArgument, "depth {} must be positive", value);
  }
  *out = value;
  return Status::ok();
}

Status one_hot_shape(const ir::Node& node, const Shape& indices, int64_t depth, Shape* out,
                     int* axis_out) {
  const int rank = indices.rank() + 1;
  if (rank > Shape::kMaxRank) {
    return node_error(node, StatusCode::kUnsupported, "output rank {} exceeds {}", rank,
                      Shape::kMaxRank);
  }
  const int64_t axis_attr = node.attr_int("axis", -1);
  int axis = 0;
  if (!normalize_axis(axis_attr, rank, &axis)) {
    return node_error(node, StatusCode::kInvalidArgument, "axis {} is out of range for rank {}",
                      axis_attr, rank);
  }
  Shape result;
  for (int d = 0; d < rank; ++d) {
    if (d == axis) result.push_back(depth);
    else result.push_back(indices[d < axis ? d : d - 1]);
  }
  RI_RETURN_IF_ERROR(check_output_shape(node, result));
  *out = result;
  *axis_out = axis;
  return Status::ok();
}

// Indices i in [begin, end) of the (outer, inner) grid around the axis.
template <typename TIndex>
void scatter_on(const TIndex* ids, int64_t depth, int64_t inner, char* dst, const char* on,
                size_t elem, int64_t begin, int64_t end) {
  for (int64_t o = begin; o < end; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      auto id = static_cast<int64_t>(ids[o * inner + i]);
      if (id < 0) id += depth;
      if (id < 0 || id >= depth) continue;  // all off
      std::memcpy(dst + ((o * depth + id) * inner + i) * static_cast<int64_t>(elem), on, elem);
    }
  }
}

template <bool kReference>
class OneHotKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& indices = *ctx.input(0);
    const Tensor& values = *ctx.input(2);
    int64_t depth = 0;
    RI_RETURN_IF_ERROR(read_depth(ctx.node(), *ctx.input(1), &depth));
    Shape shape;
    int axis = 0;
    RI_RETURN_IF_ERROR(one_hot_shape(ctx.node(), indices.shape(), depth, &shape, &axis));
    RI_ASSIGN_OR_RETURN(Tensor * out, bind_output_shape(ctx, 0, values.dtype(), shape));
    if (out->numel() == 0) return Status::ok();
    const size_t elem = dtype_size(values.dtype());
    const char* off = static_cast<const char*>(values.raw());
    const char* on = off + elem;
    const int64_t inner = indices.shape().product(axis, indices.rank());
    const int64_t outer = indices.shape().product(0, axis);
    auto* dst = static_cast<char*>(out->raw());
    return dispatch<kNumeric>(indices.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* ids = indices.data<T>();
      if constexpr (kReference) {
        for (int64_t flat = 0; flat < out->numel(); ++flat) {
          const int64_t i = flat % inner;
          const int64_t d = flat / inner % depth;
          const int64_t o = flat / inner / depth;
          auto id = static_cast<int64_t>(ids[o * inner + i]);
          if (id < 0) id += depth;
          std::memcpy(dst + flat * static_cast<int64_t>(elem), id == d ? on : off, elem);
        }
      } else {
        fill_elements(ctx, dst, out->numel(), off, elem);
        const int64_t grain = std::max<int64_t>(1, 4096 / std::max<int64_t>(1, inner));
        ctx.parallel_for(outer, grain, [&](int64_t begin, int64_t end) {
          scatter_on(ids, depth, inner, dst, on, elem, begin, end);
        });
      }
      return Status::ok();
    });
  }
};

}  // namespace

Status infer_one_hot(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* indices, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* depth, ctx.required_input(1));
  RI_ASSIGN_OR_RETURN(const TensorInfo* values, ctx.required_input(2));
  if (!dtype_in(indices->dtype, kNumeric) || !dtype_in(depth->dtype, kNumeric)) {
    return ctx.error(StatusCode::kUnsupported, "indices ({}) and depth ({}) must be numeric",
                     dtype_name(indices->dtype), dtype_name(depth->dtype));
  }
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), values->dtype, "values"));
  if (values->shape.numel() != 2) {
    return ctx.error(StatusCode::kInvalidArgument, "values must hold [off, on], got shape {}",
                     values->shape.to_string());
  }
  if (depth->value == nullptr) {
    ctx.set_output_dynamic(0, values->dtype);
    return Status::ok();
  }
  int64_t depth_value = 0;
  RI_RETURN_IF_ERROR(read_depth(ctx.node(), *depth->value, &depth_value));
  Shape out;
  int axis = 0;
  RI_RETURN_IF_ERROR(one_hot_shape(ctx.node(), indices->shape, depth_value, &out, &axis));
  ctx.set_output(0, values->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_one_hot(const ir::Node&) {
  return std::make_unique<OneHotKernel<false>>();
}
std::unique_ptr<Kernel> make_one_hot_reference(const ir::Node&) {
  return std::make_unique<OneHotKernel<true>>();
}

}  // namespace recinfer::kernels
