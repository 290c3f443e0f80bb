// MaxUnpool (opset 9/11): Y = zeros(output shape); X[i] goes to the position I[i]. I holds
// MaxPool's Indices output: positions flattened over the whole unpooled tensor (batch and
// channel included) whose spatial dims are (in - 1) * stride - pad_begin - pad_end + kernel.
// The output has that shape, or output_shape (input 2) when given: then each index is unravelled
// over the default shape and the value lands at the same coordinates of the larger output (as
// the ONNX node tests expect). Positions outside the output are an error.
#include "kernels/conv/max_unpool.h"

#include <cstring>

#include "kernels/dispatch.h"

namespace recinfer::kernels {

namespace {

Result<Shape> default_output_shape(const ir::Node& node, const Shape& x) {
  const int spatial = x.rank() - 2;
  const std::vector<int64_t> kernel = node.attr_ints("kernel_shape");
  std::vector<int64_t> strides = node.attr_ints("strides");
  std::vector<int64_t> pads = node.attr_ints("pads");
  if (strides.empty()) strides.assign(static_cast<size_t>(spatial), 1);
  if (pads.empty()) pads.assign(static_cast<size_t>(2 * spatial), 0);
  if (spatial < 1 || static_cast<int>(kernel.size()) != spatial ||
      static_cast<int>(strides.size()) != spatial || static_cast<int>(pads.size()) != 2 * spatial) {
    return invalid_argument("{}: X {} needs kernel_shape/strides of {} values and pads of {}",
                            node.describe(), x.to_string(), spatial, 2 * spatial);
  }
  Shape out{x[0], x[1]};
  for (int d = 0; d < spatial; ++d) {
    const auto i = static_cast<size_t>(d);
    const int64_t dim = (x[d + 2] - 1) * strides[i] - pads[i] - pads[i + static_cast<size_t>(spatial)] + kernel[i];
    if (kernel[i] < 1 || strides[i] < 1 || dim < 0) {
      return invalid_argument("{}: kernel {} / stride {} / pads give output dim {} for X {}",
                              node.describe(), kernel[i], strides[i], dim, x.to_string());
    }
    out.push_back(dim);
  }
  return out;
}

Result<Shape> output_shape(const ir::Node& node, const Shape& x, const Tensor* given) {
  if (given == nullptr) return default_output_shape(node, x);
  if (given->dtype() != DType::kInt64 || given->rank() != 1 || given->numel() != x.rank()) {
    return invalid_argument("{}: output_shape must be int64 of {} values, got {} {}",
                            node.describe(), x.rank(), dtype_name(given->dtype()),
                            given->shape().to_string());
  }
  Shape out;
  for (int64_t d = 0; d < given->numel(); ++d) out.push_back(given->data<int64_t>()[d]);
  return out;
}

class MaxUnpoolKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& indices = *ctx.input(1);
    RI_ASSIGN_OR_RETURN(const Shape shape, output_shape(ctx.node(), x.shape(), ctx.input(2)));
    RI_ASSIGN_OR_RETURN(const Shape pooled, default_output_shape(ctx.node(), x.shape()));
    Tensor* y = &ctx.output(0);
    if (y->shape() != shape || (y->raw() == nullptr && shape.numel() > 0)) {
      RI_ASSIGN_OR_RETURN(y, ctx.allocate_output(0, x.dtype(), shape));
    }
    const int64_t total = y->numel();
    if (total > 0) std::memset(y->raw(), 0, y->bytes());
    return dispatch<kNumeric>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = x.data<T>();
      T* dst = y->data<T>();
      for (int64_t i = 0; i < x.numel(); ++i) {
        const int64_t index = indices.data<int64_t>()[i];
        int64_t at = index >= 0 && index < pooled.numel() ? 0 : -1;
        for (int d = 0; d < pooled.rank() && at >= 0; ++d) {
          // Coordinate d of `index` over the pooled shape, re-flattened over the output's.
          const int64_t coord = index / pooled.product(d + 1, pooled.rank()) % pooled[d];
          at = coord < shape[d] ? at * shape[d] + coord : -1;
        }
        if (at < 0 || at >= total) {
          return ctx.error(StatusCode::kInvalidArgument,
                           "index I[{}] = {} is outside the unpooled shape {} or the output {}", i,
                           index, pooled.to_string(), shape.to_string());
        }
        dst[at] = src[i];
      }
      return Status::ok();
    });
  }
};

}  // namespace

Status infer_max_unpool(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* indices, ctx.required_input(1));
  if (!dtype_in(x->dtype, kNumeric)) {
    return ctx.error(StatusCode::kUnsupported, "X has dtype {}", dtype_name(x->dtype));
  }
  if (indices->dtype != DType::kInt64 || indices->shape != x->shape) {
    return ctx.error(StatusCode::kInvalidArgument, "I must be int64 of X's shape {}, got {} {}",
                     x->shape.to_string(), dtype_name(indices->dtype), indices->shape.to_string());
  }
  const TensorInfo* given = ctx.input(2);
  if (given != nullptr && given->value == nullptr) {
    ctx.set_output_dynamic(0, x->dtype);
    return Status::ok();
  }
  auto shape = output_shape(ctx.node(), x->shape, given != nullptr ? given->value : nullptr);
  if (!shape.is_ok()) return shape.status();
  if (shape->rank() != x->shape.rank() || (*shape)[0] != x->shape[0] || (*shape)[1] != x->shape[1]) {
    return ctx.error(StatusCode::kInvalidArgument, "output_shape {} must keep X's {} batch and channels",
                     shape->to_string(), x->shape.to_string());
  }
  ctx.set_output(0, x->dtype, *shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_max_unpool(const ir::Node&) { return std::make_unique<MaxUnpoolKernel>(); }

}  // namespace recinfer::kernels
