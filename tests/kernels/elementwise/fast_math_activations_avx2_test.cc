// Accuracy of the AVX2 float32 erf, Elu (expm1), and GELU against double-precision std
// functions on dense sweeps, plus special values and the vector tail.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/elementwise/avx2/fast_math_avx2.h"

namespace recinfer::kernels {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNan = std::numeric_limits<float>::quiet_NaN();

std::vector<float> sweep(float lo, float hi, float step) {
  std::vector<float> xs;
  for (float x = lo; x <= hi; x += step) xs.push_back(x);
  return xs;
}

// Error of got against want in float ulps of want (normal range).
double ulps(float got, double want) {
  const double ulp = std::ldexp(1.0, std::ilogb(static_cast<float>(want)) - 23);
  return std::fabs(static_cast<double>(got) - want) / ulp;
}

class ElementwiseFastActivationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!elementwise_avx2::fast_math_supported()) GTEST_SKIP() << "no AVX2+FMA";
  }
};

TEST_F(ElementwiseFastActivationTest, ErfWithinEightUlp) {
  std::vector<float> xs = sweep(-6.0f, 6.0f, 0.00013f);
  for (float x = 1e-30f; x < 1.0f; x *= 1.37f) {
    xs.push_back(x);
    xs.push_back(-x);
  }
  std::vector<float> got(xs.size());
  elementwise_avx2::erf_f32(xs.data(), got.data(), static_cast<int64_t>(xs.size()));
  double worst = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double want = std::erf(static_cast<double>(xs[i]));
    const double err = ulps(got[i], want);
    EXPECT_LE(err, 8.0) << "x=" << xs[i] << " got " << got[i] << " want " << want;
    EXPECT_LE(std::fabs(got[i]), 1.0f);
    worst = std::max(worst, err);
  }
  RecordProperty("erf_max_ulp", std::to_string(worst));
}

TEST_F(ElementwiseFastActivationTest, EluIsAccurateNearZero) {
  std::vector<float> xs = sweep(-30.0f, 5.0f, 0.0003f);
  for (float x = 1e-30f; x < 1.0f; x *= 1.21f) xs.push_back(-x);
  const float alpha = 1.5f;
  std::vector<float> got(xs.size());
  elementwise_avx2::elu_f32(xs.data(), got.data(), static_cast<int64_t>(xs.size()), alpha);
  for (size_t i = 0; i < xs.size(); ++i) {
    const double x = xs[i];
    const double want = x < 0 ? alpha * std::expm1(x) : x;
    if (want == 0) {
      EXPECT_EQ(got[i], 0.0f);
      continue;
    }
    EXPECT_LE(ulps(got[i], want), 6.0) << "x=" << xs[i] << " got " << got[i] << " want " << want;
  }
}

TEST_F(ElementwiseFastActivationTest, GeluWithinTolerance) {
  const std::vector<float> xs = sweep(-12.0f, 12.0f, 0.00031f);
  std::vector<float> exact(xs.size()), approx(xs.size());
  elementwise_avx2::gelu_f32(xs.data(), exact.data(), static_cast<int64_t>(xs.size()));
  elementwise_avx2::gelu_tanh_f32(xs.data(), approx.data(), static_cast<int64_t>(xs.size()));
  for (size_t i = 0; i < xs.size(); ++i) {
    const double x = xs[i];
    const double want = 0.5 * x * std::erfc(-x / std::sqrt(2.0));
    // 0.5 x (1 + tanh(u)) == x / (1 + exp(-2u)), which double evaluates without cancelling.
    const double want_tanh =
        x / (1.0 + std::exp(-2.0 * std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
    // Relative accuracy also for x << 0, where 1 + erf (1 + tanh) would cancel; results
    // below FLT_MIN are held to an absolute bound.
    EXPECT_LE(std::fabs(exact[i] - want), 1e-37 + 1e-5 * std::fabs(want)) << "x=" << xs[i];
    // In the tanh form u = sqrt(2/pi)(x + 0.044715 x^3) itself is rounded in float: where
    // exp(-2u) reaches 1e30, an ulp of u moves the result by 1e-5 relative.
    EXPECT_LE(std::fabs(approx[i] - want_tanh), 1e-37 + 4e-5 * std::fabs(want_tanh))
        << "x=" << xs[i];
  }
}

TEST_F(ElementwiseFastActivationTest, SpecialValuesAndTail) {
  // 11 values: one full vector and a tail of 3.
  const std::vector<float> xs = {kNan, kInf, -kInf, 0.0f, 1e30f, -1e30f,
                                 100.0f, -100.0f, -kNan, 1.0f, -1.0f};
  std::vector<float> e(xs.size()), g(xs.size()), t(xs.size()), u(xs.size());
  elementwise_avx2::erf_f32(xs.data(), e.data(), 11);
  elementwise_avx2::gelu_f32(xs.data(), g.data(), 11);
  elementwise_avx2::gelu_tanh_f32(xs.data(), t.data(), 11);
  elementwise_avx2::elu_f32(xs.data(), u.data(), 11, 1.0f);
  for (size_t i : {size_t{0}, size_t{8}}) {
    EXPECT_TRUE(std::isnan(e[i]) && std::isnan(g[i]) && std::isnan(t[i]) && std::isnan(u[i]));
  }
  EXPECT_EQ(e[1], 1.0f);
  EXPECT_EQ(e[2], -1.0f);
  EXPECT_EQ(e[3], 0.0f);
  EXPECT_NEAR(e[9], 0.8427007929f, 1e-6f);
  EXPECT_NEAR(e[10], -0.8427007929f, 1e-6f);
  EXPECT_EQ(g[4], 1e30f);
  EXPECT_EQ(g[6], 100.0f);
  EXPECT_EQ(g[7], 0.0f);
  EXPECT_EQ(t[6], 100.0f);
  EXPECT_EQ(u[1], kInf);
  EXPECT_EQ(u[2], -1.0f);
  EXPECT_EQ(u[5], -1.0f);
  EXPECT_NEAR(u[10], std::expm1(-1.0f), 1e-7f);
  // In place, and a length below one vector.
  std::vector<float> v = {0.5f, -2.0f};
  elementwise_avx2::erf_f32(v.data(), v.data(), 2);
  EXPECT_NEAR(v[0], std::erf(0.5f), 1e-7f);
  EXPECT_NEAR(v[1], std::erf(-2.0f), 1e-7f);
}

}  // namespace
}  // namespace recinfer::kernels
