// Dtype dispatch: calls fn(T{}) with the C++ type for a runtime DType, or returns kUnsupported.
// Usage: return dispatch<kNumeric>(dtype, [&](auto tag) { using T = decltype(tag); ... });
#pragma once

#include <cstdint>

#include "recinfer/dtype.h"
#include "recinfer/status.h"

namespace recinfer::kernels {

// Type sets, as bit masks over DType.
constexpr uint32_t bit(DType t) { return 1u << static_cast<unsigned>(t); }
inline constexpr uint32_t kFloats = bit(DType::kFloat32) | bit(DType::kFloat64);
inline constexpr uint32_t kSignedInts =
    bit(DType::kInt64) | bit(DType::kInt32) | bit(DType::kInt16) | bit(DType::kInt8);
inline constexpr uint32_t kUnsignedInts =
    bit(DType::kUint64) | bit(DType::kUint32) | bit(DType::kUint16) | bit(DType::kUint8);
inline constexpr uint32_t kInts = kSignedInts | kUnsignedInts;
inline constexpr uint32_t kNumeric = kFloats | kInts;
inline constexpr uint32_t kAll = kNumeric | bit(DType::kBool);

inline bool dtype_in(DType t, uint32_t set) { return (bit(t) & set) != 0; }

template <uint32_t kSet, typename Fn>
Status dispatch(DType dtype, Fn&& fn) {
  switch (dtype) {
#define RI_DISPATCH_CASE(enum_value, type)                                  \
  case DType::enum_value:                                                   \
    if constexpr ((kSet & bit(DType::enum_value)) != 0) return fn(type{}); \
    break;
    RI_DISPATCH_CASE(kFloat32, float)
    RI_DISPATCH_CASE(kFloat64, double)
    RI_DISPATCH_CASE(kInt64, int64_t)
    RI_DISPATCH_CASE(kInt32, int32_t)
    RI_DISPATCH_CASE(kInt16, int16_t)
    RI_DISPATCH_CASE(kInt8, int8_t)
    RI_DISPATCH_CASE(kUint64, uint64_t)
    RI_DISPATCH_CASE(kUint32, uint32_t)
    RI_DISPATCH_CASE(kUint16, uint16_t)
    RI_DISPATCH_CASE(kUint8, uint8_t)
    RI_DISPATCH_CASE(kBool, bool)
#undef RI_DISPATCH_CASE
    default:
      break;
  }
  return unsupported("dtype {} is not supported here", dtype_name(dtype));
}

}  // namespace recinfer::kernels
