// Scalar semantics of the unary elementwise ops, shared by the optimised, reference and AVX2
// kernels (except float32 Exp/Sigmoid/Tanh under AVX2, see avx2/fast_math_avx2.h).
#pragma once

#include <cmath>
#include <type_traits>

#include "kernels/elementwise/binary_functors.h"

namespace recinfer::kernels {

// Abs/Neg of the most negative integer wrap to itself, like numpy, instead of overflowing.
template <typename T>
struct AbsFn {
  T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) {
      return std::fabs(x);
    } else if constexpr (std::is_signed_v<T>) {
      return x < 0 ? wrap_sub(T{0}, x) : x;
    } else {
      return x;
    }
  }
};
template <typename T>
struct NegFn {
  T operator()(T x) const { return wrap_sub(T{0}, x); }
};
template <typename T>
struct ExpFn {
  T operator()(T x) const { return std::exp(x); }
};
template <typename T>
struct LogFn {
  T operator()(T x) const { return std::log(x); }
};
template <typename T>
struct SqrtFn {
  T operator()(T x) const { return std::sqrt(x); }
};
// `x < 0 ? 0 : x` keeps NaN as NaN, like numpy's maximum(x, 0).
template <typename T>
struct ReluFn {
  T operator()(T x) const { return x < T{0} ? T{0} : x; }
};
// exp(-x) overflows to inf for very negative x, and 1/(1+inf) is the correct limit 0.
template <typename T>
struct SigmoidFn {
  T operator()(T x) const { return T{1} / (T{1} + std::exp(-x)); }
};
template <typename T>
struct TanhFn {
  T operator()(T x) const { return std::tanh(x); }
};

}  // namespace recinfer::kernels
