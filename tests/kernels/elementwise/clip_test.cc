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

TEST(ElementwiseClipTest, BoundsAsInputs) {
  Tensor x = make_tensor<float>(Shape{5}, {-3, -1, 0, 1, 3});
  Tensor lo = make_tensor<float>(Shape{}, {-1.5f});
  Tensor hi = make_tensor<float>(Shape{}, {2});
  EXPECT_EQ(values_of<float>(run1(OpType::kClip, 13, {}, {x, lo, hi})),
            (std::vector<float>{-1.5f, -1, 0, 1, 2}));
  // Only max given: min omitted (an undefined tensor stands for an empty input name).
  EXPECT_EQ(values_of<float>(run1(OpType::kClip, 13, {}, {x, Tensor(), hi})),
            (std::vector<float>{-3, -1, 0, 1, 2}));
  EXPECT_EQ(values_of<float>(run1(OpType::kClip, 13, {}, {x, lo})),
            (std::vector<float>{-1.5f, -1, 0, 1, 3}));
  EXPECT_EQ(values_of<float>(run1(OpType::kClip, 13, {}, {x})),
            (std::vector<float>{-3, -1, 0, 1, 3}));
}

TEST(ElementwiseClipTest, MinAboveMaxGivesMax) {
  Tensor x = make_tensor<double>(Shape{3}, {-5, 0, 5});
  Tensor lo = make_tensor<double>(Shape{}, {2});
  Tensor hi = make_tensor<double>(Shape{}, {1});
  EXPECT_EQ(values_of<double>(run1(OpType::kClip, 13, {}, {x, lo, hi})),
            (std::vector<double>{1, 1, 1}));
}

TEST(ElementwiseClipTest, IntegersAndNan) {
  Tensor x = make_tensor<int8_t>(Shape{4}, {-128, -3, 4, 127});
  Tensor hi = make_tensor<int8_t>(Shape{}, {0});
  EXPECT_EQ(values_of<int8_t>(run1(OpType::kClip, 13, {}, {x, Tensor(), hi})),
            (std::vector<int8_t>{-128, -3, 0, 0}));
  Tensor lo = make_tensor<int8_t>(Shape{1}, {-4});  // shape (1) accepted as a scalar
  EXPECT_EQ(values_of<int8_t>(run1(OpType::kClip, 13, {}, {x, lo})),
            (std::vector<int8_t>{-4, -3, 4, 127}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor f = make_tensor<float>(Shape{1}, {nan});
  Tensor b = make_tensor<float>(Shape{}, {0});
  EXPECT_TRUE(std::isnan(values_of<float>(run1(OpType::kClip, 13, {}, {f, b, b}))[0]));
}

TEST(ElementwiseClipTest, BoundsAsAttributesBeforeOpset11) {
  Tensor x = make_tensor<float>(Shape{2, 2}, {-3, -1, 1, 3});
  Tensor out = run1(OpType::kClip, 6, {{"min", attr_float(-2)}, {"max", attr_float(2)}}, {x});
  EXPECT_EQ(out.shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<float>(out), (std::vector<float>{-2, -1, 1, 2}));
  EXPECT_EQ(values_of<float>(run1(OpType::kClip, 6, {{"max", attr_float(0)}}, {x})),
            (std::vector<float>{-3, -1, 0, 0}));
  // Without attributes the float range: double values beyond it are clipped to +-FLT_MAX.
  Tensor big = make_tensor<double>(Shape{2}, {1e300, -1e300});
  const std::vector<double> got = values_of<double>(run1(OpType::kClip, 6, {}, {big}));
  EXPECT_EQ(got[0], static_cast<double>(std::numeric_limits<float>::max()));
  EXPECT_EQ(got[1], -static_cast<double>(std::numeric_limits<float>::max()));
}

TEST(ElementwiseClipTest, BadInputs) {
  Tensor x = make_tensor<float>(Shape{2}, {1, 2});
  Tensor wrong_type = make_tensor<double>(Shape{}, {0});
  Status status = testing::run_status(OpType::kClip, 13, {}, {x, wrong_type});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("float64"), std::string::npos) << status.message();
  Tensor not_scalar = make_tensor<float>(Shape{2}, {0, 1});
  status = testing::run_status(OpType::kClip, 13, {}, {x, not_scalar});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("(2)"), std::string::npos) << status.message();
  Tensor ints = make_tensor<int32_t>(Shape{1}, {1});
  EXPECT_EQ(testing::run_status(OpType::kClip, 6, {}, {ints}).code(), StatusCode::kUnsupported);
}

TEST(ElementwiseClipTest, OptimizedMatchesReference) {
  std::mt19937 rng(7);
  Tensor x = testing::random_tensor<float>(Shape{37, 129}, rng, -10, 10);
  Tensor lo = make_tensor<float>(Shape{}, {-3});
  Tensor hi = make_tensor<float>(Shape{}, {4});
  testing::expect_matches_reference<float>(OpType::kClip, 13, {}, {x, lo, hi});
  Tensor xi = testing::random_tensor<int64_t>(Shape{1001}, rng, -100, 100);
  Tensor loi = make_tensor<int64_t>(Shape{}, {-50});
  testing::expect_matches_reference<int64_t>(OpType::kClip, 13, {}, {xi, loi});
}

}  // namespace
}  // namespace recinfer::kernels
