// exp for float softmax, written without calls or branches so loops over it vectorise (libm's
// expf is an opaque call per element and dominated softmax time). Cephes-style: round x/ln2 to
// n, evaluate a degree-6 polynomial on the remainder, scale by 2^n through the exponent bits.
// Within 2 ulp of std::exp on [-87, 88]; below -87 (where exp is at most a denormal) it returns
// exactly 0, so masked (-inf) logits get probability 0. NaN in gives NaN out.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>

namespace recinfer::kernels::reduce {

// Exponent-bit masks for the range checks: float compares are not if-converted under the
// default -ftrapping-math and would stop vectorisation, integer compares on the bit pattern are.
// For negative floats a larger signed pattern is a more negative value; NaN patterns lie beyond
// the infinities and are excluded, so NaN passes through.
inline int32_t below_mask(int32_t bits, float limit) {  // all ones where x < limit < 0, -inf too
  constexpr int32_t kNegInf = std::bit_cast<int32_t>(-std::numeric_limits<float>::infinity());
  return -static_cast<int32_t>((bits > std::bit_cast<int32_t>(limit)) & (bits <= kNegInf));
}
inline int32_t above_mask(int32_t bits, float limit) {  // all ones where x > limit > 0, +inf too
  constexpr int32_t kPosInf = std::bit_cast<int32_t>(std::numeric_limits<float>::infinity());
  return -static_cast<int32_t>((bits > std::bit_cast<int32_t>(limit)) & (bits <= kPosInf));
}

inline float fast_exp(float x) {
  constexpr float kLow = -87.0f;  // exp below this is flushed to exactly 0 (masked logits)
  constexpr float kHigh = 88.0f;  // exp above this is clamped to exp(88)
  constexpr float kLog2e = 1.44269504088896341f;
  constexpr float kLn2Hi = 0.693359375f;
  constexpr float kLn2Lo = -2.12194440e-4f;
  // Adding 1.5 * 2^23 rounds to the nearest integer in the low mantissa bits (no floor call).
  constexpr float kRoundMagic = 12582912.0f;
  const int32_t bits = std::bit_cast<int32_t>(x);
  const int32_t underflow = below_mask(bits, kLow);
  const int32_t overflow = above_mask(bits, kHigh);
  int32_t clamped = (std::bit_cast<int32_t>(kLow) & underflow) | (bits & ~underflow);
  clamped = (std::bit_cast<int32_t>(kHigh) & overflow) | (clamped & ~overflow);
  x = std::bit_cast<float>(clamped);

  const float rounded = x * kLog2e + kRoundMagic;
  const float n = rounded - kRoundMagic;
  const float r = x - n * kLn2Hi - n * kLn2Lo;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  // n as an integer straight from the rounded value's mantissa: no float-to-int conversion,
  // which would be undefined for NaN.
  const uint32_t n_bits = std::bit_cast<uint32_t>(rounded) - std::bit_cast<uint32_t>(kRoundMagic);
  const float result = p * std::bit_cast<float>((n_bits + 127u) << 23);
  return std::bit_cast<float>(std::bit_cast<int32_t>(result) & ~underflow);
}

}  // namespace recinfer::kernels::reduce
