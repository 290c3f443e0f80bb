#include <gtest/gtest.h>

#include <limits>

#include "kernels/shape/shape_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace recinfer::kernels::shape_test;
using ir::OpType;

template <typename T>
Tensor scalar(T v) {
  return make<T>(Shape{}, {v});
}

TEST(ShapeKernelsRange, FloatPositiveDelta) {
  auto out = run_ok(OpType::kRange, 11, {}, {scalar(1.0f), scalar(5.0f), scalar(2.0f)});
  EXPECT_EQ(out[0].shape(), (Shape{2}));
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{1, 3}));
  // ceil: 0, 0.3, 0.6, 0.9 (the 4th is below 1.0).
  auto frac = run_ok(OpType::kRange, 11, {}, {scalar(0.0), scalar(1.0), scalar(0.3)});
  ASSERT_EQ(frac[0].shape(), (Shape{4}));
  EXPECT_NEAR(frac[0].data<double>()[3], 0.9, 1e-12);
}

TEST(ShapeKernelsRange, IntNegativeDelta) {
  auto out = run_ok(OpType::kRange, 11, {}, {scalar<int32_t>(10), scalar<int32_t>(6),
                                             scalar<int32_t>(-3)});
  EXPECT_EQ(values_of<int32_t>(out[0]), (std::vector<int32_t>{10, 7}));
  auto i16 = run_ok(OpType::kRange, 11, {}, {scalar<int16_t>(-2), scalar<int16_t>(2),
                                             scalar<int16_t>(1)});
  EXPECT_EQ(values_of<int16_t>(i16[0]), (std::vector<int16_t>{-2, -1, 0, 1}));
}

TEST(ShapeKernelsRange, EmptyWhenDeltaPointsAway) {
  auto out = run_ok(OpType::kRange, 11, {}, {scalar<int64_t>(5), scalar<int64_t>(1),
                                             scalar<int64_t>(2)});
  EXPECT_EQ(out[0].shape(), (Shape{0}));
}

TEST(ShapeKernelsRange, ExtremeInt64DoesNotOverflow) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  auto out = run_ok(OpType::kRange, 11, {}, {scalar<int64_t>(kMax - 2), scalar<int64_t>(kMax),
                                             scalar<int64_t>(1)});
  EXPECT_EQ(values_of<int64_t>(out[0]), (std::vector<int64_t>{kMax - 2, kMax - 1}));
  Status st = run_error(OpType::kRange, 11, {},
                        {scalar<int64_t>(std::numeric_limits<int64_t>::min()),
                         scalar<int64_t>(kMax), scalar<int64_t>(1)});
  EXPECT_NE(st.message().find("too many"), std::string::npos) << st.message();
}

TEST(ShapeKernelsRange, Errors) {
  Status st = run_error(OpType::kRange, 11, {}, {scalar(0.0f), scalar(1.0f), scalar(0.0f)});
  EXPECT_NE(st.message().find("delta is 0"), std::string::npos) << st.message();
  st = run_error(OpType::kRange, 11, {}, {scalar(0.0f), scalar(1.0), scalar(1.0f)});
  EXPECT_NE(st.message().find("'limit' has dtype float64"), std::string::npos) << st.message();
  st = run_error(OpType::kRange, 11, {},
                 {scalar<uint8_t>(0), scalar<uint8_t>(1), scalar<uint8_t>(1)});
  EXPECT_EQ(st.code(), StatusCode::kUnsupported);
  st = run_error(OpType::kRange, 11, {}, {ints({0, 1}), scalar<int64_t>(1), scalar<int64_t>(1)});
  EXPECT_NE(st.message().find("scalar"), std::string::npos) << st.message();
  st = run_error(OpType::kRange, 11, {},
                 {scalar(0.0f), scalar(std::numeric_limits<float>::infinity()), scalar(1.0f)});
  EXPECT_NE(st.message().find("too many"), std::string::npos) << st.message();
}

TEST(ShapeKernelsRange, DynamicLimit) {
  DynamicRun run = run_dynamic(OpType::kRange, 11, {},
                               {scalar<int64_t>(0), scalar<int64_t>(3), scalar<int64_t>(1)}, {1});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(values_of<int64_t>(run.outputs[0]), (std::vector<int64_t>{0, 1, 2}));
}

}  // namespace
}  // namespace recinfer::kernels
