// Block-structured constant weights (gemm_blocks.h): which weights qualify, and Gemm/FusedGemm
// through the per-block products against the reference kernel — block-diagonal and ragged
// blocks, either layout of B and A, row and full bias, activation, tiles split over threads — and
// a NaN in one head's inputs staying in that head.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "kernels/dense/gemm_blocks.h"
#include "kernels/dense/kernel_test_support.h"
#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

using dense::find_weight_blocks;
using dense_test::expect_close;
using dense_test::random_tensor;
using dense_test::run_both;
using dense_test::ThreadedFor;

// op(B) (k x n) with column block b reading rows ranges[b] only; stored (n, k) when trans_b.
Tensor block_weight(std::mt19937& rng, int64_t k, const std::vector<std::array<int64_t, 4>>& blocks,
                    int64_t n, bool trans_b) {
  std::uniform_real_distribution<float> dist(0.5f, 1.5f);
  std::vector<float> v(static_cast<size_t>(k * n), 0.0f);
  for (const auto& [n0, n1, k0, k1] : blocks) {
    for (int64_t j = n0; j < n1; ++j) {
      for (int64_t r = k0; r < k1; ++r) v[static_cast<size_t>(trans_b ? j * k + r : r * n + j)] = dist(rng);
    }
  }
  return *Tensor::from_vector<float>(trans_b ? Shape{n, k} : Shape{k, n}, v);
}

TEST(GemmBlocks, FindsBlockDiagonalAndRaggedBlocksOnly) {
  std::mt19937 rng(1);
  for (bool trans_b : {false, true}) {
    Tensor diag = block_weight(rng, 8, {{0, 3, 0, 4}, {3, 6, 4, 8}}, 6, trans_b);
    auto blocks = find_weight_blocks(diag.data<float>(), 8, 6, trans_b);
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[1].n_begin, 3);
    EXPECT_EQ(blocks[1].k_begin, 4);
    EXPECT_EQ(blocks[1].k_end, 8);
    // Dense, an all-zero column, or too little skipped: the plain product.
    Tensor dense = block_weight(rng, 8, {{0, 6, 0, 8}}, 6, trans_b);
    EXPECT_TRUE(find_weight_blocks(dense.data<float>(), 8, 6, trans_b).empty());
    Tensor zero_column = block_weight(rng, 8, {{0, 3, 0, 4}, {4, 6, 4, 8}}, 6, trans_b);
    EXPECT_TRUE(find_weight_blocks(zero_column.data<float>(), 8, 6, trans_b).empty());
    Tensor overlap = block_weight(rng, 8, {{0, 3, 0, 7}, {3, 6, 1, 8}}, 6, trans_b);
    EXPECT_TRUE(find_weight_blocks(overlap.data<float>(), 8, 6, trans_b).empty());
  }
}

struct BlockCase {
  int64_t m, k, n;
  std::vector<std::array<int64_t, 4>> blocks;  // {n_begin, n_end, k_begin, k_end}
};

TEST(GemmBlocks, ProductsPerBlockMatchTheReference) {
  std::mt19937 rng(7);
  ThreadedFor parallel(3);
  const BlockCase cases[] = {
      {37, 20, 24, {{0, 12, 0, 10}, {12, 24, 10, 20}}},                // head-split weight, H = 2
      {37, 20, 24, {{0, 5, 0, 3}, {5, 16, 3, 11}, {16, 24, 11, 20}}},  // ragged blocks
      {150, 40, 48, {{0, 24, 0, 20}, {24, 48, 20, 40}}},               // row tiles over threads
      {2, 64, 2048, {{0, 700, 0, 30}, {700, 2048, 30, 64}}},           // column tiles cut a block
  };
  for (const BlockCase& bc : cases) {
    const int64_t m = bc.m, k = bc.k, n = bc.n;
    for (int trans_a : {0, 1}) {
      for (int trans_b : {0, 1}) {
        Tensor a = random_tensor<float>(rng, trans_a ? Shape{k, m} : Shape{m, k});
        Tensor b = block_weight(rng, k, bc.blocks, n, trans_b != 0);
        ASSERT_EQ(dense::find_weight_blocks(b.data<float>(), k, n, trans_b != 0).size(), bc.blocks.size());
        for (const Shape& bias_shape : {Shape{n}, Shape{m, n}}) {
          Tensor c = random_tensor<float>(rng, bias_shape);
          std::map<std::string, ir::Attribute, std::less<>> attrs = {
              {"alpha", attr_float(0.5f)}, {"beta", attr_float(2.0f)},
              {"transA", attr_int(trans_a)}, {"transB", attr_int(trans_b)}};
          auto [fast, ref] = run_both(ir::OpType::kGemm, 13, attrs, {a, b, c}, &parallel);
          expect_close<float>(fast, ref, 1e-4, 1e-5);
          attrs["activation"] = attr_string("Relu");
          auto [fused, fused_ref] = run_both(ir::OpType::kFusedGemm, 1, attrs, {a, b, c}, &parallel);
          expect_close<float>(fused, fused_ref, 1e-4, 1e-5);
        }
      }
    }
  }
}

TEST(GemmBlocks, NanInOneHeadStaysInThatHead) {
  // Two heads: columns 0..3 read inputs 0..3, columns 4..7 inputs 4..7. A NaN in input 1 makes
  // head 0 NaN, as the per-head products of the exported model would; head 1 stays finite.
  std::mt19937 rng(3);
  Tensor b = block_weight(rng, 8, {{0, 4, 0, 4}, {4, 8, 4, 8}}, 8, false);
  std::vector<float> x(16, 1.0f);
  x[1] = NAN;
  Tensor a = *Tensor::from_vector<float>(Shape{2, 8}, x);
  auto out = run_op(ir::OpType::kGemm, 13, {}, {a, b}, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  const float* y = (*out)[0].data<float>();
  for (int j = 0; j < 4; ++j) EXPECT_TRUE(std::isnan(y[j])) << j;
  for (int j = 4; j < 8; ++j) EXPECT_TRUE(std::isfinite(y[j])) << j;
  for (int j = 0; j < 8; ++j) EXPECT_TRUE(std::isfinite(y[8 + j])) << j;  // row 1 has no NaN
}

}  // namespace
}  // namespace recinfer::kernels
