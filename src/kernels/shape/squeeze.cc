// Squeeze and Unsqueeze: view ops that drop or insert size-1 dims. Their axes are an attribute
// before opset 13 and an input from opset 13 on.
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"
#include "kernels/shape/view_kernel.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

bool axes_from_input(const ir::Node& node) { return node.opset >= 13; }

// axes == nullptr: squeeze every size-1 dim.
Status squeeze_shape(const ir::Node& node, const Shape& in, const IntList* axes, Shape* out) {
  bool drop[Shape::kMaxRank] = {};
  if (axes == nullptr) {
    for (int d = 0; d < in.rank(); ++d) drop[d] = in[d] == 1;
  } else {
    IntList normalized = *axes;
    RI_RETURN_IF_ERROR(normalize_axes(node, &normalized, in.rank(), "axes"));
    for (int i = 0; i < normalized.size; ++i) {
      const int axis = static_cast<int>(normalized[i]);
      if (in[axis] != 1) {
        return node_error(node, StatusCode::kInvalidArgument,
                          "cannot squeeze axis {} of size {} (input {})", (*axes)[i], in[axis],
                          in.to_string());
      }
      drop[axis] = true;
    }
  }
  Shape result;
  for (int d = 0; d < in.rank(); ++d) {
    if (!drop[d]) result.push_back(in[d]);
  }
  *out = result;
  return Status::ok();
}

Status unsqueeze_shape(const ir::Node& node, const Shape& in, const IntList& axes, Shape* out) {
  const int out_rank = in.rank() + axes.size;
  if (!Shape::fits(static_cast<size_t>(out_rank))) {
    return node_error(node, StatusCode::kUnsupported,
                      "output rank {} exceeds the maximum rank {}", out_rank, Shape::kMaxRank);
  }
  IntList normalized = axes;
  RI_RETURN_IF_ERROR(normalize_axes(node, &normalized, out_rank, "axes"));
  bool inserted[Shape::kMaxRank] = {};
  for (int i = 0; i < normalized.size; ++i) inserted[normalized[i]] = true;
  Shape result;
  int next_in = 0;
  for (int d = 0; d < out_rank; ++d) result.push_back(inserted[d] ? 1 : in[next_in++]);
  *out = result;
  return Status::ok();
}

Status squeeze_run_shape(const KernelContext& ctx, Shape* out) {
  IntList axes;
  RI_RETURN_IF_ERROR(
      read_int_list(ctx.node(), *ctx.input(1), "axes", Shape::kMaxRank, &axes));
  return squeeze_shape(ctx.node(), ctx.input(0)->shape(), &axes, out);
}

Status unsqueeze_run_shape(const KernelContext& ctx, Shape* out) {
  IntList axes;
  RI_RETURN_IF_ERROR(
      read_int_list(ctx.node(), *ctx.input(1), "axes", Shape::kMaxRank, &axes));
  return unsqueeze_shape(ctx.node(), ctx.input(0)->shape(), axes, out);
}

// The axes, from the attribute or the (value of the) axes input. *known is false when the input
// is there but its value is not known yet; *present is false when no axes are given at all.
Status read_axes(const InferContext& ctx, IntList* axes, bool* present, bool* known) {
  const ir::Node& node = ctx.node();
  *known = true;
  if (!axes_from_input(node)) {
    *present = node.has_attr("axes");
    return int_list_from_attr(node, "axes", Shape::kMaxRank, axes);
  }
  const TensorInfo* info = ctx.input(1);
  *present = info != nullptr;
  if (info == nullptr) return Status::ok();
  RI_RETURN_IF_ERROR(check_index_input(node, *info, "axes"));
  if (info->value == nullptr) {
    *known = false;
    return Status::ok();
  }
  return read_int_list(node, *info->value, "axes", Shape::kMaxRank, axes);
}

}  // namespace

Status infer_squeeze(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "data"));
  IntList axes;
  bool present = false;
  bool known = false;
  RI_RETURN_IF_ERROR(read_axes(ctx, &axes, &present, &known));
  if (!known) {
    ctx.set_output_dynamic(0, data->dtype);
    return Status::ok();
  }
  Shape out;
  RI_RETURN_IF_ERROR(squeeze_shape(ctx.node(), data->shape, present ? &axes : nullptr, &out));
  ctx.set_output(0, data->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_squeeze(const ir::Node& node) {
  const bool runtime_axes = axes_from_input(node) && node.input(1) != ir::kNoValue;
  return std::make_unique<ViewKernel>(runtime_axes ? &squeeze_run_shape : nullptr);
}

Status infer_unsqueeze(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "data"));
  IntList axes;
  bool present = false;
  bool known = false;
  RI_RETURN_IF_ERROR(read_axes(ctx, &axes, &present, &known));
  if (!present) return ctx.error(StatusCode::kInvalidArgument, "axes are required");
  if (!known) {
    ctx.set_output_dynamic(0, data->dtype);
    return Status::ok();
  }
  Shape out;
  RI_RETURN_IF_ERROR(unsqueeze_shape(ctx.node(), data->shape, axes, &out));
  ctx.set_output(0, data->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_unsqueeze(const ir::Node& node) {
  return std::make_unique<ViewKernel>(axes_from_input(node) ? &unsqueeze_run_shape : nullptr);
}

}  // namespace recinfer::kernels
