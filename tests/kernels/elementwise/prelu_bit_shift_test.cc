// PRelu (slope broadcast onto X only) and BitShift (both directions, unsigned types, shifts past
// the bit width), hand-checked and against the reference kernels.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "elementwise_test_util.h"

namespace recinfer::kernels {
namespace {

using ir::OpType;
using testing::Attributes;
using testing::make_tensor;
using testing::run1;
using testing::values_of;

TEST(ElementwisePReluTest, SlopeBroadcastsOntoX) {
  Tensor x = make_tensor<float>(Shape{2, 3}, {-1.0f, 2.0f, -3.0f, 4.0f, -5.0f, 0.0f});
  Tensor per_channel = make_tensor<float>(Shape{3}, {0.1f, 0.2f, 0.3f});
  Tensor out = run1(OpType::kPRelu, 16, {}, {x, per_channel});
  EXPECT_EQ(out.shape(), (Shape{2, 3}));
  const std::vector<float> got = values_of<float>(out);
  const std::vector<float> want = {-0.1f, 2.0f, -0.9f, 4.0f, -1.0f, 0.0f};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_FLOAT_EQ(got[i], want[i]) << i;
  // Same shape slope, a scalar slope, and integers (opset 16).
  Tensor scalar = make_tensor<float>(Shape{}, {0.5f});
  EXPECT_FLOAT_EQ(values_of<float>(run1(OpType::kPRelu, 9, {}, {x, scalar}))[4], -2.5f);
  Tensor xi = make_tensor<int64_t>(Shape{3}, {-4, 0, 7});
  Tensor si = make_tensor<int64_t>(Shape{3}, {2, 3, 4});
  EXPECT_EQ(values_of<int64_t>(run1(OpType::kPRelu, 16, {}, {xi, si})),
            (std::vector<int64_t>{-8, 0, 7}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor xn = make_tensor<float>(Shape{1}, {nan});
  EXPECT_TRUE(std::isnan(values_of<float>(run1(OpType::kPRelu, 16, {}, {xn, scalar}))[0]));
}

TEST(ElementwisePReluTest, SlopeMustNotWidenX) {
  Tensor x = make_tensor<float>(Shape{3}, {1, 2, 3});
  Tensor slope = make_tensor<float>(Shape{2, 3}, {1, 1, 1, 1, 1, 1});
  Status status = testing::run_status(OpType::kPRelu, 16, {}, {x, slope});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("(2,3)"), std::string::npos) << status.message();
  Tensor slope_d = make_tensor<double>(Shape{1}, {1});
  EXPECT_EQ(testing::run_status(OpType::kPRelu, 16, {}, {x, slope_d}).code(),
            StatusCode::kInvalidArgument);
}

TEST(ElementwisePReluTest, OptimizedMatchesReference) {
  std::mt19937 rng(5);
  for (const auto& [xs, ss] : std::vector<std::pair<Shape, Shape>>{
           {{3, 4, 5}, {5}}, {{2, 7, 1, 3}, {7, 1, 1}}, {{40001}, {1}}, {{9, 13}, {9, 13}}}) {
    Tensor x = testing::random_tensor<float>(xs, rng, -5.0, 5.0);
    Tensor s = testing::random_tensor<float>(ss, rng, -1.0, 1.0);
    testing::expect_matches_reference<float>(OpType::kPRelu, 16, {}, {x, s});
    Tensor xi = testing::random_tensor<int32_t>(xs, rng, -100, 100);
    Tensor si = testing::random_tensor<int32_t>(ss, rng, -3, 3);
    testing::expect_matches_reference<int32_t>(OpType::kPRelu, 16, {}, {xi, si});
  }
}

TEST(ElementwiseBitShiftTest, BothDirectionsAndWideShifts) {
  const Attributes left = {{"direction", attr_string("LEFT")}};
  const Attributes right = {{"direction", attr_string("RIGHT")}};
  Tensor x8 = make_tensor<uint8_t>(Shape{4}, {16, 4, 1, 255});
  Tensor y8 = make_tensor<uint8_t>(Shape{4}, {1, 2, 8, 7});
  EXPECT_EQ(values_of<uint8_t>(run1(OpType::kBitShift, 11, left, {x8, y8})),
            (std::vector<uint8_t>{32, 16, 0, 128}));
  EXPECT_EQ(values_of<uint8_t>(run1(OpType::kBitShift, 11, right, {x8, y8})),
            (std::vector<uint8_t>{8, 1, 0, 1}));
  Tensor x64 = make_tensor<uint64_t>(Shape{2, 2}, {1, 3, 1ULL << 63, 5});
  Tensor y64 = make_tensor<uint64_t>(Shape{2}, {63, 64});  // broadcast along rows
  EXPECT_EQ(values_of<uint64_t>(run1(OpType::kBitShift, 11, left, {x64, y64})),
            (std::vector<uint64_t>{1ULL << 63, 0, 0, 0}));
  EXPECT_EQ(values_of<uint64_t>(run1(OpType::kBitShift, 11, right, {x64, y64})),
            (std::vector<uint64_t>{0, 0, 1, 0}));
  Tensor x16 = make_tensor<uint16_t>(Shape{1}, {0xffff});
  Tensor y16 = make_tensor<uint16_t>(Shape{1}, {15});
  EXPECT_EQ(values_of<uint16_t>(run1(OpType::kBitShift, 11, left, {x16, y16}))[0], 0x8000);
}

TEST(ElementwiseBitShiftTest, DirectionAndDtypeChecked) {
  Tensor x = make_tensor<uint32_t>(Shape{1}, {1});
  Status missing = testing::run_status(OpType::kBitShift, 11, {}, {x, x});
  EXPECT_EQ(missing.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.message().find("direction"), std::string::npos);
  Tensor s = make_tensor<int32_t>(Shape{1}, {1});
  EXPECT_EQ(testing::run_status(OpType::kBitShift, 11, {{"direction", attr_string("LEFT")}},
                                {s, s})
                .code(),
            StatusCode::kUnsupported);
}

TEST(ElementwiseBitShiftTest, OptimizedMatchesReference) {
  std::mt19937 rng(3);
  for (const char* direction : {"LEFT", "RIGHT"}) {
    const Attributes attributes = {{"direction", attr_string(direction)}};
    Tensor x = testing::random_tensor<uint32_t>(Shape{5, 7, 11}, rng, 0, 4000000000.0);
    Tensor y = testing::random_tensor<uint32_t>(Shape{7, 1}, rng, 0, 40);
    testing::expect_matches_reference<uint32_t>(OpType::kBitShift, 11, attributes, {x, y});
  }
}

}  // namespace
}  // namespace recinfer::kernels
