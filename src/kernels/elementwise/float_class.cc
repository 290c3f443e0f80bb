// IsNaN and IsInf: float/double in, bool of the same shape out. A flat loop is already the
// naive form, so these have no separate reference kernel.
#include <limits>

#include "kernels/elementwise/broadcast.h"
#include "kernels/elementwise/elementwise_common.h"
#include "kernels/elementwise/elementwise_ops.h"

namespace recinfer::kernels {

namespace {

class FloatClassKernel final : public Kernel {
 public:
  // is_nan: IsNaN; else IsInf with its detect_negative/detect_positive attributes.
  FloatClassKernel(bool is_nan, bool negative, bool positive)
      : is_nan_(is_nan), negative_(negative), positive_(positive) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    bool* out = ctx.output(0).data<bool>();
    return dispatch<kFloats>(in.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = in.data<T>();
      ctx.parallel_for(in.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
        if (is_nan_) {
          for (int64_t i = begin; i < end; ++i) out[i] = src[i] != src[i];
        } else {
          constexpr T kInf = std::numeric_limits<T>::infinity();
          for (int64_t i = begin; i < end; ++i) {
            out[i] = (positive_ && src[i] == kInf) || (negative_ && src[i] == -kInf);
          }
        }
      });
      return Status::ok();
    });
  }

 private:
  bool is_nan_;
  bool negative_;
  bool positive_;
};

Status infer_float_class(InferContext& ctx) {
  if (ctx.num_inputs() != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "expects 1 input, got {}", ctx.num_inputs());
  }
  RI_ASSIGN_OR_RETURN(const TensorInfo* in, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_dtype(ctx, in->dtype, kFloats, "input 0"));
  ctx.set_output(0, DType::kBool, in->shape);
  return Status::ok();
}

}  // namespace

Status infer_is_nan(InferContext& ctx) { return infer_float_class(ctx); }
Status infer_is_inf(InferContext& ctx) { return infer_float_class(ctx); }

std::unique_ptr<Kernel> make_is_nan(const ir::Node& /*node*/) {
  return std::make_unique<FloatClassKernel>(true, false, false);
}
std::unique_ptr<Kernel> make_is_inf(const ir::Node& node) {
  return std::make_unique<FloatClassKernel>(false, node.attr_int("detect_negative", 1) != 0,
                                            node.attr_int("detect_positive", 1) != 0);
}

}  // namespace recinfer::kernels
