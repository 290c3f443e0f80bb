// The attribute-free unary math ops (math_functors.h): hand-checked values against the ONNX
// definitions, dtype coverage, and the optimised kernels against the reference on random inputs.
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

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

std::vector<float> run_float(OpType op, const std::vector<float>& x, int opset = 13) {
  return values_of<float>(
      run1(op, opset, {}, {make_tensor<float>(Shape{static_cast<int64_t>(x.size())}, x)}));
}

TEST(ElementwiseMathTest, RoundingIsHalfToEven) {
  EXPECT_EQ(run_float(OpType::kRound, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 0.49999997f, 2.6f},
                      11),
            (std::vector<float>{0.0f, 2.0f, 2.0f, -0.0f, -2.0f, -2.0f, 0.0f, 3.0f}));
  EXPECT_EQ(run_float(OpType::kCeil, {-1.5f, 1.2f, 2.0f}), (std::vector<float>{-1.0f, 2.0f, 2.0f}));
  EXPECT_EQ(run_float(OpType::kFloor, {-1.5f, 1.2f, 2.0f}),
            (std::vector<float>{-2.0f, 1.0f, 2.0f}));
  EXPECT_EQ(run_float(OpType::kReciprocal, {-4.0f, 0.5f, 0.0f}),
            (std::vector<float>{-0.25f, 2.0f, kInf}));
}

TEST(ElementwiseMathTest, SignOnEveryNumericType) {
  const std::vector<float> s = run_float(OpType::kSign, {-3.5f, 0.0f, 2.0f, -kInf, kNan});
  EXPECT_EQ(s[0], -1.0f);
  EXPECT_EQ(s[1], 0.0f);
  EXPECT_EQ(s[2], 1.0f);
  EXPECT_EQ(s[3], -1.0f);
  EXPECT_TRUE(std::isnan(s[4]));
  Tensor i64 = make_tensor<int64_t>(Shape{3}, {-7, 0, std::numeric_limits<int64_t>::max()});
  EXPECT_EQ(values_of<int64_t>(run1(OpType::kSign, 13, {}, {i64})),
            (std::vector<int64_t>{-1, 0, 1}));
  Tensor u8 = make_tensor<uint8_t>(Shape{2}, {0, 200});
  EXPECT_EQ(values_of<uint8_t>(run1(OpType::kSign, 13, {}, {u8})), (std::vector<uint8_t>{0, 1}));
}

TEST(ElementwiseMathTest, TrigonometricAndHyperbolic) {
  const std::vector<float> x = {-0.5f, 0.0f, 0.25f};
  const struct {
    OpType op;
    float (*fn)(float);
  } cases[] = {{OpType::kSin, std::sin},   {OpType::kCos, std::cos},   {OpType::kTan, std::tan},
               {OpType::kAsin, std::asin}, {OpType::kAcos, std::acos}, {OpType::kAtan, std::atan},
               {OpType::kSinh, std::sinh}, {OpType::kCosh, std::cosh}, {OpType::kAsinh, std::asinh},
               {OpType::kAtanh, std::atanh}};
  for (const auto& c : cases) {
    const std::vector<float> got = run_float(c.op, x, 9);
    for (size_t i = 0; i < x.size(); ++i) EXPECT_FLOAT_EQ(got[i], c.fn(x[i])) << ir::op_name(c.op);
  }
  const std::vector<float> acosh = run_float(OpType::kAcosh, {1.0f, 2.0f, 0.5f}, 9);
  EXPECT_EQ(acosh[0], 0.0f);
  EXPECT_FLOAT_EQ(acosh[1], 1.3169579f);
  EXPECT_TRUE(std::isnan(acosh[2]));  // outside the domain
  EXPECT_TRUE(std::isnan(run_float(OpType::kAsin, {2.0f}, 7)[0]));
}

TEST(ElementwiseMathTest, ErfSoftplusSoftsign) {
  const std::vector<float> e = run_float(OpType::kErf, {0.0f, 0.5f, -1.0f, 3.0f, 10.0f, -kInf});
  EXPECT_EQ(e[0], 0.0f);
  EXPECT_NEAR(e[1], 0.5204998778f, 1e-6f);
  EXPECT_NEAR(e[2], -0.8427007929f, 1e-6f);
  EXPECT_NEAR(e[3], 0.9999779095f, 1e-6f);
  EXPECT_EQ(e[4], 1.0f);
  EXPECT_EQ(e[5], -1.0f);
  // Softplus never overflows for large x and keeps precision for very negative x.
  const std::vector<float> sp = run_float(OpType::kSoftplus, {0.0f, 1.0f, 100.0f, -30.0f}, 1);
  EXPECT_FLOAT_EQ(sp[0], std::log(2.0f));
  EXPECT_FLOAT_EQ(sp[1], 1.3132616f);
  EXPECT_EQ(sp[2], 100.0f);
  EXPECT_FLOAT_EQ(sp[3], 9.357623e-14f);
  EXPECT_EQ(run_float(OpType::kSoftsign, {-3.0f, 0.0f, 1.0f}, 1),
            (std::vector<float>{-0.75f, 0.0f, 0.5f}));
}

TEST(ElementwiseMathTest, NanPropagatesAndIntegersUnsupported) {
  for (OpType op : {OpType::kErf, OpType::kCeil, OpType::kFloor, OpType::kRound, OpType::kSin,
                    OpType::kCosh, OpType::kSoftplus, OpType::kSoftsign, OpType::kReciprocal}) {
    EXPECT_TRUE(std::isnan(run_float(op, {kNan})[0])) << ir::op_name(op);
  }
  Tensor ints = make_tensor<int32_t>(Shape{2}, {1, 2});
  for (OpType op : {OpType::kErf, OpType::kCeil, OpType::kSin, OpType::kReciprocal}) {
    EXPECT_EQ(testing::run_status(op, 13, {}, {ints}).code(), StatusCode::kUnsupported)
        << ir::op_name(op);
  }
}

TEST(ElementwiseMathTest, OptimizedMatchesReference) {
  std::mt19937 rng(7);
  for (const Shape& shape : {Shape{1}, Shape{13}, Shape{3, 5, 7}, Shape{20001}}) {
    Tensor wide = testing::random_tensor<float>(shape, rng, -6.0, 6.0);
    Tensor unit = testing::random_tensor<float>(shape, rng, -0.999, 0.999);
    Tensor above_one = testing::random_tensor<double>(shape, rng, 1.0, 50.0);
    for (OpType op : {OpType::kErf, OpType::kCeil, OpType::kFloor, OpType::kRound, OpType::kSign,
                      OpType::kSin, OpType::kCos, OpType::kTan, OpType::kAtan, OpType::kSinh,
                      OpType::kCosh, OpType::kAsinh, OpType::kSoftplus, OpType::kSoftsign,
                      OpType::kReciprocal, OpType::kHardSwish}) {
      SCOPED_TRACE(ir::op_name(op));
      // Erf runs the AVX2 rational approximation: within 8 ulp of std::erf.
      testing::expect_matches_reference<float>(op, 14, {}, {wide}, 1e-7, 1e-6);
    }
    for (OpType op : {OpType::kAsin, OpType::kAcos, OpType::kAtanh}) {
      testing::expect_matches_reference<float>(op, 9, {}, {unit});
    }
    testing::expect_matches_reference<double>(OpType::kAcosh, 9, {}, {above_one});
    testing::expect_matches_reference<double>(OpType::kErf, 13, {}, {above_one});
  }
}

}  // namespace
}  // namespace recinfer::kernels
