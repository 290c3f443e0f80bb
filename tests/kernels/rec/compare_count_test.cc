// CompareCount against Equal|Greater|Less|GreaterOrEqual|LessOrEqual -> Cast(to) ->
// ReduceSum(axes=[-1], keepdims) with recinfer's ONNX kernels, for all five comparisons, the
// sorted fast path ((..., N, 1) x (1, ..., M)) and general broadcast shapes, with many ties,
// NaN and -0.
#include <cstring>

#include "kernels/rec/rec_test_util.h"

namespace recinfer::kernels::rec_test {
namespace {

using ir::OpType;

Tensor onnx_compare_count(const Tensor& a, const Tensor& b, const std::string& comparison,
                          int64_t to, int64_t keepdims) {
  Tensor matches = run1(comparison_op(comparison), 16, {}, {a, b});
  Tensor cast = run1(OpType::kCast, 13, {{"to", attr_int(to)}}, {matches});
  return run1(OpType::kReduceSum, 13, {{"keepdims", attr_int(keepdims)}}, {cast, i64({-1})});
}

Attrs count_attrs(const std::string& comparison, int64_t to, int64_t keepdims) {
  return {{"comparison", attr_string(comparison)},
          {"to", attr_int(to)},
          {"keepdims", attr_int(keepdims)}};
}

// Values from a small range (many ties); floats also get NaN and -0/+0.
template <typename T>
Tensor tied_values(std::mt19937& rng, const Shape& shape) {
  std::vector<T> values(static_cast<size_t>(shape.numel()));
  std::uniform_int_distribution<int> dist(-6, 6);
  for (auto& v : values) {
    const int r = dist(rng);
    v = static_cast<T>(r);
    if constexpr (std::is_floating_point_v<T>) {
      if (r == 6) v = std::numeric_limits<T>::quiet_NaN();
      if (r == -6) v = T(-0.0);
      if (r == 5) v = T(0.5);
    }
  }
  return make_tensor<T>(shape, values);
}

template <typename T>
void check_shapes(std::mt19937& rng, const Shape& a_shape, const Shape& b_shape) {
  ThreadedFor parallel;
  const Tensor a = tied_values<T>(rng, a_shape);
  const Tensor b = tied_values<T>(rng, b_shape);
  int round = 0;
  for (const char* comparison : kComparisons) {
    for (int64_t to : {1, 7, 6, 11}) {
      const int64_t keepdims = (round++) % 2;
      SCOPED_TRACE(a_shape.to_string() + " vs " + b_shape.to_string() + " " + comparison +
                   " to " + std::to_string(to));
      const Attrs attrs = count_attrs(comparison, to, keepdims);
      auto fast = run_fused(OpType::kCompareCount, attrs, {a, b}, 1, KernelVariant::kOptimized,
                            &parallel);
      auto ref = run_fused(OpType::kCompareCount, attrs, {a, b}, 1, KernelVariant::kReference);
      ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
      ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
      const Tensor expected = onnx_compare_count(a, b, comparison, to, keepdims);
      switch (to) {
        case 1: expect_same<float>((*fast)[0], expected); break;
        case 6: expect_same<int32_t>((*fast)[0], expected); break;
        case 7: expect_same<int64_t>((*fast)[0], expected); break;
        default: expect_same<double>((*fast)[0], expected); break;
      }
      ASSERT_EQ((*fast)[0].shape(), (*ref)[0].shape());
      ASSERT_EQ(std::memcmp((*fast)[0].raw(), (*ref)[0].raw(), (*ref)[0].bytes()), 0);
    }
  }
}

// (A shape, B shape): sorted fast path first, then shapes that must take the general path.
const std::vector<std::pair<Shape, Shape>> kShapes = {
    {{40, 1}, {1, 300}},       // the id-match case
    {{40, 1}, {300}},          // B rank 1
    {{2, 20, 1}, {1, 1, 64}},  // batched A
    {{20, 1}, {1, 1, 64}},     // B of higher rank: leading 1 in the output
    {{17}, {1, 1}},            // broadcast to (1, 17): count along A's axis
    {{40, 1}, {1, 8}},         // too short to sort
    {{3, 1}, {1, 100}},        // too few A elements
    {{6, 20}, {20}},           // both step along the last axis
    {{3, 1, 25}, {1, 4, 25}},
    {{25}, {3, 1}},
    {{5, 30}, {5, 1}},         // B broadcast along the last axis
    {{2, 3, 1}, {3, 1}},       // M = 1
    {{1}, {50}},
    {{0, 1}, {1, 20}},         // empty outer
    {{20, 1}, {1, 0}},         // M = 0: all counts 0
    {{40, 1}, {2, 1, 300}},    // B varies along two axes: general path
};

TEST(CompareCountTest, AllComparisonsAndShapesMatchOnnxSubgraph) {
  std::mt19937 rng(31);
  for (const auto& [a, b] : kShapes) {
    check_shapes<int64_t>(rng, a, b);
    check_shapes<float>(rng, a, b);
  }
  check_shapes<int32_t>(rng, {50, 1}, {1, 200});
  check_shapes<int32_t>(rng, {4, 7}, {4, 7});
}

TEST(CompareCountTest, LargeSortedPathAgainstReference) {
  std::mt19937 rng(32);
  ThreadedFor parallel;
  std::uniform_int_distribution<int64_t> id(0, 3000);
  std::vector<int64_t> a(600), b(3000);
  for (auto& v : a) v = id(rng);
  for (auto& v : b) v = id(rng);
  const Tensor ta = make_tensor<int64_t>({60, 10, 1}, a);
  const Tensor tb = make_tensor<int64_t>({1, 3000}, b);
  for (const char* comparison : kComparisons) {
    const Attrs attrs = count_attrs(comparison, 7, 0);
    auto fast = run_fused(OpType::kCompareCount, attrs, {ta, tb}, 1, KernelVariant::kOptimized,
                          &parallel);
    auto ref = run_fused(OpType::kCompareCount, attrs, {ta, tb}, 1, KernelVariant::kReference);
    ASSERT_TRUE(fast.is_ok() && ref.is_ok());
    EXPECT_EQ((*fast)[0].shape(), (Shape{60, 10}));
    expect_same<int64_t>((*fast)[0], (*ref)[0]);
  }
}

// Integer Equal counts through a hash table: extreme and negative ids, padding repeated many
// times, and ids that differ only in high bits must all count exactly.
TEST(CompareCountTest, EqualOfExtremeIdsAgainstReference) {
  ThreadedFor parallel;
  std::vector<int64_t> b(2000, -1);  // padding, as in a behaviour sequence
  const std::vector<int64_t> specials = {INT64_MIN, INT64_MAX, 0, 1, -2, int64_t{1} << 40,
                                         (int64_t{1} << 40) + 1, int64_t{3} << 52};
  // Near each special value, wrapping (INT64_MAX + 1 is INT64_MIN) without signed overflow.
  for (size_t i = 0; i < 700; ++i) {
    b[i] = static_cast<int64_t>(static_cast<uint64_t>(specials[i % specials.size()]) + i % 3);
  }
  std::vector<int64_t> a = specials;
  a.insert(a.end(), {-1, 2, 5, (int64_t{1} << 40) + 2, INT64_MIN + 1, 7, 8, 9});
  const Tensor ta = make_tensor<int64_t>({static_cast<int64_t>(a.size()), 1}, a);
  const Tensor tb = make_tensor<int64_t>({1, 2000}, b);
  const Attrs attrs = count_attrs("Equal", 7, 1);
  auto fast = run_fused(OpType::kCompareCount, attrs, {ta, tb}, 1, KernelVariant::kOptimized, &parallel);
  auto ref = run_fused(OpType::kCompareCount, attrs, {ta, tb}, 1, KernelVariant::kReference);
  ASSERT_TRUE(fast.is_ok() && ref.is_ok());
  expect_same<int64_t>((*fast)[0], (*ref)[0]);
  for (size_t i = 0; i < a.size(); ++i) {  // and a direct count, independent of both kernels
    EXPECT_EQ((*fast)[0].data<int64_t>()[i], std::count(b.begin(), b.end(), a[i])) << a[i];
  }
}

TEST(CompareCountTest, InferRejectsBadInputs) {
  const Tensor a = make_tensor<int64_t>({2, 1}, {1, 2});
  const Tensor b = make_tensor<int64_t>({1, 3}, {1, 2, 3});
  auto status = [](Result<std::vector<Tensor>> r) { return r.status(); };
  auto run = [&](const Attrs& attrs, const Tensor& x, const Tensor& y) {
    return status(run_fused(OpType::kCompareCount, attrs, {x, y}, 1, KernelVariant::kOptimized));
  };
  EXPECT_EQ(run(count_attrs("Equal", 7, 1), a, make_tensor<int32_t>({1}, {1})).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(run(count_attrs("NotEqual", 7, 1), a, b).code(), StatusCode::kInvalidArgument);
  Status to_bool = run(count_attrs("Equal", 9, 1), a, b);
  EXPECT_EQ(to_bool.code(), StatusCode::kUnsupported);
  EXPECT_NE(to_bool.message().find("CompareCount_under_test"), std::string::npos);
  EXPECT_EQ(run({{"comparison", attr_string("Equal")}}, a, b).code(),
            StatusCode::kInvalidArgument);  // no `to`
  EXPECT_EQ(run(count_attrs("Equal", 7, 1), make_tensor<int64_t>({}, {1}),
                make_tensor<int64_t>({}, {1}))
                .code(),
            StatusCode::kInvalidArgument);  // scalar: no last axis
  EXPECT_EQ(run(count_attrs("Equal", 7, 1), make_tensor<int64_t>({2, 3}, {1, 2, 3, 4, 5, 6}),
                make_tensor<int64_t>({2}, {1, 2}))
                .code(),
            StatusCode::kInvalidArgument);  // not broadcastable
  EXPECT_EQ(run(count_attrs("Equal", 7, 1), make_tensor<bool>({1}, {true}),
                make_tensor<bool>({1}, {true}))
                .code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels::rec_test
