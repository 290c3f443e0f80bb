// DynamicQuantizeLinear (opset 11): uint8 quantization of a float32 tensor with parameters from
// its own range, extended to include 0 so that 0 is exact:
//   scale = (max(x, 0) - min(x, 0)) / 255
//   zero_point = saturate(round_half_even(-min(x, 0) / scale))
//   y = saturate(round_half_even(x / scale) + zero_point)
// An all-zero (or empty) x has scale 0: y and zero_point are 0 (nothing to divide by).
#include <algorithm>
#include <cmath>

#include "kernels/quant/integer_kernels.h"

namespace recinfer::kernels {

namespace {

uint8_t saturate_u8(float v) {
  return static_cast<uint8_t>(v >= 0.0f ? std::min(v, 255.0f) : 0.0f);  // NaN -> 0
}

class DynamicQuantizeKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const float* src = x.data<float>();
    const int64_t n = x.numel();
    float low = 0.0f, high = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
      low = std::min(low, src[i]);
      high = std::max(high, src[i]);
    }
    const float scale = (high - low) / 255.0f;
    const uint8_t zero_point = scale > 0.0f ? saturate_u8(std::nearbyint(-low / scale)) : 0;
    uint8_t* y = ctx.output(0).data<uint8_t>();
    for (int64_t i = 0; i < n; ++i) {
      y[i] = scale > 0.0f ? saturate_u8(std::nearbyint(src[i] / scale) + zero_point) : 0;
    }
    ctx.output(1).data<float>()[0] = scale;
    ctx.output(2).data<uint8_t>()[0] = zero_point;
    return Status::ok();
  }
};

}  // namespace

Status infer_dynamic_quantize_linear(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (x->dtype != DType::kFloat32) {
    return ctx.error(StatusCode::kUnsupported, "x has dtype {} (float32 supported)",
                     dtype_name(x->dtype));
  }
  ctx.set_output(0, DType::kUint8, x->shape);
  ctx.set_output(1, DType::kFloat32, Shape{});
  ctx.set_output(2, DType::kUint8, Shape{});
  return Status::ok();
}

std::unique_ptr<Kernel> make_dynamic_quantize_linear(const ir::Node&) {
  return std::make_unique<DynamicQuantizeKernel>();
}

}  // namespace recinfer::kernels
