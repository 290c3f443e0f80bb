// fast_exp (float softmax's exp) against std::exp: relative error over the whole clamped range,
// and the special values softmax meets (-inf from masking, NaN).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "kernels/reduce/fast_exp.h"

namespace recinfer::kernels::reduce {
namespace {

TEST(FastExpTest, MatchesStdExpWithinAFewUlp) {
  double worst = 0;
  for (int i = 0; i <= 200000; ++i) {
    const float x = -87.0f + 175.0f * static_cast<float>(i) / 200000.0f;
    const double expected = std::exp(static_cast<double>(x));
    const double error = std::abs(fast_exp(x) - expected) / expected;
    worst = std::max(worst, error);
  }
  EXPECT_LT(worst, 3e-7);  // float epsilon is 1.19e-7
  EXPECT_EQ(fast_exp(0.0f), 1.0f);
}

TEST(FastExpTest, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(fast_exp(-inf), 0.0f);  // masked logits contribute nothing to a softmax sum
  EXPECT_EQ(fast_exp(-1000.0f), 0.0f);
  EXPECT_EQ(fast_exp(-87.5f), 0.0f);
  EXPECT_GT(fast_exp(-86.9f), 0.0f);
  EXPECT_TRUE(std::isnan(fast_exp(std::numeric_limits<float>::quiet_NaN())));
  EXPECT_TRUE(std::isnan(fast_exp(-std::numeric_limits<float>::quiet_NaN())));
  EXPECT_TRUE(std::isfinite(fast_exp(inf)));  // clamped at exp(88)
  EXPECT_NEAR(fast_exp(88.0f) / std::exp(88.0), 1.0, 1e-6);
}

}  // namespace
}  // namespace recinfer::kernels::reduce
