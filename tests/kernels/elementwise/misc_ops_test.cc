// IsNaN, IsInf, Mean, CastLike, Dropout (inference) and Size.
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

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

std::vector<int> bools(const Tensor& t) {
  const bool* data = t.data<bool>();
  return std::vector<int>(data, data + t.numel());
}

TEST(ElementwiseFloatClassTest, IsNaNAndIsInf) {
  Tensor x = make_tensor<double>(Shape{2, 3}, {1.0, kNan, kInf, -kInf, 0.0, -kNan});
  Tensor nan = run1(OpType::kIsNaN, 13, {}, {x});
  EXPECT_EQ(nan.dtype(), DType::kBool);
  EXPECT_EQ(nan.shape(), (Shape{2, 3}));
  EXPECT_EQ(bools(nan), (std::vector<int>{0, 1, 0, 0, 0, 1}));
  EXPECT_EQ(bools(run1(OpType::kIsInf, 10, {}, {x})), (std::vector<int>{0, 0, 1, 1, 0, 0}));
  EXPECT_EQ(bools(run1(OpType::kIsInf, 10, {{"detect_negative", attr_int(0)}}, {x})),
            (std::vector<int>{0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(bools(run1(OpType::kIsInf, 10, {{"detect_positive", attr_int(0)}}, {x})),
            (std::vector<int>{0, 0, 0, 1, 0, 0}));
  Tensor f = make_tensor<float>(Shape{2}, {std::numeric_limits<float>::quiet_NaN(), 1.0f});
  EXPECT_EQ(bools(run1(OpType::kIsNaN, 9, {}, {f})), (std::vector<int>{1, 0}));
  Tensor ints = make_tensor<int32_t>(Shape{1}, {1});
  EXPECT_EQ(testing::run_status(OpType::kIsNaN, 13, {}, {ints}).code(), StatusCode::kUnsupported);
}

TEST(ElementwiseMeanTest, BroadcastAndDivideByCount) {
  Tensor a = make_tensor<float>(Shape{2, 2}, {1, 2, 3, 4});
  Tensor b = make_tensor<float>(Shape{2}, {10, 20});
  Tensor c = make_tensor<float>(Shape{}, {3});
  EXPECT_EQ(values_of<float>(run1(OpType::kMean, 13, {}, {a, b, c})),
            (std::vector<float>{14.0f / 3, 25.0f / 3, 16.0f / 3, 27.0f / 3}));
  EXPECT_EQ(values_of<float>(run1(OpType::kMean, 13, {}, {a})),
            (std::vector<float>{1, 2, 3, 4}));
  Tensor ints = make_tensor<int32_t>(Shape{1}, {1});
  EXPECT_EQ(testing::run_status(OpType::kMean, 13, {}, {ints, ints}).code(),
            StatusCode::kUnsupported);
  std::mt19937 rng(17);
  for (const Shape& shape : {Shape{7}, Shape{3, 40001}}) {
    Tensor x = testing::random_tensor<double>(shape, rng, -5, 5);
    Tensor y = testing::random_tensor<double>(Shape{shape[shape.rank() - 1]}, rng, -5, 5);
    testing::expect_matches_reference<double>(OpType::kMean, 13, {}, {x, y, x});
  }
}

TEST(ElementwiseCastLikeTest, TakesTheDtypeOfInput1) {
  Tensor x = make_tensor<float>(Shape{3}, {1.5f, -2.7f, 0.0f});
  Tensor like_i64 = make_tensor<int64_t>(Shape{1}, {0});
  Tensor out = run1(OpType::kCastLike, 15, {}, {x, like_i64});
  EXPECT_EQ(out.dtype(), DType::kInt64);
  EXPECT_EQ(out.shape(), (Shape{3}));
  EXPECT_EQ(values_of<int64_t>(out), (std::vector<int64_t>{1, -2, 0}));
  Tensor like_d = make_tensor<double>(Shape{2, 2}, {0, 0, 0, 0});
  EXPECT_EQ(values_of<double>(run1(OpType::kCastLike, 15, {}, {x, like_d})),
            (std::vector<double>{1.5f, -2.7f, 0.0}));
  Tensor like_b = make_tensor<bool>(Shape{1}, {false});
  EXPECT_EQ(bools(run1(OpType::kCastLike, 15, {}, {x, like_b})), (std::vector<int>{1, 1, 0}));
  // float16 targets convert too: 1.5 and -2.7 round to the nearest float16 (0x3E00, 0xC166).
  uint16_t half_storage[1] = {0};
  Tensor half(DType::kFloat16, Shape{1}, half_storage);
  const Tensor halves = run1(OpType::kCastLike, 15, {}, {x, half});
  EXPECT_EQ(halves.dtype(), DType::kFloat16);
  EXPECT_EQ(std::vector<uint16_t>(halves.data<uint16_t>(), halves.data<uint16_t>() + 3),
            (std::vector<uint16_t>{0x3E00, 0xC166, 0}));
  // Cast itself still converts to its attribute's dtype.
  EXPECT_EQ(values_of<int32_t>(run1(OpType::kCast, 13, {{"to", attr_int(6)}}, {x})),
            (std::vector<int32_t>{1, -2, 0}));
}

TEST(ElementwiseDropoutTest, InferenceIsIdentityWithTrueMask) {
  Tensor x = make_tensor<float>(Shape{2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor ratio = make_tensor<float>(Shape{}, {0.5f});
  auto out = run_op(OpType::kDropout, 13, {{"seed", attr_int(0)}}, {x, ratio}, 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ((*out)[1].dtype(), DType::kBool);
  EXPECT_EQ(bools((*out)[1]), (std::vector<int>{1, 1, 1, 1, 1, 1}));
  // training_mode = false is inference; true is unsupported (a random mask).
  Tensor no = make_tensor<bool>(Shape{}, {false});
  Tensor yes = make_tensor<bool>(Shape{}, {true});
  EXPECT_TRUE(run_op(OpType::kDropout, 13, {}, {x, ratio, no}, 1).is_ok());
  auto training = run_op(OpType::kDropout, 13, {}, {x, ratio, yes}, 1);
  ASSERT_FALSE(training.is_ok());
  EXPECT_EQ(training.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(training.status().message().find("training_mode"), std::string::npos);
  // Training with ratio 0 drops nothing: still the identity.
  Tensor zero = make_tensor<float>(Shape{}, {0.0f});
  auto no_drop = run_op(OpType::kDropout, 13, {}, {x, zero, yes}, 2);
  ASSERT_TRUE(no_drop.is_ok()) << no_drop.status().to_string();
  EXPECT_EQ(values_of<float>((*no_drop)[0]), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(bools((*no_drop)[1]), (std::vector<int>(6, 1)));
  EXPECT_EQ(run_op(OpType::kDropout, 13, {}, {x, Tensor(), yes}, 1).status().code(),
            StatusCode::kUnsupported);  // the default ratio 0.5
  // Opset 7: the mask has the data's type; opset 11 with a ratio attribute.
  auto old = run_op(OpType::kDropout, 7, {{"ratio", attr_float(0.2f)}}, {x}, 2);
  ASSERT_TRUE(old.is_ok());
  EXPECT_EQ((*old)[1].dtype(), DType::kFloat32);
  EXPECT_EQ(values_of<float>((*old)[1]), (std::vector<float>(6, 1.0f)));
  EXPECT_EQ(values_of<float>(run1(OpType::kDropout, 11, {{"ratio", attr_float(0.2f)}}, {x})),
            (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

TEST(ElementwiseSizeTest, ElementCountAsInt64Scalar) {
  Tensor x = make_tensor<float>(Shape{3, 4, 5}, std::vector<float>(60, 0.0f));
  Tensor out = run1(OpType::kSize, 13, {}, {x});
  EXPECT_EQ(out.dtype(), DType::kInt64);
  EXPECT_EQ(out.shape().rank(), 0);
  EXPECT_EQ(values_of<int64_t>(out), (std::vector<int64_t>{60}));
  Tensor empty = make_tensor<int32_t>(Shape{2, 0}, {});
  EXPECT_EQ(values_of<int64_t>(run1(OpType::kSize, 13, {}, {empty})),
            (std::vector<int64_t>{0}));
}

}  // namespace
}  // namespace recinfer::kernels
