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
// clip.cc, cast.cc.
RI_ELEMENTWISE_OP(clip)
RI_ELEMENTWISE_OP(cast)

#undef RI_ELEMENTWISE_OP

}  // namespace recinfer::kernels
