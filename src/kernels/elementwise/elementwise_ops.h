// Entry points of the elementwise family, registered in register.cc. Each op has an infer
// function, an optimised kernel factory and a naive reference kernel factory.
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

#define RI_ELEMENTWISE_OP(name)                              \
  Status infer_##name(InferContext& ctx);                    \
  std::unique_ptr<Kernel> make_##name(const ir::Node& node); \
  std::unique_ptr<Kernel> make_##name##_reference(const ir::Node& node);

// Unary (unary.cc).
RI_ELEMENTWISE_OP(abs)
RI_ELEMENTWISE_OP(neg)
RI_ELEMENTWISE_OP(exp)
RI_ELEMENTWISE_OP(log)
RI_ELEMENTWISE_OP(sqrt)
RI_ELEMENTWISE_OP(relu)
RI_ELEMENTWISE_OP(sigmoid)
RI_ELEMENTWISE_OP(tanh)
RI_ELEMENTWISE_OP(erf)
RI_ELEMENTWISE_OP(reciprocal)
RI_ELEMENTWISE_OP(ceil)
RI_ELEMENTWISE_OP(floor)
RI_ELEMENTWISE_OP(round)
RI_ELEMENTWISE_OP(sign)
RI_ELEMENTWISE_OP(sin)
RI_ELEMENTWISE_OP(cos)
RI_ELEMENTWISE_OP(tan)
RI_ELEMENTWISE_OP(asin)
RI_ELEMENTWISE_OP(acos)
RI_ELEMENTWISE_OP(atan)
RI_ELEMENTWISE_OP(sinh)
RI_ELEMENTWISE_OP(cosh)
RI_ELEMENTWISE_OP(asinh)
RI_ELEMENTWISE_OP(acosh)
RI_ELEMENTWISE_OP(atanh)
RI_ELEMENTWISE_OP(softplus)
RI_ELEMENTWISE_OP(softsign)
RI_ELEMENTWISE_OP(hard_swish)
// Unary with attributes (activation_ops.cc), ai.recinfer Gelu included.
RI_ELEMENTWISE_OP(leaky_relu)
RI_ELEMENTWISE_OP(elu)
RI_ELEMENTWISE_OP(selu)
RI_ELEMENTWISE_OP(celu)
RI_ELEMENTWISE_OP(hard_sigmoid)
RI_ELEMENTWISE_OP(thresholded_relu)
RI_ELEMENTWISE_OP(shrink)
RI_ELEMENTWISE_OP(gelu)
// Binary with broadcasting (arithmetic.cc, mod.cc, pow.cc).
RI_ELEMENTWISE_OP(add)
RI_ELEMENTWISE_OP(sub)
RI_ELEMENTWISE_OP(mul)
RI_ELEMENTWISE_OP(div)
RI_ELEMENTWISE_OP(mod)
RI_ELEMENTWISE_OP(pow)
// Variadic with broadcasting (variadic.cc).
RI_ELEMENTWISE_OP(min)
RI_ELEMENTWISE_OP(max)
RI_ELEMENTWISE_OP(sum)
RI_ELEMENTWISE_OP(mean)
// Binary with their own shape rules (prelu_bit_shift.cc).
RI_ELEMENTWISE_OP(prelu)
RI_ELEMENTWISE_OP(bit_shift)
// clip.cc, cast.cc (Cast and CastLike).
RI_ELEMENTWISE_OP(clip)
RI_ELEMENTWISE_OP(cast)
// CastLike shares Cast's kernels: they convert to the dtype infer gave the output.
Status infer_cast_like(InferContext& ctx);

#undef RI_ELEMENTWISE_OP

// Ops whose kernel is already the naive form (no reference kernel): float_class.cc,
// dropout_size.cc.
#define RI_ELEMENTWISE_OP(name)             \
  Status infer_##name(InferContext& ctx); \
  std::unique_ptr<Kernel> make_##name(const ir::Node& node);
RI_ELEMENTWISE_OP(is_nan)
RI_ELEMENTWISE_OP(is_inf)
RI_ELEMENTWISE_OP(dropout)
RI_ELEMENTWISE_OP(size)

#undef RI_ELEMENTWISE_OP

}  // namespace recinfer::kernels
