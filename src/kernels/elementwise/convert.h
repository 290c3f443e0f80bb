// Element conversion with Cast semantics: float -> integer truncates toward zero, anything ->
// bool is "!= 0", bool -> number is 0/1, integer -> integer wraps (two's complement).
//
// ONNX leaves out-of-range float -> integer conversion undefined, but in C++ it is undefined
// behaviour, and a model can feed any float. So NaN becomes 0 and values are first saturated to
// the int64 range and then narrowed modulo 2^bits, which matches numpy's astype for every value
// numpy itself defines (e.g. -1.0 -> uint8 gives 255, 300.0 -> int8 gives 44).
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

namespace recinfer::kernels {

template <typename To, typename From>
inline To float_to_int(From v) {
  static_assert(std::is_floating_point_v<From> && std::is_integral_v<To>);
  constexpr From kTwo63 = static_cast<From>(9223372036854775808.0);  // exact in float/double
  if (!(v == v)) return To{0};
  if constexpr (std::is_same_v<To, uint64_t>) {
    if (v >= static_cast<From>(18446744073709551616.0)) return std::numeric_limits<uint64_t>::max();
    if (v >= kTwo63) return static_cast<uint64_t>(v);
  }
  if (v >= kTwo63) return static_cast<To>(std::numeric_limits<int64_t>::max());
  if (v < -kTwo63) return static_cast<To>(std::numeric_limits<int64_t>::min());
  return static_cast<To>(static_cast<int64_t>(v));
}

template <typename To, typename From>
inline To convert_value(From v) {
  if constexpr (std::is_same_v<To, From>) {
    return v;
  } else if constexpr (std::is_same_v<To, bool>) {
    return v != From{0};  // NaN != 0, so NaN -> true like numpy
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    return float_to_int<To>(v);
  } else {
    return static_cast<To>(v);
  }
}

}  // namespace recinfer::kernels
