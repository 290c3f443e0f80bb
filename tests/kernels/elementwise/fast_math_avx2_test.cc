// Accuracy of the AVX2 float32 exp/sigmoid/tanh against double-precision std functions on a
// dense sweep, plus special values and tail handling.
#include "kernels/elementwise/avx2/fast_math_avx2.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

namespace recinfer::kernels {
namespace {

using Impl = void (*)(const void*, void*, int64_t);

constexpr float kInf = std::numeric_limits<float>::infinity();

// Max error in ulps of the float result against `exact` (a double), over `xs`. Results below
// FLT_MIN are held to an absolute bound of two subnormal steps instead.
double max_ulp_error(Impl impl, double (*exact)(double), const std::vector<float>& xs) {
  std::vector<float> got(xs.size());
  impl(xs.data(), got.data(), static_cast<int64_t>(xs.size()));
  double worst = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double want = exact(static_cast<double>(xs[i]));
    if (std::fabs(want) > FLT_MAX) {
      EXPECT_EQ(got[i], want > 0 ? kInf : -kInf) << "x=" << xs[i];
      continue;
    }
    if (std::fabs(want) < FLT_MIN) {
      EXPECT_LE(std::fabs(got[i] - want), 2 * std::numeric_limits<float>::denorm_min())
          << "x=" << xs[i];
      continue;
    }
    const double ulp = std::ldexp(1.0, std::ilogb(static_cast<float>(want)) - 23);
    const double err = std::fabs(static_cast<double>(got[i]) - want) / ulp;
    EXPECT_LE(err, 4.0) << "x=" << xs[i] << " got " << got[i] << " want " << want;
    worst = std::max(worst, err);
  }
  return worst;
}

std::vector<float> sweep(float lo, float hi, float step) {
  std::vector<float> xs;
  for (float x = lo; x <= hi; x += step) xs.push_back(x);
  return xs;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double exp_double(double x) { return std::exp(x); }
double tanh_double(double x) { return std::tanh(x); }

class ElementwiseFastMathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!elementwise_avx2::fast_math_supported()) GTEST_SKIP() << "no AVX2+FMA";
  }
};

TEST_F(ElementwiseFastMathTest, ExpWithinFourUlp) {
  std::vector<float> xs = sweep(-104.0f, 89.0f, 0.00097f);
  for (float x : {0.0f, -0.0f, 1e-30f, -1e-30f, 88.72f, 88.7228f, -87.3f, -103.9f}) {
    xs.push_back(x);
  }
  const double worst = max_ulp_error(&elementwise_avx2::exp_f32, &exp_double, xs);
  EXPECT_LT(worst, 4.0);
  RecordProperty("exp_max_ulp", std::to_string(worst));
}

TEST_F(ElementwiseFastMathTest, SigmoidWithinFourUlp) {
  std::vector<float> xs = sweep(-110.0f, 30.0f, 0.0007f);
  const double worst = max_ulp_error(&elementwise_avx2::sigmoid_f32, &sigmoid, xs);
  EXPECT_LT(worst, 4.0);
}

TEST_F(ElementwiseFastMathTest, TanhWithinFourUlp) {
  std::vector<float> xs = sweep(-12.0f, 12.0f, 0.0001f);
  for (float x : {1e-30f, -1e-30f, 1e-40f, 0.6249999f, 0.625f, -0.625f, 9.1f, -9.1f}) {
    xs.push_back(x);
  }
  const double worst = max_ulp_error(&elementwise_avx2::tanh_f32, &tanh_double, xs);
  EXPECT_LT(worst, 4.0);
}

TEST_F(ElementwiseFastMathTest, SpecialValuesAndTail) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // 11 values: one full vector and a tail of 3.
  const std::vector<float> xs = {nan,    kInf,    -kInf, 0.0f, 1e30f, -1e30f,
                                 100.0f, -100.0f, -nan,  1.0f, -1.0f};
  std::vector<float> e(xs.size()), s(xs.size()), t(xs.size());
  elementwise_avx2::exp_f32(xs.data(), e.data(), 11);
  elementwise_avx2::sigmoid_f32(xs.data(), s.data(), 11);
  elementwise_avx2::tanh_f32(xs.data(), t.data(), 11);
  for (size_t i : {size_t{0}, size_t{8}}) {
    EXPECT_TRUE(std::isnan(e[i]) && std::isnan(s[i]) && std::isnan(t[i])) << i;
  }
  EXPECT_EQ(e[1], kInf);
  EXPECT_EQ(e[2], 0.0f);
  EXPECT_EQ(e[3], 1.0f);
  EXPECT_EQ(e[4], kInf);
  EXPECT_EQ(e[5], 0.0f);
  EXPECT_EQ(e[6], kInf);
  EXPECT_NEAR(e[7], std::exp(-100.0f), 2 * std::numeric_limits<float>::denorm_min());
  EXPECT_NEAR(e[9], 2.7182817f, 1e-6f);
  EXPECT_EQ(s[1], 1.0f);
  EXPECT_EQ(s[2], 0.0f);
  EXPECT_EQ(s[3], 0.5f);
  EXPECT_EQ(s[6], 1.0f);
  EXPECT_NEAR(s[7], std::exp(-100.0f), 2 * std::numeric_limits<float>::denorm_min());
  EXPECT_EQ(t[1], 1.0f);
  EXPECT_EQ(t[2], -1.0f);
  EXPECT_EQ(t[3], 0.0f);
  EXPECT_EQ(t[4], 1.0f);
  EXPECT_EQ(t[5], -1.0f);
  EXPECT_NEAR(t[10], -0.7615942f, 1e-6f);
  // In place, and a length below one vector.
  std::vector<float> v = {0.5f, -2.0f};
  elementwise_avx2::tanh_f32(v.data(), v.data(), 2);
  EXPECT_NEAR(v[0], std::tanh(0.5f), 1e-7f);
  EXPECT_NEAR(v[1], std::tanh(-2.0f), 1e-7f);
}

}  // namespace
}  // namespace recinfer::kernels
