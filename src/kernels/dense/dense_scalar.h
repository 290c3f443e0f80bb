// Scalar arithmetic shared by the naive GEMM loops and the reference kernels, so that both agree
// on integer semantics: integer products wrap (two's complement, like numpy) instead of being
// signed-overflow UB, and Gemm's float alpha/beta scale integers through double with saturation.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/dispatch.h"
#include "recinfer/dtype.h"

namespace recinfer::kernels::dense {

// The dtypes Gemm and MatMul compute in, as a dispatch set. ONNX also allows float16 and
// bfloat16, which recinfer does not compute in.
inline constexpr uint32_t kDenseTypes = bit(DType::kFloat32) | bit(DType::kFloat64) |
                                        bit(DType::kInt32) | bit(DType::kInt64) |
                                        bit(DType::kUint32) | bit(DType::kUint64);

template <typename T>
inline T wrap_add(T x, T y) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(x) + static_cast<U>(y));
  } else {
    return x + y;
  }
}

template <typename T>
inline T mul_add(T acc, T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(acc) + static_cast<U>(a) * static_cast<U>(b));
  } else {
    return acc + a * b;
  }
}

// double -> integer without UB: NaN becomes 0, out-of-range values saturate.
template <typename T>
inline T saturate_cast(double v) {
  if (std::isnan(v)) return T(0);
  if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) {
    return std::numeric_limits<T>::lowest();
  }
  if (v >= static_cast<double>(std::numeric_limits<T>::max())) {
    return std::numeric_limits<T>::max();
  }
  return static_cast<T>(v);
}

// s * v for Gemm's alpha/beta. For integers the common s == 1 stays exact even for int64 values
// beyond 2^53; other factors go through double.
template <typename T>
inline T scale(T v, float s) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(s) * v;
  } else {
    if (s == 1.0f) return v;
    return saturate_cast<T>(static_cast<double>(s) * static_cast<double>(v));
  }
}

}  // namespace recinfer::kernels::dense
