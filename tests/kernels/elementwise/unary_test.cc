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

std::vector<float> run_float(OpType op, const std::vector<float>& x) {
  Tensor out = run1(op, 13, {}, {make_tensor<float>(Shape{static_cast<int64_t>(x.size())}, x)});
  return values_of<float>(out);
}

TEST(ElementwiseUnaryTest, HandCheckedFloat) {
  EXPECT_EQ(run_float(OpType::kAbs, {-1.5f, 0.0f, 2.0f}), (std::vector<float>{1.5f, 0.0f, 2.0f}));
  EXPECT_EQ(run_float(OpType::kNeg, {-1.5f, 0.0f, 2.0f}), (std::vector<float>{1.5f, -0.0f, -2.0f}));
  EXPECT_EQ(run_float(OpType::kRelu, {-1.5f, 0.0f, 2.0f}), (std::vector<float>{0.0f, 0.0f, 2.0f}));
  EXPECT_EQ(run_float(OpType::kSqrt, {4.0f, 0.0f, 2.25f}), (std::vector<float>{2.0f, 0.0f, 1.5f}));
  const std::vector<float> e = run_float(OpType::kExp, {0.0f, 1.0f, -1.0f});
  EXPECT_FLOAT_EQ(e[0], 1.0f);
  EXPECT_FLOAT_EQ(e[1], 2.7182817f);
  EXPECT_FLOAT_EQ(e[2], 0.36787945f);
  const std::vector<float> l = run_float(OpType::kLog, {1.0f, 10.0f, 0.0f});
  EXPECT_FLOAT_EQ(l[0], 0.0f);
  EXPECT_FLOAT_EQ(l[1], 2.3025851f);
  EXPECT_EQ(l[2], -std::numeric_limits<float>::infinity());
  const std::vector<float> s = run_float(OpType::kSigmoid, {0.0f, 2.0f, -200.0f, 200.0f});
  EXPECT_FLOAT_EQ(s[0], 0.5f);
  EXPECT_FLOAT_EQ(s[1], 0.880797f);
  EXPECT_EQ(s[2], 0.0f);
  EXPECT_EQ(s[3], 1.0f);
  const std::vector<float> t = run_float(OpType::kTanh, {0.0f, 1.0f, -30.0f});
  EXPECT_FLOAT_EQ(t[0], 0.0f);
  EXPECT_FLOAT_EQ(t[1], 0.7615942f);
  EXPECT_FLOAT_EQ(t[2], -1.0f);
}

TEST(ElementwiseUnaryTest, NanPropagates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (OpType op : {OpType::kAbs, OpType::kNeg, OpType::kRelu, OpType::kExp, OpType::kSigmoid,
                    OpType::kTanh, OpType::kSqrt, OpType::kLog}) {
    EXPECT_TRUE(std::isnan(run_float(op, {nan})[0])) << ir::op_name(op);
  }
  EXPECT_TRUE(std::isnan(run_float(OpType::kSqrt, {-1.0f})[0]));
  EXPECT_TRUE(std::isnan(run_float(OpType::kLog, {-1.0f})[0]));
}

TEST(ElementwiseUnaryTest, Integers) {
  const int64_t min64 = std::numeric_limits<int64_t>::min();
  Tensor x = make_tensor<int64_t>(Shape{2, 2}, {-3, 4, 0, min64});
  EXPECT_EQ(values_of<int64_t>(run1(OpType::kAbs, 13, {}, {x})),
            (std::vector<int64_t>{3, 4, 0, min64}));  // |MIN| wraps like numpy
  EXPECT_EQ(values_of<int64_t>(run1(OpType::kNeg, 13, {}, {x})),
            (std::vector<int64_t>{3, -4, 0, min64}));
  EXPECT_EQ(values_of<int64_t>(run1(OpType::kRelu, 14, {}, {x})),
            (std::vector<int64_t>{0, 4, 0, 0}));
  Tensor x8 = make_tensor<int8_t>(Shape{3}, {-128, -5, 7});
  EXPECT_EQ(values_of<int8_t>(run1(OpType::kAbs, 13, {}, {x8})), (std::vector<int8_t>{-128, 5, 7}));
  Tensor u8 = make_tensor<uint8_t>(Shape{2}, {200, 3});
  EXPECT_EQ(values_of<uint8_t>(run1(OpType::kAbs, 13, {}, {u8})), (std::vector<uint8_t>{200, 3}));
  Tensor i32 = make_tensor<int32_t>(Shape{3}, {-2, 0, 9});
  EXPECT_EQ(values_of<int32_t>(run1(OpType::kRelu, 14, {}, {i32})),
            (std::vector<int32_t>{0, 0, 9}));
}

TEST(ElementwiseUnaryTest, DoubleAndShapePreserved) {
  Tensor x = make_tensor<double>(Shape{1, 3, 1}, {0.25, 1.0, 9.0});
  Tensor out = run1(OpType::kSqrt, 13, {}, {x});
  EXPECT_EQ(out.shape(), (Shape{1, 3, 1}));
  EXPECT_EQ(values_of<double>(out), (std::vector<double>{0.5, 1.0, 3.0}));
  Tensor scalar = make_tensor<double>(Shape{}, {-2.0});
  Tensor abs = run1(OpType::kAbs, 13, {}, {scalar});
  EXPECT_EQ(abs.shape().rank(), 0);
  EXPECT_EQ(values_of<double>(abs), (std::vector<double>{2.0}));
  Tensor empty = make_tensor<float>(Shape{0, 3}, {});
  EXPECT_EQ(run1(OpType::kExp, 13, {}, {empty}).shape(), (Shape{0, 3}));
}

TEST(ElementwiseUnaryTest, UnsupportedDtypes) {
  Tensor ints = make_tensor<int32_t>(Shape{2}, {1, 2});
  for (OpType op : {OpType::kExp, OpType::kLog, OpType::kSqrt, OpType::kSigmoid, OpType::kTanh}) {
    Status status = testing::run_status(op, 13, {}, {ints});
    EXPECT_EQ(status.code(), StatusCode::kUnsupported) << ir::op_name(op);
    EXPECT_NE(status.message().find("int32"), std::string::npos) << status.message();
  }
  Tensor u8 = make_tensor<uint8_t>(Shape{1}, {1});
  EXPECT_EQ(testing::run_status(OpType::kNeg, 13, {}, {u8}).code(), StatusCode::kUnsupported);
  Tensor flags = make_tensor<bool>(Shape{1}, {true});
  EXPECT_EQ(testing::run_status(OpType::kAbs, 13, {}, {flags}).code(), StatusCode::kUnsupported);
  // float16 data cannot even be allocated by recinfer; a raw view stands in for a model input.
  uint16_t half_storage[2] = {0, 0};
  Tensor half(DType::kFloat16, Shape{2}, half_storage);
  EXPECT_EQ(testing::run_status(OpType::kRelu, 14, {}, {half}).code(), StatusCode::kUnsupported);
}

TEST(ElementwiseUnaryTest, OptimizedMatchesReferenceOnRandomInputs) {
  std::mt19937 rng(42);
  for (const Shape& shape : {Shape{1}, Shape{17}, Shape{3, 5, 7}, Shape{40000}}) {
    Tensor x = testing::random_tensor<float>(shape, rng, -20.0, 20.0);
    Tensor positive = testing::random_tensor<double>(shape, rng, 0.0, 100.0);
    for (OpType op : {OpType::kAbs, OpType::kNeg, OpType::kRelu, OpType::kExp, OpType::kSigmoid,
                      OpType::kTanh}) {
      testing::expect_matches_reference<float>(op, 14, {}, {x});
    }
    for (OpType op : {OpType::kSqrt, OpType::kLog}) {
      testing::expect_matches_reference<double>(op, 13, {}, {positive});
    }
    Tensor ints = testing::random_tensor<int16_t>(shape, rng, -1000, 1000);
    testing::expect_matches_reference<int16_t>(OpType::kAbs, 13, {}, {ints});
    testing::expect_matches_reference<int16_t>(OpType::kRelu, 14, {}, {ints});
  }
}

}  // namespace
}  // namespace recinfer::kernels
