// float16/bfloat16 in kernels: both are storage types (uint16 bit patterns) that kernels widen
// to float to compute and round back to nearest even to store (core/half.h). Only the ops that
// say so take them (Cast, CastLike, Max, Min, Mod); the rest report kUnsupported through their
// dtype sets, which never include these bits.
#pragma once

#include <cstdint>

#include "core/half.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

inline constexpr uint32_t kHalfFloats = bit(DType::kFloat16) | bit(DType::kBFloat16);

inline bool is_half_float(DType dtype) { return dtype_in(dtype, kHalfFloats); }

// `dtype` is kFloat16 or kBFloat16.
inline float widen_half(DType dtype, uint16_t bits) {
  return dtype == DType::kBFloat16 ? bfloat16_to_float(bits) : half_to_float(bits);
}
inline uint16_t narrow_to_half(DType dtype, double value) {
  return dtype == DType::kBFloat16 ? double_to_bfloat16(value) : double_to_half(value);
}

}  // namespace recinfer::kernels
