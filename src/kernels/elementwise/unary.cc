// The attribute-free unary ops over UnaryKernel (unary_kernel.h): Abs, Neg, Exp, Log, Sqrt,
// Relu, Sigmoid, Tanh, and the math ops of math_functors.h (Erf, Reciprocal, Ceil, Floor, Round,
// Sign, trigonometric and hyperbolic functions, Softplus, Softsign, HardSwish).
#include "kernels/elementwise/elementwise_common.h"
#include "kernels/elementwise/elementwise_ops.h"
#include "kernels/elementwise/math_functors.h"
#include "kernels/elementwise/unary_functors.h"
#include "kernels/elementwise/unary_kernel.h"

namespace recinfer::kernels {

Status infer_unary(InferContext& ctx, uint32_t types) {
  if (ctx.num_inputs() != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "expects 1 input, got {}", ctx.num_inputs());
  }
  RI_ASSIGN_OR_RETURN(const TensorInfo* in, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_dtype(ctx, in->dtype, types, "input 0"));
  ctx.set_output(0, in->dtype, in->shape);
  return Status::ok();
}

// Type sets follow the latest opset of each op (Relu gained signed ints in opset 14, Neg has
// no unsigned types); accepting them at older opsets computes the same values.
#define RI_UNARY_OP(name, Fn, kTypes)                                         \
  Status infer_##name(InferContext& ctx) { return infer_unary(ctx, kTypes); } \
  std::unique_ptr<Kernel> make_##name(const ir::Node& /*node*/) {             \
    return make_unary<Fn, kTypes>();                                          \
  }                                                                           \
  std::unique_ptr<Kernel> make_##name##_reference(const ir::Node& /*node*/) { \
    return make_unary_reference<Fn, kTypes>();                                \
  }

RI_UNARY_OP(abs, AbsFn, kNumeric)
RI_UNARY_OP(neg, NegFn, kFloats | kSignedInts)
RI_UNARY_OP(exp, ExpFn, kFloats)
RI_UNARY_OP(log, LogFn, kFloats)
RI_UNARY_OP(sqrt, SqrtFn, kFloats)
RI_UNARY_OP(relu, ReluFn, kFloats | kSignedInts)
RI_UNARY_OP(sigmoid, SigmoidFn, kFloats)
RI_UNARY_OP(tanh, TanhFn, kFloats)
// Erf allows integer types from opset 13, but erf of an integer is not an integer: unsupported.
RI_UNARY_OP(erf, ErfFn, kFloats)
RI_UNARY_OP(reciprocal, ReciprocalFn, kFloats)
RI_UNARY_OP(ceil, CeilFn, kFloats)
RI_UNARY_OP(floor, FloorFn, kFloats)
RI_UNARY_OP(round, RoundFn, kFloats)
RI_UNARY_OP(sign, SignFn, kNumeric)
RI_UNARY_OP(sin, SinFn, kFloats)
RI_UNARY_OP(cos, CosFn, kFloats)
RI_UNARY_OP(tan, TanFn, kFloats)
RI_UNARY_OP(asin, AsinFn, kFloats)
RI_UNARY_OP(acos, AcosFn, kFloats)
RI_UNARY_OP(atan, AtanFn, kFloats)
RI_UNARY_OP(sinh, SinhFn, kFloats)
RI_UNARY_OP(cosh, CoshFn, kFloats)
RI_UNARY_OP(asinh, AsinhFn, kFloats)
RI_UNARY_OP(acosh, AcoshFn, kFloats)
RI_UNARY_OP(atanh, AtanhFn, kFloats)
RI_UNARY_OP(softplus, SoftplusFn, kFloats)
RI_UNARY_OP(softsign, SoftsignFn, kFloats)
RI_UNARY_OP(hard_swish, HardSwishFn, kFloats)

#undef RI_UNARY_OP

}  // namespace recinfer::kernels
