// DotInteraction against the ONNX subgraph it replaces (MatMul(x, xᵀ) then the pair gather,
// run with the engine's ONNX kernels), the optimised paths vs the reference on any pair list, and
// the out-of-range pair error.
#include <gtest/gtest.h>

#include <random>

#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

Tensor random_x(int64_t b, int64_t f, int64_t d, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist;
  std::vector<float> v(static_cast<size_t>(b * f * d));
  for (float& x : v) x = dist(rng);
  return *Tensor::from_vector<float>(Shape{b, f, d}, v);
}

// DotInteraction over pairs (li[k], lj[k]) with the optimised and the reference kernels.
void run_both(const Tensor& x, const std::vector<int64_t>& li, const std::vector<int64_t>& lj,
              Tensor& fused, Tensor& reference) {
  const auto k = static_cast<int64_t>(li.size());
  auto ti = *Tensor::from_vector<int64_t>(Shape{k}, li);
  auto tj = *Tensor::from_vector<int64_t>(Shape{k}, lj);
  auto optimised = run_op(ir::OpType::kDotInteraction, 1, {}, {x, ti, tj}, 1);
  ASSERT_TRUE(optimised.is_ok()) << optimised.status().to_string();
  auto naive = run_op(ir::OpType::kDotInteraction, 1, {}, {x, ti, tj}, 1, KernelVariant::kReference);
  ASSERT_TRUE(naive.is_ok()) << naive.status().to_string();
  fused = (*optimised)[0];
  reference = (*naive)[0];
}

TEST(DotInteraction, MatchesBatchMatMulAndGather) {
  for (auto [b, f, d] : {std::tuple<int64_t, int64_t, int64_t>{5, 27, 64}, {37, 27, 16}, {20, 3, 8},
                         {3, 4, 5}, {1, 2, 17}}) {
    Tensor x = random_x(b, f, d, static_cast<uint32_t>(b * 100 + f));
    std::vector<int64_t> li, lj, flat;
    for (int64_t i = 0; i < f; ++i) {
      for (int64_t j = 0; j < i; ++j) {
        li.push_back(i);
        lj.push_back(j);
        flat.push_back(i * f + j);
      }
    }
    const auto k = static_cast<int64_t>(li.size());
    Tensor fused, reference;
    ASSERT_NO_FATAL_FAILURE(run_both(x, li, lj, fused, reference));
    // The ONNX way: Z = x·xᵀ (B, F, F) reshaped to (B, F·F), gather the flat indices on axis 1.
    auto xt = run_op(ir::OpType::kTranspose, 14, {{"perm", attr_ints({0, 2, 1})}}, {x}, 1);
    auto z = run_op(ir::OpType::kMatMul, 14, {}, {x, (*xt)[0]}, 1);
    ASSERT_TRUE(z.is_ok());
    Tensor zf = (*z)[0].reshaped(Shape{b, f * f});
    auto gathered = run_op(ir::OpType::kGather, 14, {{"axis", attr_int(1)}},
                           {zf, *Tensor::from_vector<int64_t>(Shape{k}, flat)}, 1);
    ASSERT_TRUE(gathered.is_ok());
    const Tensor& out = fused;
    ASSERT_EQ(out.shape(), (Shape{b, k}));
    for (int64_t i = 0; i < b * k; ++i) {
      const float want = (*gathered)[0].data<float>()[i];
      EXPECT_NEAR(out.data<float>()[i], want, 1e-4 + 1e-5 * std::abs(want)) << i;
      EXPECT_NEAR(reference.data<float>()[i], want, 1e-4 + 1e-5 * std::abs(want)) << i;
    }
  }
}

TEST(DotInteraction, AnyPairListMatchesReference) {
  // Pairs in any order and orientation, the diagonal, repeats; F not a multiple of the kernel's
  // feature block, batches that leave a partial 16-sample block.
  for (auto [b, f, d] : {std::tuple<int64_t, int64_t, int64_t>{17, 27, 64}, {33, 5, 16}, {2, 1, 3}}) {
    Tensor x = random_x(b, f, d, static_cast<uint32_t>(b + f + d));
    std::mt19937 rng(static_cast<uint32_t>(f));
    std::uniform_int_distribution<int64_t> feature(0, f - 1);
    std::vector<int64_t> li{0, f - 1, f - 1}, lj{f - 1, 0, f - 1};
    for (int p = 0; p < 40; ++p) {
      li.push_back(feature(rng));
      lj.push_back(feature(rng));
    }
    const auto k = static_cast<int64_t>(li.size());
    Tensor fused, reference;
    ASSERT_NO_FATAL_FAILURE(run_both(x, li, lj, fused, reference));
    for (int64_t i = 0; i < b * k; ++i) {
      const float want = reference.data<float>()[i];
      EXPECT_NEAR(fused.data<float>()[i], want, 1e-4 + 1e-5 * std::abs(want)) << i;
    }
  }
}

TEST(DotInteraction, PairOutsideFeaturesIsAnError) {
  Tensor x = random_x(2, 3, 4, 7);
  auto ti = *Tensor::from_vector<int64_t>(Shape{2}, {1, 3});
  auto tj = *Tensor::from_vector<int64_t>(Shape{2}, {0, 0});
  auto r = run_op(ir::OpType::kDotInteraction, 1, {}, {x, ti, tj}, 1);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("pair 1 is (3, 0)"), std::string::npos) << r.status().to_string();
}

TEST(DotInteraction, RejectsBadShapes) {
  auto x2d = *Tensor::from_vector<float>(Shape{2, 3}, {1, 2, 3, 4, 5, 6});
  auto ti = *Tensor::from_vector<int64_t>(Shape{1}, {1});
  auto r = run_op(ir::OpType::kDotInteraction, 1, {}, {x2d, ti, ti}, 1);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("(B, F, D)"), std::string::npos);
}

}  // namespace
}  // namespace recinfer::kernels
