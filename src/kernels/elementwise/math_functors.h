// Scalar semantics of the attribute-free unary math ops added for ONNX coverage: Erf,
// Reciprocal, Ceil/Floor/Round, Sign, the trigonometric and hyperbolic functions, Softplus and
// Softsign. Shared by the optimised kernels, the reference kernels and (float32 Erf) the AVX2
// variant's tests. Float types only, except Sign (every numeric type).
#pragma once

#include <cmath>
#include <type_traits>

namespace recinfer::kernels {

template <typename T>
struct ErfFn {
  T operator()(T x) const { return std::erf(x); }
};
template <typename T>
struct ReciprocalFn {
  T operator()(T x) const { return T{1} / x; }
};
template <typename T>
struct CeilFn {
  T operator()(T x) const { return std::ceil(x); }
};
template <typename T>
struct FloorFn {
  T operator()(T x) const { return std::floor(x); }
};
// ONNX Round is half-to-even (numpy's round); nearbyint does exactly that in the default
// rounding mode, which recinfer never changes.
template <typename T>
struct RoundFn {
  T operator()(T x) const { return std::nearbyint(x); }
};
// -1/0/1; NaN stays NaN (numpy's sign). Unsigned values are never negative.
template <typename T>
struct SignFn {
  T operator()(T x) const {
    if constexpr (std::is_unsigned_v<T>) {
      return x > T{0} ? T{1} : T{0};
    } else {
      return x > T{0} ? T{1} : (x < T{0} ? T{-1} : x);
    }
  }
};

#define RI_STD_MATH_FN(Name, fn)                   \
  template <typename T>                            \
  struct Name {                                    \
    T operator()(T x) const { return std::fn(x); } \
  };
RI_STD_MATH_FN(SinFn, sin)
RI_STD_MATH_FN(CosFn, cos)
RI_STD_MATH_FN(TanFn, tan)
RI_STD_MATH_FN(AsinFn, asin)
RI_STD_MATH_FN(AcosFn, acos)
RI_STD_MATH_FN(AtanFn, atan)
RI_STD_MATH_FN(SinhFn, sinh)
RI_STD_MATH_FN(CoshFn, cosh)
RI_STD_MATH_FN(AsinhFn, asinh)
RI_STD_MATH_FN(AcoshFn, acosh)
RI_STD_MATH_FN(AtanhFn, atanh)
#undef RI_STD_MATH_FN

// log(1 + exp(x)) written so that exp never overflows: large x gives x, not inf.
template <typename T>
struct SoftplusFn {
  T operator()(T x) const {
    return x > T{0} ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
  }
};
template <typename T>
struct SoftsignFn {
  T operator()(T x) const { return x / (T{1} + std::fabs(x)); }
};

}  // namespace recinfer::kernels
