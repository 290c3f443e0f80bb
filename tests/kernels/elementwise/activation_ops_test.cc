// The unary activations with attributes (LeakyRelu, Elu, Selu, Celu, HardSigmoid, HardSwish,
// ThresholdedRelu, Shrink) and ai.recinfer Gelu: the ONNX definitions with default and explicit
// attributes, and the optimised kernels (AVX2 LeakyRelu/Elu/Gelu included) against the reference.
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

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();

std::vector<float> run_float(OpType op, Attributes attributes, const std::vector<float>& x,
                             int opset = 16) {
  return values_of<float>(run1(op, opset, std::move(attributes),
                               {make_tensor<float>(Shape{static_cast<int64_t>(x.size())}, x)}));
}

void expect_floats(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-6f) << "index " << i;
}

TEST(ElementwiseActivationTest, DefaultsAndAttributes) {
  const std::vector<float> x = {-2.0f, -0.5f, 0.0f, 1.5f};
  expect_floats(run_float(OpType::kLeakyRelu, {}, x), {-0.02f, -0.005f, 0.0f, 1.5f});
  expect_floats(run_float(OpType::kLeakyRelu, {{"alpha", attr_float(0.1f)}}, x),
                {-0.2f, -0.05f, 0.0f, 1.5f});
  expect_floats(run_float(OpType::kElu, {{"alpha", attr_float(2.0f)}}, x, 6),
                {2.0f * std::expm1(-2.0f), 2.0f * std::expm1(-0.5f), 0.0f, 1.5f});
  const float a = 1.67326319217681884765625f, g = 1.05070102214813232421875f;
  expect_floats(run_float(OpType::kSelu, {}, x, 6),
                {g * a * std::expm1(-2.0f), g * a * std::expm1(-0.5f), 0.0f, g * 1.5f});
  expect_floats(run_float(OpType::kSelu, {{"alpha", attr_float(2.0f)}, {"gamma", attr_float(3.0f)}},
                          x, 6),
                {6.0f * std::expm1(-2.0f), 6.0f * std::expm1(-0.5f), 0.0f, 4.5f});
  expect_floats(run_float(OpType::kCelu, {{"alpha", attr_float(2.0f)}}, x, 12),
                {2.0f * std::expm1(-1.0f), 2.0f * std::expm1(-0.25f), 0.0f, 1.5f});
  expect_floats(run_float(OpType::kHardSigmoid, {}, {-3.0f, 0.0f, 1.0f, 3.0f}, 6),
                {0.0f, 0.5f, 0.7f, 1.0f});
  expect_floats(run_float(OpType::kHardSigmoid,
                          {{"alpha", attr_float(0.5f)}, {"beta", attr_float(0.6f)}}, x, 6),
                {0.0f, 0.35f, 0.6f, 1.0f});
  expect_floats(run_float(OpType::kHardSwish, {}, {-4.0f, -1.0f, 0.0f, 1.0f, 4.0f}, 14),
                {0.0f, -1.0f / 3.0f, 0.0f, 2.0f / 3.0f, 4.0f});
  expect_floats(run_float(OpType::kThresholdedRelu, {}, {0.5f, 1.0f, 1.5f}, 10),
                {0.0f, 0.0f, 1.5f});
  expect_floats(run_float(OpType::kThresholdedRelu, {{"alpha", attr_float(2.0f)}},
                          {-3.0f, 2.0f, 2.5f}, 10),
                {0.0f, 0.0f, 2.5f});
  // Shrink: hard (bias 0) and soft.
  const std::vector<float> s = {-2.0f, -1.0f, 0.0f, 1.0f, 2.0f};
  expect_floats(run_float(OpType::kShrink, {{"lambd", attr_float(1.5f)}}, s, 9),
                {-2.0f, 0.0f, 0.0f, 0.0f, 2.0f});
  expect_floats(
      run_float(OpType::kShrink, {{"lambd", attr_float(1.5f)}, {"bias", attr_float(1.5f)}}, s, 9),
      {-0.5f, 0.0f, 0.0f, 0.0f, 0.5f});
  expect_floats(run_float(OpType::kShrink, {}, {-0.6f, 0.4f, 0.7f}, 9), {-0.6f, 0.0f, 0.7f});
}

TEST(ElementwiseActivationTest, Gelu) {
  const std::vector<float> x = {-3.0f, -1.0f, 0.0f, 0.5f, 2.0f};
  // 0.5 x (1 + erf(x / sqrt2)), computed in double.
  std::vector<float> exact, tanh_approx;
  for (float v : x) {
    const double d = v;
    exact.push_back(static_cast<float>(0.5 * d * (1.0 + std::erf(d / std::sqrt(2.0)))));
    tanh_approx.push_back(static_cast<float>(
        0.5 * d * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (d + 0.044715 * d * d * d)))));
  }
  expect_floats(run_float(OpType::kFusedGelu, {}, x, 1), exact);
  expect_floats(run_float(OpType::kFusedGelu, {{"approximate", attr_string("none")}}, x, 1), exact);
  expect_floats(run_float(OpType::kFusedGelu, {{"approximate", attr_string("tanh")}}, x, 1),
                tanh_approx);
  Status bad = testing::run_status(OpType::kFusedGelu, 1, {{"approximate", attr_string("fast")}},
                                   {make_tensor<float>(Shape{1}, {1.0f})});
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("fast"), std::string::npos) << bad.message();
}

TEST(ElementwiseActivationTest, NanAndInvalidAttributes) {
  for (OpType op : {OpType::kLeakyRelu, OpType::kElu, OpType::kSelu, OpType::kCelu,
                    OpType::kHardSigmoid, OpType::kHardSwish, OpType::kThresholdedRelu,
                    OpType::kFusedGelu}) {
    for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
      Tensor out = run1(op, 16, {}, {make_tensor<float>(Shape{9}, std::vector<float>(9, kNan))},
                        variant);
      for (float v : values_of<float>(out)) EXPECT_TRUE(std::isnan(v)) << ir::op_name(op);
    }
  }
  Status celu = testing::run_status(OpType::kCelu, 12, {{"alpha", attr_float(0.0f)}},
                                    {make_tensor<float>(Shape{1}, {1.0f})});
  EXPECT_EQ(celu.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(celu.message().find("alpha"), std::string::npos) << celu.message();
  Tensor ints = make_tensor<int32_t>(Shape{1}, {1});
  for (OpType op : {OpType::kLeakyRelu, OpType::kElu, OpType::kShrink}) {
    EXPECT_EQ(testing::run_status(op, 16, {}, {ints}).code(), StatusCode::kUnsupported);
  }
}

TEST(ElementwiseActivationTest, OptimizedMatchesReference) {
  std::mt19937 rng(11);
  const Attributes alpha = {{"alpha", attr_float(0.3f)}};
  const Attributes none;
  const struct {
    OpType op;
    const Attributes* attributes;
  } cases[] = {{OpType::kLeakyRelu, &alpha},     {OpType::kLeakyRelu, &none},
               {OpType::kElu, &alpha},           {OpType::kElu, &none},
               {OpType::kSelu, &none},           {OpType::kCelu, &alpha},
               {OpType::kHardSigmoid, &none},    {OpType::kThresholdedRelu, &alpha},
               {OpType::kShrink, &none},         {OpType::kFusedGelu, &none}};
  const Attributes tanh = {{"approximate", attr_string("tanh")}};
  for (const Shape& shape : {Shape{1}, Shape{7}, Shape{3, 5, 7}, Shape{20003}}) {
    Tensor x = testing::random_tensor<float>(shape, rng, -8.0, 8.0);
    Tensor small = testing::random_tensor<float>(shape, rng, -0.4, 0.4);  // expm1's small branch
    Tensor xd = testing::random_tensor<double>(shape, rng, -8.0, 8.0);
    for (const auto& c : cases) {
      SCOPED_TRACE(ir::op_name(c.op));
      testing::expect_matches_reference<float>(c.op, 16, *c.attributes, {x}, 1e-6, 1e-6);
      testing::expect_matches_reference<float>(c.op, 16, *c.attributes, {small}, 1e-7, 1e-6);
      testing::expect_matches_reference<double>(c.op, 16, *c.attributes, {xd}, 1e-12, 1e-12);
    }
    testing::expect_matches_reference<float>(OpType::kFusedGelu, 1, tanh, {x}, 1e-6, 1e-6);
  }
}

}  // namespace
}  // namespace recinfer::kernels
