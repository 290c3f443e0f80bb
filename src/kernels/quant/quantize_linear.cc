// QuantizeLinear: y = saturate(round_half_even(x / scale) + zero_point), y of the zero point's
// dtype (uint8 when absent; int8 and, for x int32 inputs' sake, uint8/int8 only).
// DequantizeLinear: y = (x - zero_point) * scale as float32, x int8/uint8/int32 (int32 has no
// zero point). scale/zero_point are scalars (per tensor) or, from opset 13, 1-D along `axis`
// (default 1). The data is walked as (outer, channels, inner) blocks so each block reads one
// scale and zero point.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "kernels/dispatch.h"
#include "kernels/quant/quant_kernels.h"

namespace recinfer::kernels {

namespace {

// (outer, channels, inner) around the quantization axis; channels = 1 for per-tensor.
struct QuantLayout {
  int64_t outer = 1;
  int64_t channels = 1;
  int64_t inner = 1;
};

Status quant_layout(const InferContext* ictx, const ir::Node& node, const Shape& x,
                    const Shape& scale, QuantLayout* layout) {
  layout->outer = 1;
  layout->channels = 1;
  layout->inner = x.numel();
  if (scale.numel() == 1 && scale.rank() <= 1) return Status::ok();
  const int64_t axis_attr = node.attr_int("axis", 1);
  int axis = 0;
  if (node.opset < 13 || scale.rank() != 1 || !normalize_axis(axis_attr, x.rank(), &axis) ||
      x[axis] != scale[0]) {
    const std::string message = fmt::format(
        "scale {} must be a scalar{} (input {}, axis {})", scale.to_string(),
        node.opset < 13 ? " before opset 13" : " or 1-D of the axis length", x.to_string(),
        axis_attr);
    return ictx != nullptr ? ictx->error(StatusCode::kInvalidArgument, "{}", message)
                           : invalid_argument("{}: {}", node.describe(), message);
  }
  layout->outer = x.product(0, axis);
  layout->channels = x[axis];
  layout->inner = x.product(axis + 1, x.rank());
  return Status::ok();
}

Status check_zero_point(const InferContext& ctx, const TensorInfo& scale,
                        const TensorInfo* zero_point) {
  if (zero_point != nullptr && zero_point->shape != scale.shape &&
      !(zero_point->shape.numel() == 1 && scale.shape.numel() == 1)) {
    return ctx.error(StatusCode::kInvalidArgument, "zero_point {} and scale {} differ in shape",
                     zero_point->shape.to_string(), scale.shape.to_string());
  }
  if (scale.dtype != DType::kFloat32) {
    return ctx.error(StatusCode::kUnsupported, "scale dtype {} is not supported (float32 only)",
                     dtype_name(scale.dtype));
  }
  return Status::ok();
}

template <typename TIn, typename TOut>
void quantize_block(const TIn* x, TOut* y, int64_t n, float scale, int zero_point) {
  constexpr auto kLow = static_cast<float>(std::numeric_limits<TOut>::min());
  constexpr auto kHigh = static_cast<float>(std::numeric_limits<TOut>::max());
  for (int64_t i = 0; i < n; ++i) {
    // nearbyint rounds half to even in the default rounding mode, as the spec asks.
    float v = std::nearbyint(static_cast<float>(x[i]) / scale) + static_cast<float>(zero_point);
    v = v >= kLow ? std::min(v, kHigh) : kLow;  // NaN saturates low, like a failed compare
    y[i] = static_cast<TOut>(v);
  }
}

template <typename Fn>
Status for_each_block(KernelContext& ctx, const QuantLayout& layout, Fn&& fn) {
  const int64_t blocks = layout.outer * layout.channels;
  const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, layout.inner));
  ctx.parallel_for(blocks, grain, [&](int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; ++b) fn(b, b % layout.channels);
  });
  return Status::ok();
}

class QuantizeKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& scale = *ctx.input(1);
    const Tensor* zp = ctx.input(2);
    Tensor& y = ctx.output(0);
    QuantLayout layout;
    RI_RETURN_IF_ERROR(quant_layout(nullptr, ctx.node(), x.shape(), scale.shape(), &layout));
    return dispatch<bit(DType::kFloat32) | bit(DType::kInt32)>(x.dtype(), [&](auto in_tag) {
      using TIn = decltype(in_tag);
      return dispatch<bit(DType::kUint8) | bit(DType::kInt8)>(y.dtype(), [&](auto out_tag) {
        using TOut = decltype(out_tag);
        const TIn* src = x.data<TIn>();
        TOut* dst = y.data<TOut>();
        return for_each_block(ctx, layout, [&](int64_t block, int64_t channel) {
          const int zero = zp != nullptr ? static_cast<int>(zp->data<TOut>()[channel]) : 0;
          quantize_block(src + block * layout.inner, dst + block * layout.inner, layout.inner,
                         scale.data<float>()[channel], zero);
        });
      });
    });
  }
};

class DequantizeKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& scale = *ctx.input(1);
    const Tensor* zp = ctx.input(2);
    Tensor& y = ctx.output(0);
    QuantLayout layout;
    RI_RETURN_IF_ERROR(quant_layout(nullptr, ctx.node(), x.shape(), scale.shape(), &layout));
    return dispatch<bit(DType::kUint8) | bit(DType::kInt8) | bit(DType::kInt32)>(
        x.dtype(), [&](auto tag) {
          using T = decltype(tag);
          const T* src = x.data<T>();
          float* dst = y.data<float>();
          return for_each_block(ctx, layout, [&](int64_t block, int64_t channel) {
            const auto zero = zp != nullptr ? static_cast<int64_t>(zp->data<T>()[channel]) : 0;
            const float s = scale.data<float>()[channel];
            const T* in = src + block * layout.inner;
            float* out = dst + block * layout.inner;
            for (int64_t i = 0; i < layout.inner; ++i) {
              out[i] = static_cast<float>(static_cast<int64_t>(in[i]) - zero) * s;
            }
          });
        });
  }
};

}  // namespace

Status infer_quantize_linear(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* scale, ctx.required_input(1));
  const TensorInfo* zero_point = ctx.input(2);
  if (x->dtype != DType::kFloat32 && x->dtype != DType::kInt32) {
    return ctx.error(StatusCode::kUnsupported, "x dtype {} is not supported (float32, int32)",
                     dtype_name(x->dtype));
  }
  RI_RETURN_IF_ERROR(check_zero_point(ctx, *scale, zero_point));
  const DType out = zero_point != nullptr ? zero_point->dtype : DType::kUint8;
  if (out != DType::kUint8 && out != DType::kInt8) {
    return ctx.error(StatusCode::kUnsupported, "zero_point dtype {} is not supported (uint8, int8)",
                     dtype_name(out));
  }
  QuantLayout layout;
  RI_RETURN_IF_ERROR(quant_layout(&ctx, ctx.node(), x->shape, scale->shape, &layout));
  ctx.set_output(0, out, x->shape);
  return Status::ok();
}

Status infer_dequantize_linear(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* scale, ctx.required_input(1));
  const TensorInfo* zero_point = ctx.input(2);
  if (x->dtype != DType::kUint8 && x->dtype != DType::kInt8 && x->dtype != DType::kInt32) {
    return ctx.error(StatusCode::kUnsupported, "x dtype {} is not supported (uint8, int8, int32)",
                     dtype_name(x->dtype));
  }
  RI_RETURN_IF_ERROR(check_zero_point(ctx, *scale, zero_point));
  if (zero_point != nullptr && zero_point->dtype != x->dtype) {
    return ctx.error(StatusCode::kInvalidArgument, "zero_point dtype {} differs from x dtype {}",
                     dtype_name(zero_point->dtype), dtype_name(x->dtype));
  }
  QuantLayout layout;
  RI_RETURN_IF_ERROR(quant_layout(&ctx, ctx.node(), x->shape, scale->shape, &layout));
  ctx.set_output(0, DType::kFloat32, x->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_quantize_linear(const ir::Node&) {
  return std::make_unique<QuantizeKernel>();
}
std::unique_ptr<Kernel> make_dequantize_linear(const ir::Node&) {
  return std::make_unique<DequantizeKernel>();
}

}  // namespace recinfer::kernels
