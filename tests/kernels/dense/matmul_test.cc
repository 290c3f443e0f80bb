#include <gtest/gtest.h>

#include "kernels/dense/kernel_test_support.h"
#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

using dense_test::expect_close;
using dense_test::make_tensor;
using dense_test::random_tensor;
using dense_test::run_both;
using dense_test::ThreadedFor;
using dense_test::values_of;

Result<std::vector<Tensor>> matmul(const Tensor& a, const Tensor& b,
                                   KernelVariant variant = KernelVariant::kOptimized) {
  return run_op(ir::OpType::kMatMul, 13, {}, {a, b}, 1, variant);
}

TEST(MatMulTest, HandChecked2D) {
  Tensor a = make_tensor<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = make_tensor<float>({3, 2}, {7, 8, 9, 10, 11, 12});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = matmul(a, b, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ((*out)[0].shape(), (Shape{2, 2}));
    EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{58, 64, 139, 154}));
  }
}

TEST(MatMulTest, OneDimensionalOperandsArePromotedAndSqueezed) {
  Tensor v = make_tensor<int64_t>({3}, {1, 2, 3});
  Tensor m = make_tensor<int64_t>({3, 2}, {1, 0, 0, 1, 1, 1});
  Tensor mt = make_tensor<int64_t>({2, 3}, {1, 0, 1, 0, 1, 1});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto dot = matmul(v, v, variant);
    ASSERT_TRUE(dot.is_ok()) << dot.status().to_string();
    EXPECT_EQ((*dot)[0].shape(), Shape{});
    EXPECT_EQ(values_of<int64_t>((*dot)[0]), (std::vector<int64_t>{14}));
    auto vm = matmul(v, m, variant);
    ASSERT_TRUE(vm.is_ok());
    EXPECT_EQ((*vm)[0].shape(), (Shape{2}));
    EXPECT_EQ(values_of<int64_t>((*vm)[0]), (std::vector<int64_t>{4, 5}));
    auto mv = matmul(mt, v, variant);
    ASSERT_TRUE(mv.is_ok());
    EXPECT_EQ((*mv)[0].shape(), (Shape{2}));
    EXPECT_EQ(values_of<int64_t>((*mv)[0]), (std::vector<int64_t>{4, 5}));
    // 1-D A against a batch of matrices: (3) x (2,3,2) -> (2,2).
    Tensor batch = make_tensor<int64_t>({2, 3, 2}, {1, 0, 0, 1, 1, 1, 2, 0, 0, 2, 0, 0});
    auto vb = matmul(v, batch, variant);
    ASSERT_TRUE(vb.is_ok());
    EXPECT_EQ((*vb)[0].shape(), (Shape{2, 2}));
    EXPECT_EQ(values_of<int64_t>((*vb)[0]), (std::vector<int64_t>{4, 5, 2, 4}));
  }
}

TEST(MatMulTest, BroadcastBatchHandChecked) {
  // A (2,1,1,2) against B (3,2,1): out (2,3,1,1) with out[i][j] = A[i] . B[j].
  Tensor a = make_tensor<float>({2, 1, 1, 2}, {1, 2, 10, 20});
  Tensor b = make_tensor<float>({3, 2, 1}, {1, 0, 0, 1, 1, 1});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = matmul(a, b, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ((*out)[0].shape(), (Shape{2, 3, 1, 1}));
    EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{1, 2, 3, 10, 20, 30}));
  }
}

TEST(MatMulTest, EmptyDimensions) {
  auto zero_k = matmul(make_tensor<float>({2, 0}, {}), make_tensor<float>({0, 3}, {}));
  ASSERT_TRUE(zero_k.is_ok()) << zero_k.status().to_string();
  EXPECT_EQ(values_of<float>((*zero_k)[0]), (std::vector<float>(6, 0.0f)));
  auto zero_m = matmul(make_tensor<float>({0, 2}, {}), make_tensor<float>({2, 3}, std::vector<float>(6, 1)));
  ASSERT_TRUE(zero_m.is_ok());
  EXPECT_EQ((*zero_m)[0].shape(), (Shape{0, 3}));
  auto zero_batch = matmul(make_tensor<int32_t>({0, 2, 2}, {}), make_tensor<int32_t>({2, 2}, {1, 2, 3, 4}));
  ASSERT_TRUE(zero_batch.is_ok());
  EXPECT_EQ((*zero_batch)[0].shape(), (Shape{0, 2, 2}));
}

TEST(MatMulTest, ShapeAndDtypeErrorsNameBothShapes) {
  auto k = matmul(make_tensor<float>({2, 3}, std::vector<float>(6, 1)),
                  make_tensor<float>({4, 2}, std::vector<float>(8, 1)));
  ASSERT_FALSE(k.is_ok());
  EXPECT_EQ(k.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(k.status().message().find("MatMul_under_test"), std::string::npos);
  EXPECT_NE(k.status().message().find("(2,3)"), std::string::npos) << k.status().message();
  EXPECT_NE(k.status().message().find("(4,2)"), std::string::npos) << k.status().message();
  auto batch = matmul(make_tensor<float>({2, 3, 4}, std::vector<float>(24, 1)),
                      make_tensor<float>({3, 4, 5}, std::vector<float>(60, 1)));
  EXPECT_EQ(batch.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(batch.status().message().find("(2,3,4)"), std::string::npos);
  EXPECT_NE(batch.status().message().find("(3,4,5)"), std::string::npos);
  auto scalar = matmul(make_tensor<float>({}, {1}), make_tensor<float>({1}, {1}));
  EXPECT_EQ(scalar.status().code(), StatusCode::kInvalidArgument);
  auto mixed = matmul(make_tensor<float>({1}, {1}), make_tensor<double>({1}, {1}));
  EXPECT_EQ(mixed.status().code(), StatusCode::kInvalidArgument);
  auto int8 = matmul(make_tensor<int8_t>({1}, {1}), make_tensor<int8_t>({1}, {1}));
  EXPECT_EQ(int8.status().code(), StatusCode::kUnsupported);
}

// Shapes covering 1x1, odd sizes, 1-D operands, batch broadcast both ways, the folded
// (batch, M, K) x (K, N) case, M = 1 with wide N (column split) and tall products (row split).
const std::vector<std::pair<Shape, Shape>>& random_cases() {
  static const std::vector<std::pair<Shape, Shape>> cases = {
      {{1, 1}, {1, 1}},         {{3, 5}, {5, 7}},           {{2, 1, 4, 5}, {3, 5, 6}},
      {{5}, {5, 6}},            {{4, 5}, {5}},              {{7}, {2, 7, 3}},
      {{2, 3, 4}, {4}},         {{5}, {5}},                 {{2, 3, 4}, {4, 5}},
      {{1, 4, 5}, {3, 5, 6}},   {{3, 4, 5}, {1, 5, 6}},     {{3, 64, 70}, {70, 33}},
      {{1, 300}, {300, 200}},   {{130, 20}, {20, 90}},      {{2, 2, 3, 9, 8}, {2, 1, 8, 11}},
      {{6, 33, 17}, {6, 17, 40}}, {{1, 1, 513}, {513, 1}},     {{1, 512}, {512, 700}},
      {{2, 1, 300}, {2, 300, 400}},
      // One operand shared by the batch, folded into one GEMM (matmul_fold.h): a shared A times
      // (batch, K, 1) columns (DCN-Mix's matmul(V.t(), x)), at batch 1, 128 and an odd 257,
      // with broadcast batch dims; (batch, 1, K) rows times a shared B.
      {{6, 40}, {128, 40, 1}},  {{6, 40}, {257, 40, 1}},    {{6, 40}, {1, 40, 1}},
      {{1, 6, 40}, {3, 5, 40, 1}}, {{40, 6}, {257, 6, 1}},  {{1, 1, 7, 9}, {2, 3, 9, 1}},
      {{128, 1, 40}, {40, 6}},  {{257, 1, 40}, {1, 40, 6}}, {{1, 1, 40}, {40, 6}},
      {{3, 5, 1, 9}, {9, 4}},      {{40}, {5, 40, 1}},         {{1, 40}, {7, 40, 1}},
      // Not foldable (both batched, or a shared A with N > 1): one GEMM per batch entry.
      {{2, 1, 6, 40}, {1, 7, 40, 1}}, {{6, 40}, {9, 40, 2}}, {{5, 6, 40}, {5, 40, 1}},
  };
  return cases;
}

template <typename T>
void check_random_against_reference(double atol, double rtol) {
  std::mt19937 rng(2024);
  ThreadedFor parallel;
  for (const auto& [a_shape, b_shape] : random_cases()) {
    SCOPED_TRACE("A " + a_shape.to_string() + " B " + b_shape.to_string());
    Tensor a = random_tensor<T>(rng, a_shape);
    Tensor b = random_tensor<T>(rng, b_shape);
    auto [fast, ref] = run_both(ir::OpType::kMatMul, 13, {}, {a, b}, &parallel);
    ASSERT_TRUE(fast.defined());
    expect_close<T>(fast, ref, atol, rtol);
  }
  EXPECT_GT(parallel.split_calls(), 0);
}

TEST(MatMulTest, Float32MatchesReference) { check_random_against_reference<float>(1e-3, 1e-4); }
TEST(MatMulTest, Float64MatchesReference) { check_random_against_reference<double>(1e-12, 1e-12); }
TEST(MatMulTest, Int32MatchesReference) { check_random_against_reference<int32_t>(0, 0); }
TEST(MatMulTest, Int64MatchesReference) { check_random_against_reference<int64_t>(0, 0); }
TEST(MatMulTest, Uint32MatchesReference) { check_random_against_reference<uint32_t>(0, 0); }
TEST(MatMulTest, Uint64MatchesReference) { check_random_against_reference<uint64_t>(0, 0); }

TEST(MatMulTest, IntegerOverflowWrapsLikeNumpy) {
  const int32_t big = 1 << 30;
  auto out = matmul(make_tensor<int32_t>({1, 2}, {big, big}), make_tensor<int32_t>({2, 1}, {4, 1}));
  ASSERT_TRUE(out.is_ok());
  // 2^32 + 2^30 wraps to 2^30 in int32.
  EXPECT_EQ(values_of<int32_t>((*out)[0]), (std::vector<int32_t>{big}));
}

}  // namespace
}  // namespace recinfer::kernels
