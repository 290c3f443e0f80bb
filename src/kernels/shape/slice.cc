// Slice: per-axis start/end/step windows, with the ONNX clamping rules (out-of-range starts and
// ends are clamped, negative steps walk backwards). Opset 1-9 take starts/ends/axes as
// attributes; opset 10+ take starts, ends, axes and steps as inputs.
#include <algorithm>

#include "kernels/shape/copy.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

struct SliceArgs {
  IntList starts, ends, axes, steps;
  bool has_axes = false;
  bool has_steps = false;
};

// The source read pattern and output shape of a slice.
struct SlicePlan {
  Shape out;
  StridedView view;
  int64_t base = 0;  // source element offset of output index (0, ..., 0)
};

Status args_from_attrs(const ir::Node& node, SliceArgs* args) {
  RI_RETURN_IF_ERROR(int_list_from_attr(node, "starts", Shape::kMaxRank, &args->starts));
  RI_RETURN_IF_ERROR(int_list_from_attr(node, "ends", Shape::kMaxRank, &args->ends));
  RI_RETURN_IF_ERROR(int_list_from_attr(node, "axes", Shape::kMaxRank, &args->axes));
  args->has_axes = node.has_attr("axes");
  return Status::ok();
}

// values[i] is the value of input i+1 (starts, ends, axes, steps); axes/steps may be null.
Status args_from_values(const ir::Node& node, const Tensor* const values[4], SliceArgs* args) {
  RI_RETURN_IF_ERROR(read_int_list(node, *values[0], "starts", Shape::kMaxRank, &args->starts));
  RI_RETURN_IF_ERROR(read_int_list(node, *values[1], "ends", Shape::kMaxRank, &args->ends));
  args->has_axes = values[2] != nullptr;
  if (args->has_axes) {
    RI_RETURN_IF_ERROR(read_int_list(node, *values[2], "axes", Shape::kMaxRank, &args->axes));
  }
  args->has_steps = values[3] != nullptr;
  if (args->has_steps) {
    RI_RETURN_IF_ERROR(read_int_list(node, *values[3], "steps", Shape::kMaxRank, &args->steps));
  }
  return Status::ok();
}

// Number of elements start, start+step, ... strictly before end (in the step's direction).
int64_t window_count(int64_t start, int64_t end, int64_t step) {
  const int64_t span = step > 0 ? end - start : start - end;  // |values| <= dim + 1
  if (span <= 0) return 0;
  // |step| as unsigned: -INT64_MIN does not fit int64.
  const uint64_t magnitude = step > 0 ? static_cast<uint64_t>(step)
                                      : static_cast<uint64_t>(-(step + 1)) + 1;
  return static_cast<int64_t>(1 + static_cast<uint64_t>(span - 1) / magnitude);
}

Status plan_slice(const ir::Node& node, const Shape& in, SliceArgs args, SlicePlan* plan) {
  const int n = args.starts.size;
  const int rank = in.rank();
  if (args.ends.size != n || (args.has_axes && args.axes.size != n) ||
      (args.has_steps && args.steps.size != n)) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "starts ({}), ends ({}), axes ({}) and steps ({}) differ in length", n,
                      args.ends.size, args.has_axes ? args.axes.size : n,
                      args.has_steps ? args.steps.size : n);
  }
  if (!args.has_axes) {
    if (n > rank) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "{} starts given for input {} of rank {}", n, in.to_string(), rank);
    }
    args.axes.size = n;
    for (int i = 0; i < n; ++i) args.axes.values[static_cast<size_t>(i)] = i;
  }
  RI_RETURN_IF_ERROR(normalize_axes(node, &args.axes, rank, "axes"));

  std::array<int64_t, Shape::kMaxRank> start{};
  std::array<int64_t, Shape::kMaxRank> step{};
  Shape out = in;
  for (int d = 0; d < rank; ++d) step[d] = 1;
  for (int i = 0; i < n; ++i) {
    const int axis = static_cast<int>(args.axes[i]);
    const int64_t dim = in[axis];
    const int64_t s = args.has_steps ? args.steps[i] : 1;
    if (s == 0) {
      return node_error(node, StatusCode::kInvalidArgument, "steps[{}] is 0", i);
    }
    int64_t b = args.starts[i];
    int64_t e = args.ends[i];
    if (b < 0) b += dim;
    if (e < 0) e += dim;
    if (s > 0) {
      b = std::min(std::max<int64_t>(b, 0), dim);
      e = std::min(std::max<int64_t>(e, 0), dim);
    } else {
      // A backward window may start at the last element and end before the first (-1).
      b = std::min(std::max<int64_t>(b, 0), dim - 1);
      e = std::min(std::max<int64_t>(e, -1), dim - 1);
    }
    out[axis] = window_count(b, e, s);
    start[axis] = b;
    step[axis] = s;
  }

  const auto in_strides = contiguous_strides(in);
  plan->out = out;
  plan->base = 0;
  plan->view.rank = rank;
  for (int d = 0; d < rank; ++d) {
    plan->view.dims[d] = out[d];
    // With one element the step never applies; zeroing it avoids a huge step overflowing.
    plan->view.strides[d] = out[d] > 1 ? in_strides[d] * step[d] : 0;
    if (out[d] > 0) plan->base += start[d] * in_strides[d];
  }
  return Status::ok();
}

class SliceKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const ir::Node& node = ctx.node();
    const Tensor& in = *ctx.input(0);
    SliceArgs args;
    if (node.opset < 10) {
      RI_RETURN_IF_ERROR(args_from_attrs(node, &args));
    } else {
      const Tensor* values[4] = {ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4)};
      RI_RETURN_IF_ERROR(args_from_values(node, values, &args));
    }
    SlicePlan plan;
    RI_RETURN_IF_ERROR(plan_slice(node, in.shape(), args, &plan));
    RI_ASSIGN_OR_RETURN(Tensor * out, bind_output_shape(ctx, 0, in.dtype(), plan.out));
    if (out->numel() == 0) return Status::ok();
    const size_t elem = dtype_size(in.dtype());
    const char* src = static_cast<const char*>(in.raw()) + plan.base * static_cast<int64_t>(elem);
    strided_copy(ctx, src, out->raw(), elem, plan.view);
    return Status::ok();
  }
};

}  // namespace

Status infer_slice(InferContext& ctx) {
  const ir::Node& node = ctx.node();
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(node, data->dtype, "data"));
  SliceArgs args;
  if (node.opset < 10) {
    if (!node.has_attr("starts") || !node.has_attr("ends")) {
      return ctx.error(StatusCode::kInvalidArgument, "attributes 'starts' and 'ends' are required");
    }
    RI_RETURN_IF_ERROR(args_from_attrs(node, &args));
  } else {
    static constexpr const char* kNames[4] = {"starts", "ends", "axes", "steps"};
    const Tensor* values[4] = {};
    for (int i = 0; i < 4; ++i) {
      const TensorInfo* info = ctx.input(i + 1);
      if (info == nullptr) {
        if (i < 2) return ctx.error(StatusCode::kInvalidArgument, "input '{}' is required",
                                    kNames[i]);
        continue;
      }
      RI_RETURN_IF_ERROR(check_index_input(node, *info, kNames[i]));
      if (info->value == nullptr) {
        ctx.set_output_dynamic(0, data->dtype);
        return Status::ok();
      }
      values[i] = info->value;
    }
    RI_RETURN_IF_ERROR(args_from_values(node, values, &args));
  }
  SlicePlan plan;
  RI_RETURN_IF_ERROR(plan_slice(node, data->shape, args, &plan));
  ctx.set_output(0, data->dtype, plan.out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_slice(const ir::Node&) { return std::make_unique<SliceKernel>(); }

}  // namespace recinfer::kernels
