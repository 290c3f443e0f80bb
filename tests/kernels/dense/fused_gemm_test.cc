// FusedGemm against Gemm followed by the standalone activation kernel (optimised and reference),
// over shapes that split into several tiles, and its attribute/dtype checks.
#include <gtest/gtest.h>

#include <random>

#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

Tensor random_tensor(Shape shape, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist;
  std::vector<float> v(static_cast<size_t>(shape.numel()));
  for (float& x : v) x = dist(rng);
  return *Tensor::from_vector<float>(shape, v);
}

TEST(FusedGemm, EqualsGemmThenActivation) {
  const std::pair<const char*, ir::OpType> activations[] = {
      {"Relu", ir::OpType::kRelu}, {"Sigmoid", ir::OpType::kSigmoid}, {"Tanh", ir::OpType::kTanh}};
  for (auto [m, k, n] : {std::tuple<int64_t, int64_t, int64_t>{128, 415, 256}, {7, 13, 5}, {1, 3, 1}}) {
    Tensor a = random_tensor(Shape{m, k}, 1);
    Tensor b = random_tensor(Shape{n, k}, 2);
    Tensor c = random_tensor(Shape{n}, 3);
    for (auto [name, op] : activations) {
      for (KernelVariant variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
        auto gemm = run_op(ir::OpType::kGemm, 14, {{"transB", attr_int(1)}}, {a, b, c}, 1, variant);
        ASSERT_TRUE(gemm.is_ok());
        auto want = run_op(op, 14, {}, {(*gemm)[0]}, 1, variant);
        auto got = run_op(ir::OpType::kFusedGemm, 1,
                          {{"transB", attr_int(1)}, {"activation", attr_string(name)}}, {a, b, c}, 1,
                          variant);
        ASSERT_TRUE(want.is_ok() && got.is_ok()) << got.status().to_string();
        ASSERT_EQ((*got)[0].shape(), (Shape{m, n}));
        for (int64_t i = 0; i < m * n; ++i) {
          const float w = (*want)[0].data<float>()[i];
          ASSERT_NEAR((*got)[0].data<float>()[i], w, 1e-6f + 1e-6f * std::abs(w))
              << name << " element " << i;
        }
      }
    }
  }
}

// C is optional whatever the (ai.recinfer) opset number: a bias-free Gemm fuses too.
TEST(FusedGemm, WorksWithoutBias) {
  Tensor a = random_tensor(Shape{3, 4}, 5);
  auto got = run_op(ir::OpType::kFusedGemm, 1, {{"transB", attr_int(1)}, {"activation", attr_string("Relu")}},
                    {a, a}, 1);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  auto gemm = run_op(ir::OpType::kGemm, 14, {{"transB", attr_int(1)}}, {a, a}, 1);
  auto want = run_op(ir::OpType::kRelu, 14, {}, {(*gemm)[0]}, 1);
  for (int64_t i = 0; i < 9; ++i) EXPECT_EQ((*got)[0].data<float>()[i], (*want)[0].data<float>()[i]);
}

TEST(FusedGemm, RejectsUnknownActivationAndNonFloat) {
  Tensor a = random_tensor(Shape{2, 2}, 4);
  auto bad = run_op(ir::OpType::kFusedGemm, 1, {{"activation", attr_string("Gelu")}}, {a, a}, 1);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("Gelu"), std::string::npos);
  auto ints = *Tensor::from_vector<int64_t>(Shape{2, 2}, {1, 2, 3, 4});
  auto not_float = run_op(ir::OpType::kFusedGemm, 1, {{"activation", attr_string("Relu")}},
                          {ints, ints}, 1);
  ASSERT_FALSE(not_float.is_ok());
}

}  // namespace
}  // namespace recinfer::kernels
