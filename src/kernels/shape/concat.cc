// Concat: joins inputs of equal rank along `axis`; all other dims must match.
#include <algorithm>
#include <cstring>

#include "kernels/shape/copy.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

class ConcatKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    Tensor& out = ctx.output(0);
    if (out.numel() == 0) return Status::ok();
    const int axis = axis_of(ctx.node(), out.rank());
    const size_t elem = dtype_size(out.dtype());
    const int64_t outer = out.shape().product(0, axis);
    const int64_t inner_bytes =
        out.shape().product(axis + 1, out.rank()) * static_cast<int64_t>(elem);
    const int64_t out_row_bytes = out.shape()[axis] * inner_bytes;
    auto* dst = static_cast<char*>(out.raw());
    if (outer == 1) {
      // One chunk per input: let each copy use the threads itself.
      int64_t offset = 0;
      for (int k = 0; k < ctx.num_inputs(); ++k) {
        const Tensor& in = *ctx.input(k);
        copy_bytes(ctx, dst + offset, in.raw(), in.bytes());
        offset += static_cast<int64_t>(in.bytes());
      }
      return Status::ok();
    }
    const int64_t grain = std::max<int64_t>(1, (32 * 1024) / std::max<int64_t>(1, out_row_bytes));
    ctx.parallel_for(outer, grain, [&](int64_t begin, int64_t end) {
      for (int64_t o = begin; o < end; ++o) {
        char* row = dst + o * out_row_bytes;
        for (int k = 0; k < ctx.num_inputs(); ++k) {
          const Tensor& in = *ctx.input(k);
          const int64_t chunk = in.shape()[axis] * inner_bytes;
          std::memcpy(row, static_cast<const char*>(in.raw()) + o * chunk,
                      static_cast<size_t>(chunk));
          row += chunk;
        }
      }
    });
    return Status::ok();
  }

 private:
  static int axis_of(const ir::Node& node, int rank) {
    int axis = 0;
    normalize_axis(node.attr_int("axis", 0), rank, &axis);  // validated in infer
    return axis;
  }
};

}  // namespace

Status infer_concat(InferContext& ctx) {
  const ir::Node& node = ctx.node();
  if (ctx.num_inputs() == 0) return ctx.error(StatusCode::kInvalidArgument, "no inputs");
  RI_ASSIGN_OR_RETURN(const TensorInfo* first, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(node, first->dtype, "inputs[0]"));
  if (!node.has_attr("axis")) {
    return ctx.error(StatusCode::kInvalidArgument, "attribute 'axis' is required");
  }
  const int64_t raw_axis = node.attr_int("axis", 0);
  const int rank = first->shape.rank();
  int axis = 0;
  if (!normalize_axis(raw_axis, rank, &axis)) {
    return ctx.error(StatusCode::kInvalidArgument, "axis {} is out of range for inputs[0] {}",
                     raw_axis, first->shape.to_string());
  }
  Shape out = first->shape;
  for (int k = 1; k < ctx.num_inputs(); ++k) {
    RI_ASSIGN_OR_RETURN(const TensorInfo* in, ctx.required_input(k));
    if (in->dtype != first->dtype) {
      return ctx.error(StatusCode::kInvalidArgument, "inputs[{}] has dtype {}, inputs[0] has {}",
                       k, dtype_name(in->dtype), dtype_name(first->dtype));
    }
    bool compatible = in->shape.rank() == rank;
    for (int d = 0; compatible && d < rank; ++d) {
      compatible = d == axis || in->shape[d] == first->shape[d];
    }
    if (!compatible) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "inputs[{}] {} does not match inputs[0] {} outside axis {}", k,
                       in->shape.to_string(), first->shape.to_string(), raw_axis);
    }
    if (out[axis] > INT64_MAX - in->shape[axis]) {
      return ctx.error(StatusCode::kInvalidArgument, "concatenated axis {} overflows", raw_axis);
    }
    out[axis] += in->shape[axis];
  }
  RI_RETURN_IF_ERROR(check_output_shape(node, out));
  ctx.set_output(0, first->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_concat(const ir::Node&) { return std::make_unique<ConcatKernel>(); }

}  // namespace recinfer::kernels
