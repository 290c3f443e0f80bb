#include <gtest/gtest.h>

#include "recinfer/shape.h"
#include "recinfer/tensor.h"

namespace recinfer {
namespace {

TEST(ShapeTest, NumelAndOverflow) {
  Shape s{2, 3, 4};
  EXPECT_EQ(s.numel(), 24);
  int64_t n = 0;
  EXPECT_TRUE(s.checked_numel(&n));
  EXPECT_EQ(n, 24);
  Shape huge{int64_t{1} << 40, int64_t{1} << 40};
  EXPECT_FALSE(huge.checked_numel(&n));
  Shape negative{2, -1};
  EXPECT_FALSE(negative.checked_numel(&n));
  Shape zero{0, int64_t{1} << 62, 4};
  EXPECT_TRUE(zero.checked_numel(&n));
  EXPECT_EQ(n, 0);
}

TEST(ShapeTest, NormalizeAxis) {
  int axis = 0;
  EXPECT_TRUE(normalize_axis(-1, 3, &axis));
  EXPECT_EQ(axis, 2);
  EXPECT_FALSE(normalize_axis(3, 3, &axis));
  EXPECT_FALSE(normalize_axis(-4, 3, &axis));
}

TEST(TensorTest, AllocateIsAlignedAndRejectsHugeShapes) {
  auto t = Tensor::allocate(DType::kFloat32, Shape{3, 5});
  ASSERT_TRUE(t.is_ok());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t->raw()) % kTensorAlignment, 0u);
  EXPECT_EQ(t->bytes(), 60u);
  auto bad = Tensor::allocate(DType::kFloat32, Shape{int64_t{1} << 40, 1 << 20});
  EXPECT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer
