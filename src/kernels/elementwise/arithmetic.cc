// Add, Sub, Mul, Div: same-dtype inputs, numpy broadcasting, output of the input dtype.
// Integer Div truncates toward zero like C; an integer zero divisor is a data error.
#include "kernels/elementwise/binary_functors.h"
#include "kernels/elementwise/binary_kernel.h"
#include "kernels/elementwise/elementwise_ops.h"

namespace recinfer::kernels {

#define RI_ARITHMETIC_OP(name, Fn)                                        \
  Status infer_##name(InferContext& ctx) {                                \
    return infer_broadcast_same_type(ctx, kNumeric, 2, 2);                \
  }                                                                       \
  std::unique_ptr<Kernel> make_##name(const ir::Node& node) {             \
    return make_binary<Fn, kNumeric>(node);                               \
  }                                                                       \
  std::unique_ptr<Kernel> make_##name##_reference(const ir::Node& node) { \
    return make_binary_reference<Fn, kNumeric>(node);                     \
  }

RI_ARITHMETIC_OP(add, AddFn)
RI_ARITHMETIC_OP(sub, SubFn)
RI_ARITHMETIC_OP(mul, MulFn)
RI_ARITHMETIC_OP(div, DivFn)

#undef RI_ARITHMETIC_OP

}  // namespace recinfer::kernels
