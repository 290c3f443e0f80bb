#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "compare_test_util.h"
#include "kernels/compare/avx2/predicate_avx2.h"

namespace recinfer::kernels {
namespace {

using compare_test::bools_of;
using compare_test::make;
using compare_test::make_bool;

Result<Tensor> run_binary(ir::OpType op, int opset, const Tensor& a, const Tensor& b,
                          KernelVariant variant = KernelVariant::kOptimized,
                          ParallelFor* parallel = nullptr) {
  auto out = run_op(op, opset, {}, {a, b}, 1, variant, parallel);
  if (!out.is_ok()) return out.status();
  return (*out)[0];
}

// Runs both variants and checks they agree before returning the optimised result.
std::vector<int> both(ir::OpType op, int opset, const Tensor& a, const Tensor& b) {
  auto fast = run_binary(op, opset, a, b);
  auto ref = run_binary(op, opset, a, b, KernelVariant::kReference);
  EXPECT_TRUE(fast.is_ok()) << fast.status().to_string();
  EXPECT_TRUE(ref.is_ok()) << ref.status().to_string();
  if (!fast.is_ok() || !ref.is_ok()) return {};
  EXPECT_EQ(fast->dtype(), DType::kBool);
  EXPECT_EQ(bools_of(*fast), bools_of(*ref));
  return bools_of(*fast);
}

TEST(CompareOpsTest, EqualInt64TrailingBroadcast) {
  Tensor a = make<int64_t>({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = make<int64_t>({3}, {1, 5, 6});
  EXPECT_EQ(both(ir::OpType::kEqual, 13, a, b), (std::vector<int>{1, 0, 0, 0, 1, 1}));
  auto out = run_binary(ir::OpType::kEqual, 13, a, b);
  ASSERT_TRUE(out.is_ok());
  EXPECT_EQ(out->shape(), (Shape{2, 3}));
}

TEST(CompareOpsTest, OrderingOpsFloat) {
  Tensor a = make<float>({5}, {1.f, 2.f, 3.f, -0.f, NAN});
  Tensor b = make<float>({5}, {2.f, 2.f, 2.f, 0.f, 1.f});
  EXPECT_EQ(both(ir::OpType::kGreater, 13, a, b), (std::vector<int>{0, 0, 1, 0, 0}));
  EXPECT_EQ(both(ir::OpType::kGreaterOrEqual, 16, a, b), (std::vector<int>{0, 1, 1, 1, 0}));
  EXPECT_EQ(both(ir::OpType::kLess, 13, a, b), (std::vector<int>{1, 0, 0, 0, 0}));
  EXPECT_EQ(both(ir::OpType::kLessOrEqual, 16, a, b), (std::vector<int>{1, 1, 0, 1, 0}));
  // -0 == 0, NaN != anything (including itself).
  Tensor nan = make<float>({}, {NAN});
  EXPECT_EQ(both(ir::OpType::kEqual, 13, a, b), (std::vector<int>{0, 1, 0, 1, 0}));
  EXPECT_EQ(both(ir::OpType::kEqual, 13, nan, nan), (std::vector<int>{0}));
}

TEST(CompareOpsTest, ScalarOperandsEitherSide) {
  Tensor a = make<int32_t>({2, 2}, {-1, 0, 1, 2});
  Tensor zero = make<int32_t>({}, {0});
  EXPECT_EQ(both(ir::OpType::kGreater, 13, a, zero), (std::vector<int>{0, 0, 1, 1}));
  EXPECT_EQ(both(ir::OpType::kGreater, 13, zero, a), (std::vector<int>{1, 0, 0, 0}));
  Tensor one = make<int32_t>({1}, {1});
  EXPECT_EQ(both(ir::OpType::kLessOrEqual, 12, a, one), (std::vector<int>{1, 1, 1, 0}));
}

TEST(CompareOpsTest, UnsignedAndNarrowTypesKeepTheirOrder) {
  Tensor a = make<uint8_t>({2}, {200, 5});
  Tensor b = make<uint8_t>({2}, {100, 6});
  EXPECT_EQ(both(ir::OpType::kGreater, 13, a, b), (std::vector<int>{1, 0}));
  Tensor c = make<int8_t>({2}, {-56, 5});
  Tensor d = make<int8_t>({2}, {100, 6});
  EXPECT_EQ(both(ir::OpType::kGreater, 13, c, d), (std::vector<int>{0, 0}));
  Tensor e = make<uint64_t>({2}, {uint64_t{1} << 63, 1});
  Tensor f = make<uint64_t>({2}, {1, 1});
  EXPECT_EQ(both(ir::OpType::kGreaterOrEqual, 12, e, f), (std::vector<int>{1, 1}));
  Tensor g = make<double>({2}, {0.1 + 0.2, 0.3});
  Tensor h = make<double>({2}, {0.3, 0.3});
  EXPECT_EQ(both(ir::OpType::kEqual, 13, g, h), (std::vector<int>{0, 1}));
}

TEST(CompareOpsTest, EqualOnBool) {
  Tensor a = make_bool({4}, {0, 0, 1, 1});
  Tensor b = make_bool({4}, {0, 1, 0, 1});
  EXPECT_EQ(both(ir::OpType::kEqual, 7, a, b), (std::vector<int>{1, 0, 0, 1}));
}

// The recommendation-model pattern: ids (400,1) against a candidate row (1,4000).
TEST(CompareOpsTest, EqualOuterBroadcastHandChecked) {
  std::vector<int64_t> column(400), row(4000);
  for (int i = 0; i < 400; ++i) column[i] = i;
  for (int j = 0; j < 4000; ++j) row[j] = j % 500;
  Tensor a = make<int64_t>({400, 1}, column);
  Tensor b = make<int64_t>({1, 4000}, row);
  compare_test::ReverseChunkedFor parallel;
  for (int flip = 0; flip < 2; ++flip) {
    auto out = flip ? run_binary(ir::OpType::kEqual, 13, b, a, KernelVariant::kOptimized,
                                 &parallel)
                    : run_binary(ir::OpType::kEqual, 13, a, b, KernelVariant::kOptimized,
                                 &parallel);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    // Equal is symmetric and both orders broadcast to (400,4000).
    ASSERT_EQ(out->shape().to_string(), "(400,4000)");
    const bool* data = out->data<bool>();
    int64_t wrong = 0, hits = 0;
    for (int i = 0; i < 400; ++i) {
      for (int j = 0; j < 4000; ++j) {
        const bool expected = i == j % 500;
        const bool got = data[i * 4000 + j];
        wrong += got != expected;
        hits += got;
      }
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(hits, 400 * 8);  // each i < 400 appears 8 times in j % 500
  }
  EXPECT_GT(parallel.chunks_run(), 2);
}

TEST(CompareOpsTest, ZeroSizedOutput) {
  Tensor a = make<float>({0, 3}, {});
  Tensor b = make<float>({1, 3}, {1, 2, 3});
  auto out = run_binary(ir::OpType::kLess, 13, a, b);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->shape(), (Shape{0, 3}));
}

TEST(CompareOpsTest, FastPathsMatchReferenceOnRandomShapes) {
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{37, 53}, {37, 53}},          // same shape, odd
      {{1001}, {1001}},
      {{}, {7, 13}},                 // scalar left
      {{7, 13}, {1}},                // scalar right
      {{61, 1}, {1, 4133}},          // outer, row longer than a block
      {{1, 33}, {65, 1}},            // outer, flipped
      {{65}, {31, 1}},               // outer via rank padding
      {{3, 4, 5}, {5}},              // trailing vector
      {{3, 4, 5}, {4, 1}},           // middle column
      {{1, 4, 1, 6}, {3, 1, 5, 6}},  // double broadcast
      {{7, 1, 9}, {1, 11, 1}},
      {{3, 20000}, {3, 1}},          // rows longer than a block
      {{2, 1, 3, 1, 5}, {1, 4, 1, 2, 5}},
      {{}, {}},
      {{1, 1}, {1}},
  };
  const std::vector<DType> dtypes = {DType::kFloat32, DType::kFloat64, DType::kInt64,
                                     DType::kInt32,   DType::kInt8,    DType::kUint16,
                                     DType::kUint32};
  const std::vector<std::pair<ir::OpType, int>> ops = {
      {ir::OpType::kEqual, 13},          {ir::OpType::kGreater, 13},
      {ir::OpType::kGreaterOrEqual, 16}, {ir::OpType::kLess, 13},
      {ir::OpType::kLessOrEqual, 16}};
  std::mt19937 rng(1234);
  compare_test::ReverseChunkedFor reverse;
  compare_test::TwoThreadFor threads;
  // Both the AVX2 variants (when the CPU has them) and the portable loops.
  for (bool avx2_allowed : {true, false}) {
    compare::avx2::set_avx2_allowed(avx2_allowed);
    for (const auto& [op, opset] : ops) {
      for (DType dtype : dtypes) {
        for (const auto& [sa, sb] : shapes) {
          Tensor a = compare_test::random_tensor(dtype, sa, rng);
          Tensor b = compare_test::random_tensor(dtype, sb, rng);
          const std::string label = std::string(ir::op_name(op)) + " " +
                                    std::string(dtype_name(dtype)) + " " + sa.to_string() +
                                    " x " + sb.to_string() + (avx2_allowed ? "" : " portable");
          auto ref = run_binary(op, opset, a, b, KernelVariant::kReference);
          ASSERT_TRUE(ref.is_ok()) << label << ": " << ref.status().to_string();
          for (ParallelFor* parallel : std::vector<ParallelFor*>{nullptr, &reverse, &threads}) {
            auto fast = run_binary(op, opset, a, b, KernelVariant::kOptimized, parallel);
            ASSERT_TRUE(fast.is_ok()) << label << ": " << fast.status().to_string();
            compare_test::expect_identical(*fast, *ref, label);
          }
        }
      }
    }
  }
  compare::avx2::set_avx2_allowed(true);
  // Bool Equal through the same paths.
  for (const auto& [sa, sb] : shapes) {
    Tensor a = compare_test::random_tensor(DType::kBool, sa, rng);
    Tensor b = compare_test::random_tensor(DType::kBool, sb, rng);
    auto ref = run_binary(ir::OpType::kEqual, 11, a, b, KernelVariant::kReference);
    auto fast = run_binary(ir::OpType::kEqual, 11, a, b, KernelVariant::kOptimized, &reverse);
    ASSERT_TRUE(ref.is_ok() && fast.is_ok());
    compare_test::expect_identical(*fast, *ref, "bool " + sa.to_string() + " x " + sb.to_string());
  }
}

TEST(CompareOpsTest, Avx2LookupCoversTheHotTypesOnly) {
  using compare::Predicate;
  using compare::avx2::find_predicate_run;
  if (!__builtin_cpu_supports("avx2")) GTEST_SKIP() << "CPU has no AVX2";
  EXPECT_NE(find_predicate_run(Predicate::kEqual, DType::kInt64, false, true), nullptr);
  EXPECT_NE(find_predicate_run(Predicate::kLess, DType::kFloat32, true, true), nullptr);
  EXPECT_EQ(find_predicate_run(Predicate::kEqual, DType::kInt8, true, true), nullptr);
  EXPECT_EQ(find_predicate_run(Predicate::kAnd, DType::kInt64, true, true), nullptr);
  EXPECT_EQ(find_predicate_run(Predicate::kEqual, DType::kInt64, false, false), nullptr);
  compare::avx2::set_avx2_allowed(false);
  EXPECT_EQ(find_predicate_run(Predicate::kEqual, DType::kInt64, false, true), nullptr);
  compare::avx2::set_avx2_allowed(true);
}

TEST(CompareOpsTest, IncompatibleShapesNameBothShapes) {
  Tensor a = make<int64_t>({3, 4}, std::vector<int64_t>(12, 0));
  Tensor b = make<int64_t>({5}, std::vector<int64_t>(5, 0));
  auto out = run_binary(ir::OpType::kEqual, 13, a, b);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = out.status().message();
  EXPECT_NE(message.find("(Equal)"), std::string::npos) << message;
  EXPECT_NE(message.find("A (3,4)"), std::string::npos) << message;
  EXPECT_NE(message.find("B (5)"), std::string::npos) << message;
}

TEST(CompareOpsTest, DtypeRulesFollowTheOpset) {
  Tensor i64 = make<int64_t>({2}, {1, 2});
  Tensor f32 = make<float>({2}, {1, 2});
  // Mismatched operand dtypes.
  auto mixed = run_binary(ir::OpType::kLess, 13, i64, f32);
  ASSERT_FALSE(mixed.is_ok());
  EXPECT_EQ(mixed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(mixed.status().message().find("int64"), std::string::npos);
  EXPECT_NE(mixed.status().message().find("float32"), std::string::npos)
      << mixed.status().message();
  // Greater-7 takes floats only; Greater-9 any numeric type.
  auto greater7 = run_binary(ir::OpType::kGreater, 7, i64, i64);
  ASSERT_FALSE(greater7.is_ok());
  EXPECT_EQ(greater7.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(greater7.status().message().find("opset 7"), std::string::npos);
  EXPECT_TRUE(run_binary(ir::OpType::kGreater, 7, f32, f32).is_ok());
  EXPECT_TRUE(run_binary(ir::OpType::kGreater, 9, i64, i64).is_ok());
  // Equal-7 takes bool/int32/int64; floats from Equal-11.
  EXPECT_FALSE(run_binary(ir::OpType::kEqual, 7, f32, f32).is_ok());
  EXPECT_TRUE(run_binary(ir::OpType::kEqual, 7, i64, i64).is_ok());
  EXPECT_TRUE(run_binary(ir::OpType::kEqual, 11, f32, f32).is_ok());
  // Ordering on bool is not ONNX.
  Tensor b = make_bool({2}, {0, 1});
  auto greater_bool = run_binary(ir::OpType::kGreater, 13, b, b);
  ASSERT_FALSE(greater_bool.is_ok());
  EXPECT_EQ(greater_bool.status().code(), StatusCode::kInvalidArgument);
  // float16 is valid ONNX but has no kernel: unsupported, so conformance reports a skip.
  auto half = Tensor::allocate(DType::kFloat16, {2});
  ASSERT_TRUE(half.is_ok());
  auto equal_half = run_binary(ir::OpType::kEqual, 13, *half, *half);
  ASSERT_FALSE(equal_half.is_ok());
  EXPECT_EQ(equal_half.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(equal_half.status().message().find("float16"), std::string::npos);
}

TEST(CompareOpsTest, LegacyAxisBroadcastIsUnsupported) {
  Tensor a = make<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = make<float>({2}, {1, 5});
  auto out = run_op(ir::OpType::kEqual, 1, {{"broadcast", attr_int(1)}, {"axis", attr_int(0)}},
                    {a, b}, 1);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(out.status().message().find("axis=0"), std::string::npos);
}

TEST(CompareOpsTest, MissingInputIsAnError) {
  Tensor a = make<int64_t>({2}, {1, 2});
  auto out = run_op(ir::OpType::kEqual, 13, {}, {a}, 1);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels
