// Reshape, Flatten and Identity: view ops whose output shape comes from the input shape (and, for
// Reshape, the values of the `shape` input).
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"
#include "kernels/shape/view_kernel.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

// ONNX Reshape: 0 copies the input dim at the same index (a literal 0 with allowzero=1, opset
// 14+), a single -1 takes whatever element count is left.
Status reshape_shape(const ir::Node& node, const Shape& in, const Tensor& shape_value, Shape* out) {
  IntList dims;
  RI_RETURN_IF_ERROR(read_int_list(node, shape_value, "shape", Shape::kMaxRank, &dims));
  const bool allow_zero = node.opset >= 14 && node.attr_int("allowzero", 0) != 0;
  int infer_axis = -1;
  bool has_zero = false;
  Shape result;
  for (int i = 0; i < dims.size; ++i) {
    const int64_t v = dims[i];
    if (v == -1) {
      if (infer_axis >= 0) {
        return node_error(node, StatusCode::kInvalidArgument,
                          "shape has -1 at both index {} and {}", infer_axis, i);
      }
      infer_axis = i;
      result.push_back(1);
    } else if (v < -1) {
      return node_error(node, StatusCode::kInvalidArgument, "shape[{}] = {} is negative", i, v);
    } else if (v == 0 && !allow_zero) {
      if (i >= in.rank()) {
        return node_error(node, StatusCode::kInvalidArgument,
                          "shape[{}] = 0 copies input dim {}, but the input {} has rank {}", i,
                          i, in.to_string(), in.rank());
      }
      result.push_back(in[i]);
    } else {
      has_zero = has_zero || v == 0;
      result.push_back(v);
    }
  }
  if (allow_zero && has_zero && infer_axis >= 0) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "with allowzero=1 the shape cannot hold both 0 and -1");
  }
  int64_t known = 0;
  if (!result.checked_numel(&known)) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "shape {} has too many elements", result.to_string());
  }
  const int64_t in_numel = in.numel();
  if (infer_axis >= 0) {
    if (known == 0 || in_numel % known != 0) {
      result[infer_axis] = -1;
      return node_error(node, StatusCode::kInvalidArgument,
                        "cannot infer the -1 in shape {}: the input {} has {} elements",
                        result.to_string(), in.to_string(), in_numel);
    }
    result[infer_axis] = in_numel / known;
  } else if (known != in_numel) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "shape {} holds {} elements but the input {} has {}", result.to_string(),
                      known, in.to_string(), in_numel);
  }
  *out = result;
  return Status::ok();
}

Status reshape_run_shape(const KernelContext& ctx, Shape* out) {
  return reshape_shape(ctx.node(), ctx.input(0)->shape(), *ctx.input(1), out);
}

}  // namespace

Status infer_reshape(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "data"));
  RI_ASSIGN_OR_RETURN(const TensorInfo* shape, ctx.required_input(1));
  RI_RETURN_IF_ERROR(check_index_input(ctx.node(), *shape, "shape"));
  if (shape->value == nullptr) {
    ctx.set_output_dynamic(0, data->dtype);
    return Status::ok();
  }
  Shape out;
  RI_RETURN_IF_ERROR(reshape_shape(ctx.node(), data->shape, *shape->value, &out));
  ctx.set_output(0, data->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_reshape(const ir::Node&) {
  return std::make_unique<ViewKernel>(&reshape_run_shape);
}

Status infer_flatten(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "input"));
  const int rank = data->shape.rank();
  int64_t axis = ctx.node().attr_int("axis", 1);
  // Unlike most axes, Flatten's may equal the rank (everything goes into the outer dim).
  if (axis < -rank || axis > rank) {
    return ctx.error(StatusCode::kInvalidArgument, "axis {} is out of range for input {}", axis,
                     data->shape.to_string());
  }
  if (axis < 0) axis += rank;
  const int split = static_cast<int>(axis);
  ctx.set_output(0, data->dtype,
                 Shape{data->shape.product(0, split), data->shape.product(split, rank)});
  return Status::ok();
}

std::unique_ptr<Kernel> make_flatten(const ir::Node&) {
  return std::make_unique<ViewKernel>(nullptr);
}

Status infer_identity(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "input"));
  ctx.set_output(0, data->dtype, data->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_identity(const ir::Node&) {
  return std::make_unique<ViewKernel>(nullptr);
}

}  // namespace recinfer::kernels
