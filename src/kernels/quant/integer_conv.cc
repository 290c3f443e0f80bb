// ConvInteger (opset 10) and QLinearConv (opset 10): direct N-d convolution of int8/uint8 data
// and weights with zero points, accumulated exactly in int32 (window geometry, groups, pads and
// auto_pad as Conv: conv/conv_geometry.h). w's zero point (and QLinearConv's w_scale) may be per
// output channel. QLinearConv adds its int32 bias to the accumulator and requantizes:
//   y = saturate(round_half_even((acc + B) * x_scale * w_scale / y_scale) + y_zero_point).
#include "kernels/conv/conv_common.h"
#include "kernels/quant/integer_common.h"
#include "kernels/quant/integer_kernels.h"

namespace recinfer::kernels {

using namespace quant;  // NOLINT(google-build-using-namespace)
using conv::ConvShape;
using conv::WindowAttributes;
using conv::WindowGeometry;

namespace {

struct ConvInputs {
  int x, w, x_zero, w_zero;
  int x_scale = -1, w_scale = -1, y_scale = -1, y_zero = -1, bias = -1;
};
constexpr ConvInputs kConvInteger{0, 1, 2, 3};
constexpr ConvInputs kQLinearConv{0, 3, 2, 5, 1, 4, 6, 7, 8};

// Flat image index under output position `out_index` and kernel tap `tap_index`, or -1 in the
// padding.
int64_t image_index(const WindowGeometry& g, int64_t out_index, int64_t tap_index) {
  int64_t out_pos[conv::kMaxSpatial], tap[conv::kMaxSpatial];
  for (int d = g.rank - 1; d >= 0; --d) {
    out_pos[d] = out_index % g.out[d];
    out_index /= g.out[d];
    tap[d] = tap_index % g.kernel[d];
    tap_index /= g.kernel[d];
  }
  int64_t index = 0;
  for (int d = 0; d < g.rank; ++d) {
    const int64_t at = out_pos[d] * g.stride[d] - g.pad_begin[d] + tap[d] * g.dilation[d];
    if (at < 0 || at >= g.in[d]) return -1;
    index = index * g.in[d] + at;
  }
  return index;
}

template <bool kRequantize>
class IntegerConvKernel final : public Kernel {
 public:
  explicit IntegerConvKernel(const ir::Node& node) : attrs_(WindowAttributes::from(node)) {}
  Status prepare(const PrepareContext& /*ctx*/) override { return attrs_.status(); }

  Status compute(KernelContext& ctx) const override {
    constexpr ConvInputs in = kRequantize ? kQLinearConv : kConvInteger;
    const Tensor& x = *ctx.input(in.x);
    const Tensor& w = *ctx.input(in.w);
    RI_ASSIGN_OR_RETURN(const ConvShape s,
                        conv::bind_conv(ctx.node(), *attrs_, false, x.shape(), w.shape(), nullptr));
    const WindowGeometry& g = s.geometry;
    const int64_t in_size = g.in_size(), out_size = g.out_size(), taps = g.kernel_size();
    const int32_t zx = zero_point_at(ctx.input(in.x_zero), 0);
    Tensor& y = ctx.output(0);
    for (int64_t n = 0; n < s.batch; ++n) {
      for (int64_t m = 0; m < s.out_channels; ++m) {
        const int64_t group = m / s.out_group();
        const int32_t zw = zero_point_at(ctx.input(in.w_zero), m);
        for (int64_t o = 0; o < out_size; ++o) {
          int32_t acc = 0;
          for (int64_t c = 0; c < s.in_group(); ++c) {
            const int64_t image = (n * s.in_channels + group * s.in_group() + c) * in_size;
            const int64_t kernel = (m * s.in_group() + c) * taps;
            for (int64_t k = 0; k < taps; ++k) {
              const int64_t at = image_index(g, o, k);
              // Padding holds the zero point, which contributes (zx - zx) * w = 0.
              if (at >= 0) acc += (int8_at(x, image + at) - zx) * (int8_at(w, kernel + k) - zw);
            }
          }
          const int64_t out = (n * s.out_channels + m) * out_size + o;
          if constexpr (kRequantize) {
            const Tensor* bias = ctx.input(in.bias);
            if (bias != nullptr) acc += bias->data<int32_t>()[m];
            const double multiplier = static_cast<double>(scale_at(*ctx.input(in.x_scale), 0)) *
                                      scale_at(*ctx.input(in.w_scale), m) /
                                      scale_at(*ctx.input(in.y_scale), 0);
            store_requantized(y, out, acc * multiplier, zero_point_at(ctx.input(in.y_zero), 0));
          } else {
            y.data<int32_t>()[out] = acc;
          }
        }
      }
    }
    return Status::ok();
  }

 private:
  Result<WindowAttributes> attrs_;
};

template <bool kRequantize>
Status infer_integer_conv(InferContext& ctx) {
  constexpr ConvInputs in = kRequantize ? kQLinearConv : kConvInteger;
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(in.x));
  RI_ASSIGN_OR_RETURN(const TensorInfo* w, ctx.required_input(in.w));
  RI_RETURN_IF_ERROR(check_int8(ctx, x, "x"));
  RI_RETURN_IF_ERROR(check_int8(ctx, w, "w"));
  RI_ASSIGN_OR_RETURN(const WindowAttributes attrs, WindowAttributes::from(ctx.node()));
  RI_ASSIGN_OR_RETURN(const ConvShape s,
                      conv::bind_conv(ctx.node(), attrs, false, x->shape, w->shape, nullptr));
  const TensorInfo* x_zp = ctx.input(in.x_zero);
  const TensorInfo* w_zp = ctx.input(in.w_zero);
  if ((x_zp != nullptr && x_zp->dtype != x->dtype) || (w_zp != nullptr && w_zp->dtype != w->dtype)) {
    return ctx.error(StatusCode::kInvalidArgument, "a zero point's dtype differs from its operand's");
  }
  RI_RETURN_IF_ERROR(check_per_axis(ctx, x_zp, 1, "x_zero_point"));
  RI_RETURN_IF_ERROR(check_per_axis(ctx, w_zp, s.out_channels, "w_zero_point"));
  if constexpr (kRequantize) {
    RI_ASSIGN_OR_RETURN(const TensorInfo* x_scale, ctx.required_input(in.x_scale));
    RI_ASSIGN_OR_RETURN(const TensorInfo* w_scale, ctx.required_input(in.w_scale));
    RI_ASSIGN_OR_RETURN(const TensorInfo* y_scale, ctx.required_input(in.y_scale));
    RI_ASSIGN_OR_RETURN(const TensorInfo* y_zp, ctx.required_input(in.y_zero));
    RI_RETURN_IF_ERROR(check_float_scale(ctx, x_scale, "x_scale"));
    RI_RETURN_IF_ERROR(check_float_scale(ctx, w_scale, "w_scale"));
    RI_RETURN_IF_ERROR(check_float_scale(ctx, y_scale, "y_scale"));
    RI_RETURN_IF_ERROR(check_per_axis(ctx, x_scale, 1, "x_scale"));
    RI_RETURN_IF_ERROR(check_per_axis(ctx, w_scale, s.out_channels, "w_scale"));
    RI_RETURN_IF_ERROR(check_per_axis(ctx, y_scale, 1, "y_scale"));
    RI_RETURN_IF_ERROR(check_per_axis(ctx, y_zp, 1, "y_zero_point"));
    RI_RETURN_IF_ERROR(check_int8(ctx, y_zp, "y_zero_point"));
    const TensorInfo* bias = ctx.input(in.bias);
    if (bias != nullptr && (bias->dtype != DType::kInt32 || bias->shape.rank() != 1 ||
                            bias->shape[0] != s.out_channels)) {
      return ctx.error(StatusCode::kInvalidArgument, "B must be int32 ({}), got {} {}",
                       s.out_channels, dtype_name(bias->dtype), bias->shape.to_string());
    }
    ctx.set_output(0, y_zp->dtype, s.output_shape());
  } else {
    ctx.set_output(0, DType::kInt32, s.output_shape());
  }
  return Status::ok();
}

}  // namespace

Status infer_conv_integer(InferContext& ctx) { return infer_integer_conv<false>(ctx); }
std::unique_ptr<Kernel> make_conv_integer(const ir::Node& node) {
  return std::make_unique<IntegerConvKernel<false>>(node);
}
Status infer_qlinear_conv(InferContext& ctx) { return infer_integer_conv<true>(ctx); }
std::unique_ptr<Kernel> make_qlinear_conv(const ir::Node& node) {
  return std::make_unique<IntegerConvKernel<true>>(node);
}

}  // namespace recinfer::kernels
