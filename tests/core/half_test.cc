// Expected bit patterns from numpy (astype(np.float16) rounds to nearest even from the source
// type) and, for bfloat16, from the integer rounding formula (u + 0x7fff + ((u >> 16) & 1)) >> 16
// on the float32 bits.
#include <gtest/gtest.h>

#include <cmath>

#include "core/half.h"

namespace recinfer {
namespace {

TEST(HalfTest, FloatToHalfMatchesNumpy) {
  const std::pair<float, uint16_t> cases[] = {
      {0.0f, 0x0000}, {-0.0f, 0x8000}, {1.0f, 0x3c00}, {-2.5f, 0xc100},
      {65504.0f, 0x7bff}, {65519.98828125f, 0x7bff}, {65520.0f, 0x7c00}, {1e9f, 0x7c00},
      {5.960464477539063e-08f, 0x0001},   // smallest subnormal
      {2.9802322387695312e-08f, 0x0000},  // half of it: tie to even (0)
      {2.980232594040899e-08f, 0x0001},   // just above the tie
      {1.00048828125f, 0x3c00},           // tie between 1 and 1+2^-10: even
      {1.00146484375f, 0x3c02},           // tie between 1+2^-10 and 1+2^-9: even
      {6.097555160522461e-05f, 0x03ff},   // largest subnormal
      {0.1f, 0x2e66}, {-1e-10f, 0x8000}, {INFINITY, 0x7c00}, {-INFINITY, 0xfc00}};
  for (const auto& [value, bits] : cases) EXPECT_EQ(float_to_half(value), bits) << value;
  EXPECT_EQ(float_to_half(NAN) & 0x7c00, 0x7c00);
  EXPECT_NE(float_to_half(NAN) & 0x03ff, 0);
}

TEST(HalfTest, DoubleRoundsOnce) {
  // 1 + 2^-11 + 2^-40 is above the tie: rounding to float first would land on the tie and then
  // on 1.0; rounding once from double gives 1 + 2^-10.
  EXPECT_EQ(double_to_half(1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40)), 0x3c01);
  EXPECT_EQ(double_to_half(1.00048828125), 0x3c00);
  EXPECT_EQ(double_to_half(0.1), 0x2e66);
}

TEST(HalfTest, HalfToFloatIsExact) {
  EXPECT_EQ(half_to_float(0x3c00), 1.0f);
  EXPECT_EQ(half_to_float(0xc100), -2.5f);
  EXPECT_EQ(half_to_float(0x7bff), 65504.0f);
  EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(half_to_float(0x03ff), 1023 * std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isinf(half_to_float(0xfc00)) && half_to_float(0xfc00) < 0);
  EXPECT_TRUE(std::isnan(half_to_float(0x7e00)));
  for (uint32_t bits = 0; bits < 0x7c00; ++bits) {  // every finite positive half round-trips
    ASSERT_EQ(float_to_half(half_to_float(static_cast<uint16_t>(bits))), bits);
  }
}

TEST(HalfTest, BFloat16RoundsToNearestEven) {
  const std::pair<float, uint16_t> cases[] = {
      {1.0f, 0x3f80}, {0.4789254665374756f, 0x3ef5}, {0.48033666610717773f, 0x3ef6},
      {1.00390625f, 0x3f80},  // tie: even
      {1.01171875f, 0x3f82},  // tie: even (up)
      {-2.5f, 0xc020}, {1e-40f, 0x0001}, {INFINITY, 0x7f80}};
  for (const auto& [value, bits] : cases) EXPECT_EQ(float_to_bfloat16(value), bits) << value;
  EXPECT_EQ(float_to_bfloat16(NAN), 0x7fc0);
  EXPECT_EQ(bfloat16_to_float(0x3ef5), 0.478515625f);
  EXPECT_EQ(bfloat16_to_float(0xc020), -2.5f);
}

}  // namespace
}  // namespace recinfer
