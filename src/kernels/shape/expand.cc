// Expand: broadcasts the input to the numpy-style broadcast of its shape and the `shape` input
// (bidirectional: a 1 in `shape` keeps the input's dim).
#include <algorithm>

#include "kernels/shape/copy.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

Status expand_shape(const ir::Node& node, const Shape& in, const Tensor& shape_value, Shape* out) {
  IntList target;
  RI_RETURN_IF_ERROR(read_int_list(node, shape_value, "shape", Shape::kMaxRank, &target));
  const int rank = std::max(in.rank(), target.size);
  Shape result;
  for (int d = 0; d < rank; ++d) {
    // Right-aligned: missing leading dims count as 1.
    const int in_axis = d - (rank - in.rank());
    const int target_axis = d - (rank - target.size);
    const int64_t a = in_axis >= 0 ? in[in_axis] : 1;
    const int64_t b = target_axis >= 0 ? target[target_axis] : 1;
    if (b < 0) {
      return node_error(node, StatusCode::kInvalidArgument, "shape[{}] = {} is negative",
                        target_axis, b);
    }
    if (a != b && a != 1 && b != 1) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "input dim {} of size {} cannot broadcast to shape[{}] = {}", in_axis, a,
                        target_axis, b);
    }
    result.push_back(a == 1 ? b : a);
  }
  RI_RETURN_IF_ERROR(check_output_shape(node, result));
  *out = result;
  return Status::ok();
}

class ExpandKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    Shape shape;
    RI_RETURN_IF_ERROR(expand_shape(ctx.node(), in.shape(), *ctx.input(1), &shape));
    RI_ASSIGN_OR_RETURN(Tensor * out, bind_output_shape(ctx, 0, in.dtype(), shape));
    if (out->numel() == 0) return Status::ok();
    // Broadcast dims read with stride 0, so one strided copy covers every case.
    const auto in_strides = contiguous_strides(in.shape());
    StridedView view;
    view.rank = shape.rank();
    const int lead = shape.rank() - in.rank();
    for (int d = 0; d < shape.rank(); ++d) {
      view.dims[d] = shape[d];
      const int in_axis = d - lead;
      view.strides[d] = (in_axis < 0 || in.shape()[in_axis] == 1) ? 0 : in_strides[in_axis];
    }
    strided_copy(ctx, in.raw(), out->raw(), dtype_size(in.dtype()), view);
    return Status::ok();
  }
};

}  // namespace

Status infer_expand(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "input"));
  RI_ASSIGN_OR_RETURN(const TensorInfo* shape, ctx.required_input(1));
  RI_RETURN_IF_ERROR(check_index_input(ctx.node(), *shape, "shape"));
  if (shape->value == nullptr) {
    ctx.set_output_dynamic(0, data->dtype);
    return Status::ok();
  }
  Shape out;
  RI_RETURN_IF_ERROR(expand_shape(ctx.node(), data->shape, *shape->value, &out));
  ctx.set_output(0, data->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_expand(const ir::Node&) { return std::make_unique<ExpandKernel>(); }

}  // namespace recinfer::kernels
