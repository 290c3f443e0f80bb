#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "elementwise_test_util.h"

namespace recinfer::kernels {
namespace {

using ir::OpType;
using testing::make_tensor;
using testing::run1;
using testing::values_of;

TEST(ElementwiseModTest, IntegerModFollowsDivisorSign) {
  // The ONNX test_mod_mixed_sign_* case.
  Tensor a = make_tensor<int32_t>(Shape{6}, {-4, 7, 5, 4, -7, 8});
  Tensor b = make_tensor<int32_t>(Shape{6}, {2, -3, 8, -2, 3, 5});
  EXPECT_EQ(values_of<int32_t>(run1(OpType::kMod, 13, {}, {a, b})),
            (std::vector<int32_t>{0, -2, 5, 0, 2, 3}));
  Tensor a8 = make_tensor<int8_t>(Shape{6}, {-4, 7, 5, 4, -7, 8});
  Tensor b8 = make_tensor<int8_t>(Shape{6}, {2, -3, 8, -2, 3, 5});
  EXPECT_EQ(values_of<int8_t>(run1(OpType::kMod, 13, {}, {a8, b8})),
            (std::vector<int8_t>{0, -2, 5, 0, 2, 3}));
  Tensor min8 = make_tensor<int8_t>(Shape{1}, {-128});
  Tensor neg1 = make_tensor<int8_t>(Shape{1}, {-1});
  EXPECT_EQ(values_of<int8_t>(run1(OpType::kMod, 13, {}, {min8, neg1})), (std::vector<int8_t>{0}));
}

TEST(ElementwiseModTest, FmodFollowsDividendSign) {
  testing::Attributes fmod{{"fmod", attr_int(1)}};
  Tensor a = make_tensor<int64_t>(Shape{6}, {-4, 7, 5, 4, -7, 8});
  Tensor b = make_tensor<int64_t>(Shape{6}, {2, -3, 8, -2, 3, 5});
  EXPECT_EQ(values_of<int64_t>(run1(OpType::kMod, 13, fmod, {a, b})),
            (std::vector<int64_t>{0, 1, 5, 0, -1, 3}));
  Tensor fa = make_tensor<double>(Shape{6}, {-4.3, 7.2, 5.0, 4.3, -7.2, 8.0});
  Tensor fb = make_tensor<double>(Shape{6}, {2.1, -3.4, 8.0, -2.1, 3.4, 5.0});
  const std::vector<double> got = values_of<double>(run1(OpType::kMod, 13, fmod, {fa, fb}));
  const std::vector<double> want = {-0.1, 0.4, 5.0, 0.1, -0.4, 3.0};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << i;
}

TEST(ElementwiseModTest, BroadcastUnsignedAndErrors) {
  Tensor a = make_tensor<uint16_t>(Shape{2, 2}, {4, 7, 5, 9});
  Tensor b = make_tensor<uint16_t>(Shape{1}, {3});
  EXPECT_EQ(values_of<uint16_t>(run1(OpType::kMod, 13, {}, {a, b})),
            (std::vector<uint16_t>{1, 1, 2, 0}));
  Tensor zero = make_tensor<uint16_t>(Shape{2}, {3, 0});
  Status status = testing::run_status(OpType::kMod, 13, {}, {a, zero});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("Mod_under_test"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("division by zero"), std::string::npos) << status.message();
  // The spec requires fmod=1 for floats.
  Tensor f = make_tensor<float>(Shape{1}, {1.5f});
  status = testing::run_status(OpType::kMod, 13, {}, {f, f});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("fmod"), std::string::npos) << status.message();
  status = testing::run_status(OpType::kMod, 13, {{"fmod", attr_int(2)}}, {a, b});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("2"), std::string::npos) << status.message();
}

TEST(ElementwisePowTest, MixedTypes) {
  Tensor f = make_tensor<float>(Shape{3}, {1, 2, 3});
  Tensor i64 = make_tensor<int64_t>(Shape{3}, {4, 5, 6});
  Tensor i32 = make_tensor<int32_t>(Shape{3}, {4, 5, 6});
  Tensor u32 = make_tensor<uint32_t>(Shape{3}, {4, 5, 6});
  Tensor fe = make_tensor<float>(Shape{3}, {4, 5, 6});
  const std::vector<float> want_f = {1, 32, 729};
  EXPECT_EQ(values_of<float>(run1(OpType::kPow, 15, {}, {f, i64})), want_f);
  EXPECT_EQ(values_of<float>(run1(OpType::kPow, 15, {}, {f, i32})), want_f);
  EXPECT_EQ(values_of<float>(run1(OpType::kPow, 15, {}, {f, u32})), want_f);
  EXPECT_EQ(values_of<float>(run1(OpType::kPow, 15, {}, {f, fe})), want_f);
  Tensor base64 = make_tensor<int64_t>(Shape{3}, {1, 2, 3});
  EXPECT_EQ(values_of<int64_t>(run1(OpType::kPow, 15, {}, {base64, i64})),
            (std::vector<int64_t>{1, 32, 729}));
  EXPECT_EQ(values_of<int64_t>(run1(OpType::kPow, 15, {}, {base64, fe})),
            (std::vector<int64_t>{1, 32, 729}));
  Tensor base32 = make_tensor<int32_t>(Shape{3}, {1, 2, 3});
  EXPECT_EQ(values_of<int32_t>(run1(OpType::kPow, 15, {}, {base32, fe})),
            (std::vector<int32_t>{1, 32, 729}));
}

TEST(ElementwisePowTest, IntegerEdgeCases) {
  Tensor base = make_tensor<int32_t>(Shape{5}, {2, -2, 1, -1, 0});
  Tensor neg = make_tensor<int32_t>(Shape{5}, {-1, -3, -7, -3, -2});
  EXPECT_EQ(values_of<int32_t>(run1(OpType::kPow, 15, {}, {base, neg})),
            (std::vector<int32_t>{0, 0, 1, -1, 0}));
  Tensor zero = make_tensor<int32_t>(Shape{}, {0});
  EXPECT_EQ(values_of<int32_t>(run1(OpType::kPow, 15, {}, {base, zero})),
            (std::vector<int32_t>{1, 1, 1, 1, 1}));
  // Fractional float exponent on an int base truncates toward zero: 2^0.5 = 1.41 -> 1.
  Tensor half = make_tensor<double>(Shape{1}, {0.5});
  Tensor four = make_tensor<int64_t>(Shape{2}, {2, 9});
  EXPECT_EQ(values_of<int64_t>(run1(OpType::kPow, 15, {}, {four, half})),
            (std::vector<int64_t>{1, 3}));
}

TEST(ElementwisePowTest, BroadcastAndSquareFastPath) {
  Tensor x = make_tensor<float>(Shape{2, 3}, {1, 2, 3, -4, 5, 0.5f});
  Tensor two = make_tensor<float>(Shape{}, {2});
  EXPECT_EQ(values_of<float>(run1(OpType::kPow, 15, {}, {x, two})),
            (std::vector<float>{1, 4, 9, 16, 25, 0.25f}));
  Tensor two_i = make_tensor<int64_t>(Shape{1, 1}, {2});
  Tensor sq = run1(OpType::kPow, 15, {}, {x, two_i});
  EXPECT_EQ(sq.shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<float>(sq), (std::vector<float>{1, 4, 9, 16, 25, 0.25f}));
  Tensor row = make_tensor<float>(Shape{3}, {0, 1, 0.5f});
  const std::vector<float> got = values_of<float>(run1(OpType::kPow, 15, {}, {x, row}));
  EXPECT_EQ(got[0], 1.0f);
  EXPECT_EQ(got[1], 2.0f);
  EXPECT_FLOAT_EQ(got[2], std::sqrt(3.0f));
  EXPECT_EQ(got[3], 1.0f);
  EXPECT_EQ(got[4], 5.0f);
  EXPECT_FLOAT_EQ(got[5], std::sqrt(0.5f));
  EXPECT_TRUE(std::isnan(values_of<float>(
      run1(OpType::kPow, 15, {},
           {make_tensor<float>(Shape{1}, {-8}), make_tensor<float>(Shape{1}, {1.0f / 3})}))[0]));
}

TEST(ElementwisePowTest, UnsupportedBase) {
  Tensor u8 = make_tensor<uint8_t>(Shape{1}, {2});
  EXPECT_EQ(testing::run_status(OpType::kPow, 15, {}, {u8, u8}).code(), StatusCode::kUnsupported);
  Tensor f = make_tensor<float>(Shape{1}, {2});
  Tensor flags = make_tensor<bool>(Shape{1}, {true});
  EXPECT_EQ(testing::run_status(OpType::kPow, 15, {}, {f, flags}).code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace recinfer::kernels
