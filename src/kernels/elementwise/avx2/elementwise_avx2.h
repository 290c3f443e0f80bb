// AVX2 builds of the elementwise loops, chosen at run time. The project compiles for baseline
// x86-64 (SSE2, 4 floats per op); the bias adds, scalings and activations of recommendation
// models mostly run on L1/L2-resident tensors where 8-wide AVX2 roughly doubles throughput.
// The loops are the same templates as the portable path (broadcast.h is always_inline), so the
// per-element results are identical; only the vector width differs.
#pragma once

#include "kernels/elementwise/activation_functors.h"
#include "kernels/elementwise/binary_functors.h"
#include "kernels/elementwise/broadcast.h"
#include "kernels/elementwise/math_functors.h"
#include "kernels/elementwise/unary_functors.h"

namespace recinfer::kernels::elementwise_avx2 {

// n contiguous elements: out[i] = fn(in[i]).
using UnaryRangeFn = void (*)(const void* in, void* out, int64_t n);
// The same for functors constructed from the node's attributes.
using AttrUnaryRangeFn = void (*)(const void* in, void* out, int64_t n, const UnaryAttrs& attrs);

// nullptr when the CPU lacks AVX2, AVX2 is switched off, or no variant exists for the
// combination. Variants: Add/Sub/Mul/Min/Max on float32, float64, int32, int64; Div on
// float32/float64 (integer division does not vectorise); Abs/Neg/Relu on the same four types;
// float32 Exp/Sigmoid/Tanh as the approximations of fast_math_avx2.h (a few ulp from the
// std functions the portable path and the reference use; these also need FMA). The MLP
// activations: float32 Erf, Gelu and GeluTanh (fast_math_avx2.h, need FMA), LeakyRelu on
// float32/float64, float32 Elu (fast_math_avx2.h).
template <typename T, template <typename> class Fn>
BinaryRangeFn find_binary_range() {
  return nullptr;
}
template <typename T, template <typename> class Fn>
UnaryRangeFn find_unary_range() {
  return nullptr;
}
template <typename T, template <typename> class Fn>
AttrUnaryRangeFn find_attr_unary_range() {
  return nullptr;
}

#define RI_AVX2_BINARY(T, Fn) \
  template <>                 \
  BinaryRangeFn find_binary_range<T, Fn>();
#define RI_AVX2_UNARY(T, Fn) \
  template <>                \
  UnaryRangeFn find_unary_range<T, Fn>();
#define RI_AVX2_FOR_TYPES(X, Fn) X(float, Fn) X(double, Fn) X(int32_t, Fn) X(int64_t, Fn)

RI_AVX2_FOR_TYPES(RI_AVX2_BINARY, AddFn)
RI_AVX2_FOR_TYPES(RI_AVX2_BINARY, SubFn)
RI_AVX2_FOR_TYPES(RI_AVX2_BINARY, MulFn)
RI_AVX2_FOR_TYPES(RI_AVX2_BINARY, MinFn)
RI_AVX2_FOR_TYPES(RI_AVX2_BINARY, MaxFn)
RI_AVX2_BINARY(float, DivFn)
RI_AVX2_BINARY(double, DivFn)
RI_AVX2_FOR_TYPES(RI_AVX2_UNARY, AbsFn)
RI_AVX2_FOR_TYPES(RI_AVX2_UNARY, NegFn)
RI_AVX2_FOR_TYPES(RI_AVX2_UNARY, ReluFn)
RI_AVX2_UNARY(float, ExpFn)
RI_AVX2_UNARY(float, SigmoidFn)
RI_AVX2_UNARY(float, TanhFn)
RI_AVX2_UNARY(float, ErfFn)
RI_AVX2_UNARY(float, GeluFn)
RI_AVX2_UNARY(float, GeluTanhFn)

#define RI_AVX2_ATTR_UNARY(T, Fn) \
  template <>                     \
  AttrUnaryRangeFn find_attr_unary_range<T, Fn>();
RI_AVX2_ATTR_UNARY(float, LeakyReluFn)
RI_AVX2_ATTR_UNARY(double, LeakyReluFn)
RI_AVX2_ATTR_UNARY(float, EluFn)

#undef RI_AVX2_BINARY
#undef RI_AVX2_UNARY
#undef RI_AVX2_ATTR_UNARY

// Process-wide switch (default on) so tests cover the portable loops on AVX2 machines and a
// wrong answer can be bisected to the ISA variant. Thread-safe; affects later lookups only.
void set_avx2_allowed(bool allowed);
bool avx2_active();

}  // namespace recinfer::kernels::elementwise_avx2
