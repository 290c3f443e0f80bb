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

using Attrs = std::map<std::string, ir::Attribute, std::less<>>;

Attrs gemm_attrs(float alpha, float beta, int trans_a, int trans_b) {
  return {{"alpha", attr_float(alpha)},
          {"beta", attr_float(beta)},
          {"transA", attr_int(trans_a)},
          {"transB", attr_int(trans_b)}};
}

TEST(GemmTest, HandCheckedWithScalarBias) {
  // A = [[1,2,3],[4,5,6]], B = [[1,0],[0,1],[1,1]] -> AB = [[4,5],[10,11]]; 2*AB + 0.5*10.
  Tensor a = make_tensor<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = make_tensor<float>({3, 2}, {1, 0, 0, 1, 1, 1});
  Tensor c = make_tensor<float>({}, {10});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = run_op(ir::OpType::kGemm, 13, gemm_attrs(2.0f, 0.5f, 0, 0), {a, b, c}, 1, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ((*out)[0].shape(), (Shape{2, 2}));
    EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{13, 15, 25, 27}));
  }
}

TEST(GemmTest, HandCheckedTransposedWithRowAndColumnBias) {
  // A stored (K=2, M=3) with transA, B stored (N=2, K=2) with transB.
  Tensor a = make_tensor<double>({2, 3}, {1, 2, 3, 4, 5, 6});  // op(A) = [[1,4],[2,5],[3,6]]
  Tensor b = make_tensor<double>({2, 2}, {1, 2, 3, 4});        // op(B) = [[1,3],[2,4]]
  // op(A) op(B) = [[9,19],[12,26],[15,33]]
  Tensor row = make_tensor<double>({2}, {100, 200});
  Tensor col = make_tensor<double>({3, 1}, {1, 2, 3});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = run_op(ir::OpType::kGemm, 13, gemm_attrs(1.0f, 1.0f, 1, 1), {a, b, row}, 1, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_of<double>((*out)[0]), (std::vector<double>{109, 219, 112, 226, 115, 233}));
    out = run_op(ir::OpType::kGemm, 13, gemm_attrs(1.0f, -1.0f, 1, 1), {a, b, col}, 1, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_of<double>((*out)[0]), (std::vector<double>{8, 18, 10, 24, 12, 30}));
  }
}

TEST(GemmTest, IntegerGemmIsExact) {
  Tensor a = make_tensor<int64_t>({1, 2}, {int64_t{1} << 40, 3});
  Tensor b = make_tensor<int64_t>({2, 1}, {1 << 12, 5});
  Tensor c = make_tensor<int64_t>({1}, {-7});
  auto out = run_op(ir::OpType::kGemm, 13, gemm_attrs(1.0f, 1.0f, 0, 0), {a, b, c}, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_of<int64_t>((*out)[0]), (std::vector<int64_t>{(int64_t{1} << 52) + 15 - 7}));
  out = run_op(ir::OpType::kGemm, 13, gemm_attrs(2.0f, 3.0f, 0, 0),
               {make_tensor<int32_t>({1, 1}, {5}), make_tensor<int32_t>({1, 1}, {-4}),
                make_tensor<int32_t>({1, 1}, {2})},
               1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_of<int32_t>((*out)[0]), (std::vector<int32_t>{-34}));
}

TEST(GemmTest, EmptyKGivesScaledBias) {
  Tensor a = make_tensor<float>({2, 0}, {});
  Tensor b = make_tensor<float>({0, 3}, {});
  Tensor c = make_tensor<float>({3}, {1, 2, 3});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = run_op(ir::OpType::kGemm, 13, gemm_attrs(1.0f, 2.0f, 0, 0), {a, b, c}, 1, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{2, 4, 6, 2, 4, 6}));
    out = run_op(ir::OpType::kGemm, 13, gemm_attrs(1.0f, 2.0f, 0, 0), {a, b}, 1, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>(6, 0.0f)));
  }
}

TEST(GemmTest, ShapeAndDtypeErrors) {
  Tensor a = make_tensor<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = make_tensor<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  auto mismatch = run_op(ir::OpType::kGemm, 13, gemm_attrs(1, 1, 0, 0), {a, b}, 1);
  ASSERT_FALSE(mismatch.is_ok());
  EXPECT_EQ(mismatch.status().code(), StatusCode::kInvalidArgument);
  const std::string& msg = mismatch.status().message();
  EXPECT_NE(msg.find("Gemm_under_test"), std::string::npos) << msg;
  EXPECT_NE(msg.find("A (2,3)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("B (2,3)"), std::string::npos) << msg;
  // transB makes it valid: (2,3) x (3,2).
  EXPECT_TRUE(run_op(ir::OpType::kGemm, 13, gemm_attrs(1, 1, 0, 1), {a, b}, 1).is_ok());
  auto bad_c = run_op(ir::OpType::kGemm, 13, gemm_attrs(1, 1, 0, 1),
                      {a, b, make_tensor<float>({3}, {1, 2, 3})}, 1);
  EXPECT_EQ(bad_c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_c.status().message().find("C (3)"), std::string::npos);
  auto missing_c = run_op(ir::OpType::kGemm, 9, gemm_attrs(1, 1, 0, 1), {a, b}, 1);
  EXPECT_EQ(missing_c.status().code(), StatusCode::kInvalidArgument);
  auto mixed = run_op(ir::OpType::kGemm, 13, gemm_attrs(1, 1, 0, 1),
                      {a, make_tensor<double>({2, 3}, {1, 2, 3, 4, 5, 6})}, 1);
  EXPECT_EQ(mixed.status().code(), StatusCode::kInvalidArgument);
  auto int8 = run_op(ir::OpType::kGemm, 13, gemm_attrs(1, 1, 0, 0),
                     {make_tensor<int8_t>({1, 1}, {1}), make_tensor<int8_t>({1, 1}, {1})}, 1);
  EXPECT_EQ(int8.status().code(), StatusCode::kUnsupported);
  auto rank3 = run_op(ir::OpType::kGemm, 13, gemm_attrs(1, 1, 0, 0),
                      {a.reshaped({1, 2, 3}), make_tensor<float>({3, 1}, {1, 2, 3})}, 1);
  EXPECT_EQ(rank3.status().code(), StatusCode::kInvalidArgument);
}

struct GemmCase {
  int64_t m, n, k;
};

// Every bias shape Gemm accepts for (M, N), plus no bias.
std::vector<Shape> bias_shapes(int64_t m, int64_t n) {
  return {Shape{}, Shape{1}, Shape{n}, Shape{1, n}, Shape{m, 1}, Shape{m, n}, Shape{1, 1}};
}

template <typename T>
void check_random_against_reference(double atol, double rtol) {
  std::mt19937 rng(777);
  ThreadedFor parallel;
  const std::vector<GemmCase> cases = {{1, 1, 1},   {3, 5, 7},    {5, 3, 1},  {1, 300, 130},
                                       {67, 129, 45}, {130, 17, 64}, {2, 1, 513},
                                       {2, 700, 300}};
  std::uniform_real_distribution<float> scalar(-2.0f, 2.0f);
  for (const GemmCase& c : cases) {
    for (int trans_a = 0; trans_a < 2; ++trans_a) {
      for (int trans_b = 0; trans_b < 2; ++trans_b) {
        Tensor a = random_tensor<T>(rng, trans_a ? Shape{c.k, c.m} : Shape{c.m, c.k});
        Tensor b = random_tensor<T>(rng, trans_b ? Shape{c.n, c.k} : Shape{c.k, c.n});
        std::vector<Shape> biases = bias_shapes(c.m, c.n);
        for (size_t bi = 0; bi <= biases.size(); ++bi) {
          std::vector<Tensor> inputs = {a, b};
          if (bi < biases.size()) inputs.push_back(random_tensor<T>(rng, biases[bi]));
          // Integer dtypes: integral alpha/beta so results stay exact.
          float alpha = std::is_floating_point_v<T> ? scalar(rng) : 3.0f;
          float beta = std::is_floating_point_v<T> ? scalar(rng) : -2.0f;
          if (bi % 3 == 0) alpha = 1.0f;
          SCOPED_TRACE(::testing::Message() << "M=" << c.m << " N=" << c.n << " K=" << c.k
                                            << " transA=" << trans_a << " transB=" << trans_b
                                            << " bias " << (bi < biases.size() ? biases[bi].to_string() : "none"));
          auto [fast, ref] = run_both(ir::OpType::kGemm, 13, gemm_attrs(alpha, beta, trans_a, trans_b),
                                      inputs, &parallel);
          ASSERT_TRUE(fast.defined());
          expect_close<T>(fast, ref, atol, rtol);
        }
      }
    }
  }
  EXPECT_GT(parallel.split_calls(), 0);
}

TEST(GemmTest, Float32MatchesReference) { check_random_against_reference<float>(1e-3, 1e-4); }
TEST(GemmTest, Float64MatchesReference) { check_random_against_reference<double>(1e-12, 1e-12); }
TEST(GemmTest, Int32MatchesReference) { check_random_against_reference<int32_t>(0, 0); }
TEST(GemmTest, Int64MatchesReference) { check_random_against_reference<int64_t>(0, 0); }
TEST(GemmTest, Uint32MatchesReference) { check_random_against_reference<uint32_t>(0, 0); }
TEST(GemmTest, Uint64MatchesReference) { check_random_against_reference<uint64_t>(0, 0); }

}  // namespace
}  // namespace recinfer::kernels
