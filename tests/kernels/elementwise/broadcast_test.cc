#include "kernels/elementwise/broadcast.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kernels/elementwise/avx2/elementwise_avx2.h"

namespace recinfer::kernels {
namespace {

TEST(ElementwiseBroadcastTest, ShapesBroadcastLikeNumpy) {
  Shape out;
  ASSERT_TRUE(broadcast_shapes(Shape{3, 4, 5}, Shape{5}, &out).is_ok());
  EXPECT_EQ(out, (Shape{3, 4, 5}));
  ASSERT_TRUE(broadcast_shapes(Shape{2, 1, 4}, Shape{3, 1}, &out).is_ok());
  EXPECT_EQ(out, (Shape{2, 3, 4}));
  ASSERT_TRUE(broadcast_shapes(Shape{}, Shape{2, 3}, &out).is_ok());
  EXPECT_EQ(out, (Shape{2, 3}));
  ASSERT_TRUE(broadcast_shapes(Shape{0, 1}, Shape{1, 7}, &out).is_ok());
  EXPECT_EQ(out, (Shape{0, 7}));
  ASSERT_TRUE(broadcast_shapes(Shape{1}, Shape{0}, &out).is_ok());
  EXPECT_EQ(out, (Shape{0}));
}

TEST(ElementwiseBroadcastTest, IncompatibleShapesNameBothShapes) {
  Shape out;
  Status status = broadcast_shapes(Shape{3, 4}, Shape{2, 5}, &out);
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("(3,4)"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("(2,5)"), std::string::npos) << status.message();
}

TEST(ElementwiseBroadcastTest, BroadcastsTo) {
  EXPECT_TRUE(broadcasts_to(Shape{4, 1}, Shape{3, 4, 5}));
  EXPECT_TRUE(broadcasts_to(Shape{}, Shape{3}));
  EXPECT_FALSE(broadcasts_to(Shape{2}, Shape{3}));
  EXPECT_FALSE(broadcasts_to(Shape{1, 3}, Shape{3}));
}

TEST(ElementwiseBroadcastTest, SameShapeCollapsesToOneContiguousDim) {
  BinaryPlan plan = make_binary_plan(Shape{3, 4, 5}, Shape{3, 4, 5}, Shape{3, 4, 5});
  ASSERT_EQ(plan.rank, 1);
  EXPECT_EQ(plan.dims[0], 60);
  EXPECT_EQ(plan.lhs_strides[0], 1);
  EXPECT_EQ(plan.rhs_strides[0], 1);
  EXPECT_EQ(plan.numel, 60);
}

TEST(ElementwiseBroadcastTest, ScalarSideHasZeroStride) {
  BinaryPlan plan = make_binary_plan(Shape{3, 4}, Shape{3, 4}, Shape{1, 1});
  ASSERT_EQ(plan.rank, 1);
  EXPECT_EQ(plan.dims[0], 12);
  EXPECT_EQ(plan.lhs_strides[0], 1);
  EXPECT_EQ(plan.rhs_strides[0], 0);
  plan = make_binary_plan(Shape{3, 4}, Shape{}, Shape{3, 4});
  ASSERT_EQ(plan.rank, 1);
  EXPECT_EQ(plan.lhs_strides[0], 0);
  EXPECT_EQ(plan.rhs_strides[0], 1);
}

TEST(ElementwiseBroadcastTest, RowBroadcastIsRankTwo) {
  // (2,3,4,5) + (5): rows of 5, the row repeated over 24 rows.
  BinaryPlan plan = make_binary_plan(Shape{2, 3, 4, 5}, Shape{2, 3, 4, 5}, Shape{5});
  ASSERT_EQ(plan.rank, 2);
  EXPECT_EQ(plan.dims[0], 24);
  EXPECT_EQ(plan.dims[1], 5);
  EXPECT_EQ(plan.lhs_strides[0], 5);
  EXPECT_EQ(plan.lhs_strides[1], 1);
  EXPECT_EQ(plan.rhs_strides[0], 0);
  EXPECT_EQ(plan.rhs_strides[1], 1);
}

TEST(ElementwiseBroadcastTest, OuterProductAndSizeOneAxesDropped) {
  // (3,1,1) * (1,1,4) -> (3,1,4): the middle size-1 axis disappears.
  BinaryPlan plan = make_binary_plan(Shape{3, 1, 4}, Shape{3, 1, 1}, Shape{1, 1, 4});
  ASSERT_EQ(plan.rank, 2);
  EXPECT_EQ(plan.dims[0], 3);
  EXPECT_EQ(plan.dims[1], 4);
  EXPECT_EQ(plan.lhs_strides[0], 1);
  EXPECT_EQ(plan.lhs_strides[1], 0);
  EXPECT_EQ(plan.rhs_strides[0], 0);
  EXPECT_EQ(plan.rhs_strides[1], 1);
}

TEST(ElementwiseBroadcastTest, ScalarOutput) {
  BinaryPlan plan = make_binary_plan(Shape{1, 1}, Shape{}, Shape{1});
  EXPECT_EQ(plan.rank, 1);
  EXPECT_EQ(plan.dims[0], 1);
  EXPECT_EQ(plan.numel, 1);
}

TEST(ElementwiseBroadcastTest, RunBinaryMatchesHandComputedOuterSum) {
  const float lhs[] = {1, 2, 3};         // (3,1)
  const float rhs[] = {10, 20, 30, 40};  // (4)
  float out[12] = {};
  SerialFor serial;
  BinaryPlan plan = make_binary_plan(Shape{3, 4}, Shape{3, 1}, Shape{4});
  run_binary(serial, plan, lhs, rhs, out, [](float a, float b) { return a + b; });
  const float want[] = {11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43};
  for (int i = 0; i < 12; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

TEST(ElementwiseBroadcastTest, ReferenceOffsets) {
  // Output (2,3,4); input (3,1): offset depends only on the middle coordinate.
  const Shape out{2, 3, 4};
  const Shape in{3, 1};
  for (int64_t i = 0; i < out.numel(); ++i) {
    EXPECT_EQ(broadcast_offset(out, in, i), (i / 4) % 3) << i;
  }
  EXPECT_EQ(broadcast_offset(out, Shape{}, 17), 0);
  EXPECT_EQ(broadcast_offset(out, out, 17), 17);
}

}  // namespace
}  // namespace recinfer::kernels

namespace recinfer::kernels {
namespace {

TEST(ElementwiseAvx2Test, LookupFollowsCpuAndSwitch) {
  const bool cpu = __builtin_cpu_supports("avx2") != 0;
  EXPECT_EQ((elementwise_avx2::find_binary_range<float, AddFn>() != nullptr), cpu);
  EXPECT_EQ((elementwise_avx2::find_unary_range<double, ReluFn>() != nullptr), cpu);
  // No variant: integer division, or types outside the hot set.
  EXPECT_EQ((elementwise_avx2::find_binary_range<int32_t, DivFn>()), nullptr);
  EXPECT_EQ((elementwise_avx2::find_binary_range<uint8_t, AddFn>()), nullptr);
  elementwise_avx2::set_avx2_allowed(false);
  EXPECT_EQ((elementwise_avx2::find_binary_range<float, AddFn>()), nullptr);
  elementwise_avx2::set_avx2_allowed(true);
}

TEST(ElementwiseAvx2Test, WideRangeMatchesPortableOnRowBroadcast) {
  BinaryRangeFn wide = elementwise_avx2::find_binary_range<float, MaxFn>();
  if (wide == nullptr) GTEST_SKIP() << "no AVX2";
  std::vector<float> lhs(5 * 37), rhs(37), want(lhs.size()), got(lhs.size());
  for (size_t i = 0; i < lhs.size(); ++i) lhs[i] = static_cast<float>((i * 7919) % 101) - 50;
  for (size_t i = 0; i < rhs.size(); ++i) rhs[i] = static_cast<float>(i) - 18;
  rhs[3] = std::numeric_limits<float>::quiet_NaN();
  const BinaryPlan plan = make_binary_plan(Shape{5, 37}, Shape{5, 37}, Shape{37});
  SerialFor serial;
  run_binary(serial, plan, lhs.data(), rhs.data(), want.data(), MaxFn<float>{});
  // Odd chunk boundaries through the wide variant.
  for (int64_t begin = 0; begin < plan.numel; begin += 11) {
    wide(plan, lhs.data(), rhs.data(), got.data(), begin, std::min(plan.numel, begin + 11));
  }
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << i;
    } else {
      EXPECT_EQ(got[i], want[i]) << i;
    }
  }
}

}  // namespace
}  // namespace recinfer::kernels
