// float16/bfloat16 through Cast/CastLike and the ops that take them (Max, Min, Mod). Expected
// bit patterns from numpy (float16) and the bfloat16 rounding formula; see tests/core/half_test.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "elementwise_test_util.h"

namespace recinfer::kernels {
namespace {

using ir::OpType;
using testing::make_tensor;
using testing::run1;
using testing::values_of;

constexpr int64_t kFloat = 1, kInt32 = 6, kFloat16 = 10, kDouble = 11, kBFloat16 = 16;

Tensor half_tensor(DType dtype, const Shape& shape, const std::vector<uint16_t>& bits) {
  Tensor t = Tensor::allocate(dtype, shape).value();
  std::memcpy(t.raw(), bits.data(), bits.size() * sizeof(uint16_t));
  return t;
}

// The stored bit patterns of a float16/bfloat16 tensor.
std::vector<uint16_t> bits_of(const Tensor& t) {
  EXPECT_TRUE(t.dtype() == DType::kFloat16 || t.dtype() == DType::kBFloat16) << dtype_name(t.dtype());
  return std::vector<uint16_t>(t.data<uint16_t>(), t.data<uint16_t>() + t.numel());
}

Tensor cast(const Tensor& x, int64_t to, KernelVariant variant = KernelVariant::kOptimized) {
  return run1(OpType::kCast, 13, {{"to", attr_int(to)}}, {x}, variant);
}

TEST(HalfOpsTest, CastFloatAndDoubleToFloat16) {
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    const Tensor f = make_tensor<float>(Shape{5}, {1.0f, -2.5f, 0.1f, 65520.0f, 1.00048828125f});
    const Tensor h = cast(f, kFloat16, variant);
    EXPECT_EQ(h.dtype(), DType::kFloat16);
    EXPECT_EQ(bits_of(h), (std::vector<uint16_t>{0x3c00, 0xc100, 0x2e66, 0x7c00, 0x3c00}));
    const Tensor d = make_tensor<double>(Shape{1}, {1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40)});
    EXPECT_EQ(bits_of(cast(d, kFloat16, variant)), (std::vector<uint16_t>{0x3c01}));
  }
}

TEST(HalfOpsTest, CastFromFloat16) {
  const Tensor h = half_tensor(DType::kFloat16, Shape{4}, {0x3c00, 0xc100, 0x2e66, 0xfc00});
  const std::vector<float> f = values_of<float>(cast(h, kFloat));
  EXPECT_EQ(f[0], 1.0f);
  EXPECT_EQ(f[1], -2.5f);
  EXPECT_EQ(f[2], 0.0999755859375f);
  EXPECT_TRUE(std::isinf(f[3]) && f[3] < 0);
  EXPECT_EQ(values_of<double>(cast(h, kDouble))[2], 0.0999755859375);
  // float16 -> int truncates toward zero like float -> int; -inf saturates.
  EXPECT_EQ(values_of<int32_t>(cast(h, kInt32))[1], -2);
}

TEST(HalfOpsTest, CastBFloat16BothWays) {
  const Tensor f = make_tensor<float>(Shape{3}, {0.4789254665374756f, 0.48033666610717773f, 1.00390625f});
  const Tensor b = cast(f, kBFloat16);
  EXPECT_EQ(b.dtype(), DType::kBFloat16);
  EXPECT_EQ(bits_of(b), (std::vector<uint16_t>{0x3ef5, 0x3ef6, 0x3f80}));
  EXPECT_EQ(values_of<float>(cast(b, kFloat)), (std::vector<float>{0.478515625f, 0.48046875f, 1.0f}));
  // float16 1+2^-10 -> bfloat16 (7 fraction bits): nearest is 1.0.
  const Tensor h = half_tensor(DType::kFloat16, Shape{1}, {0x3c01});
  EXPECT_EQ(bits_of(cast(h, kBFloat16)), (std::vector<uint16_t>{0x3f80}));
  // CastLike takes the target from its second input.
  const Tensor like = half_tensor(DType::kBFloat16, Shape{1}, {0});
  EXPECT_EQ(bits_of(run1(OpType::kCastLike, 15, {}, {f, like})),
            (std::vector<uint16_t>{0x3ef5, 0x3ef6, 0x3f80}));
}

TEST(HalfOpsTest, MaxMinModOnFloat16) {
  // a = {1, -2.5, 3}, b = {2} broadcast; fmod(-2.5, 2) = -0.5, fmod(3, 2) = 1.
  const Tensor a = half_tensor(DType::kFloat16, Shape{3}, {0x3c00, 0xc100, 0x4200});
  const Tensor b = half_tensor(DType::kFloat16, Shape{1}, {0x4000});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    EXPECT_EQ(bits_of(run1(OpType::kMax, 13, {}, {a, b}, variant)),
              (std::vector<uint16_t>{0x4000, 0x4000, 0x4200}));
    EXPECT_EQ(bits_of(run1(OpType::kMin, 13, {}, {a, b}, variant)),
              (std::vector<uint16_t>{0x3c00, 0xc100, 0x4000}));
    EXPECT_EQ(bits_of(run1(OpType::kMod, 13, {{"fmod", attr_int(1)}}, {a, b}, variant)),
              (std::vector<uint16_t>{0x3c00, 0xb800, 0x3c00}));
  }
  // Ops without float16 kernels still say so.
  EXPECT_EQ(testing::run_status(OpType::kAdd, 14, {}, {a, b}).code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace recinfer::kernels
