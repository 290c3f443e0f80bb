// Abs, Neg, Exp, Log, Sqrt, Relu, Sigmoid, Tanh: one input, same dtype and shape out. The
// optimised kernel is a contiguous loop split by parallel_for; the reference is the same
// per-element function in one serial loop.
#include <cmath>
#include <type_traits>

#include "kernels/elementwise/avx2/elementwise_avx2.h"
#include "kernels/elementwise/broadcast.h"
#include "kernels/elementwise/elementwise_common.h"
#include "kernels/elementwise/elementwise_ops.h"
#include "kernels/elementwise/unary_functors.h"

namespace recinfer::kernels {

namespace {

template <template <typename> class Fn, uint32_t kTypes, bool kReference>
class UnaryKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = ctx.output(0);
    return dispatch<kTypes>(in.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = in.data<T>();
      T* dst = out.data<T>();  // may alias src: each element is read before it is written
      const Fn<T> fn{};
      if constexpr (kReference) {
        for (int64_t i = 0; i < in.numel(); ++i) dst[i] = fn(src[i]);
      } else if (auto wide = elementwise_avx2::find_unary_range<T, Fn>()) {
        ctx.parallel_for(in.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
          wide(src + begin, dst + begin, end - begin);
        });
      } else {
        ctx.parallel_for(in.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
          for (int64_t i = begin; i < end; ++i) dst[i] = fn(src[i]);
        });
      }
      return Status::ok();
    });
  }
};

Status infer_unary(InferContext& ctx, uint32_t types) {
  if (ctx.num_inputs() != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "expects 1 input, got {}", ctx.num_inputs());
  }
  RI_ASSIGN_OR_RETURN(const TensorInfo* in, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_dtype(ctx, in->dtype, types, "input 0"));
  ctx.set_output(0, in->dtype, in->shape);
  return Status::ok();
}

}  // namespace

// Type sets follow the latest opset of each op (Relu gained signed ints in opset 14, Neg has
// no unsigned types); accepting them at older opsets computes the same values.
#define RI_UNARY_OP(name, Fn, kTypes)                                         \
  Status infer_##name(InferContext& ctx) { return infer_unary(ctx, kTypes); } \
  std::unique_ptr<Kernel> make_##name(const ir::Node& /*node*/) {             \
    return std::make_unique<UnaryKernel<Fn, kTypes, false>>();                \
  }                                                                           \
  std::unique_ptr<Kernel> make_##name##_reference(const ir::Node& /*node*/) { \
    return std::make_unique<UnaryKernel<Fn, kTypes, true>>();                 \
  }

RI_UNARY_OP(abs, AbsFn, kNumeric)
RI_UNARY_OP(neg, NegFn, kFloats | kSignedInts)
RI_UNARY_OP(exp, ExpFn, kFloats)
RI_UNARY_OP(log, LogFn, kFloats)
RI_UNARY_OP(sqrt, SqrtFn, kFloats)
RI_UNARY_OP(relu, ReluFn, kFloats | kSignedInts)
RI_UNARY_OP(sigmoid, SigmoidFn, kFloats)
RI_UNARY_OP(tanh, TanhFn, kFloats)

#undef RI_UNARY_OP

}  // namespace recinfer::kernels
