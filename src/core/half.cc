#include "core/half.h"

#include <cmath>
#include <cstring>

namespace recinfer {

namespace {

// A binary floating-point format with 1 sign bit, `kExpBits` exponent bits and `kManBits`
// stored mantissa bits (float16: 5/10, bfloat16: 8/7).
template <int kExpBits, int kManBits>
uint16_t narrow(double value) {
  constexpr int kBias = (1 << (kExpBits - 1)) - 1;
  constexpr int kMaxExpField = (1 << kExpBits) - 1;
  constexpr uint16_t kInf = static_cast<uint16_t>(kMaxExpField << kManBits);
  constexpr uint16_t kQuietNaN = static_cast<uint16_t>(kInf | (1u << (kManBits - 1)));
  const uint16_t sign = std::signbit(value) ? 0x8000 : 0;
  if (std::isnan(value)) return sign | kQuietNaN;
  const double magnitude = std::fabs(value);
  if (std::isinf(magnitude)) return sign | kInf;
  constexpr int kMinNormalExp = 1 - kBias;
  if (magnitude < std::ldexp(1.0, kMinNormalExp)) {
    // Subnormal: units of 2^(kMinNormalExp - kManBits). Scaling by a power of two is exact,
    // nearbyint rounds half to even; a result of 2^kManBits is the smallest normal, which the
    // bit pattern encodes by itself.
    const double units = std::nearbyint(std::ldexp(magnitude, kManBits - kMinNormalExp));
    return sign | static_cast<uint16_t>(units);
  }
  int exp2 = 0;
  std::frexp(magnitude, &exp2);  // magnitude in [2^(exp2-1), 2^exp2)
  int exponent = exp2 - 1;
  double mantissa = std::nearbyint(std::ldexp(magnitude, kManBits - exponent));
  if (mantissa >= std::ldexp(1.0, kManBits + 1)) {  // rounded up into the next binade
    mantissa = std::ldexp(1.0, kManBits);
    ++exponent;
  }
  const int field = exponent + kBias;
  if (field >= kMaxExpField) return sign | kInf;
  const auto fraction = static_cast<uint16_t>(static_cast<uint32_t>(mantissa) - (1u << kManBits));
  return sign | static_cast<uint16_t>(field << kManBits) | fraction;
}

}  // namespace

uint16_t double_to_half(double value) { return narrow<5, 10>(value); }
uint16_t double_to_bfloat16(double value) { return narrow<8, 7>(value); }

float half_to_float(uint16_t bits) {
  const float sign = (bits & 0x8000) != 0 ? -1.0f : 1.0f;
  const int field = (bits >> 10) & 0x1f;
  const int fraction = bits & 0x3ff;
  if (field == 0) return sign * std::ldexp(static_cast<float>(fraction), -24);
  if (field == 31) return fraction == 0 ? sign * INFINITY : std::copysign(NAN, sign);
  return sign * std::ldexp(static_cast<float>(fraction | 0x400), field - 25);
}

float bfloat16_to_float(uint16_t bits) {
  // bfloat16 is the top half of a float32.
  const uint32_t wide = static_cast<uint32_t>(bits) << 16;
  float out = 0;
  std::memcpy(&out, &wide, sizeof(out));
  return out;
}

}  // namespace recinfer
