// CountDistinct against Unique(X) -> comparison(., bound) -> Cast(to) -> ReduceSum(all axes,
// keepdims) with recinfer's ONNX kernels (and against Unique's size without a comparison).
#include "kernels/rec/rec_test_util.h"

namespace recinfer::kernels::rec_test {
namespace {

using ir::OpType;

Tensor onnx_count_distinct(const Tensor& x, const Tensor& bound, const std::string& comparison,
                           int64_t to, int64_t keepdims) {
  Tensor unique = run1(OpType::kUnique, 11, {}, {x});
  Tensor matches = run1(comparison_op(comparison), 16, {}, {unique, bound});
  Tensor cast = run1(OpType::kCast, 13, {{"to", attr_int(to)}}, {matches});
  return run1(OpType::kReduceSum, 13, {{"keepdims", attr_int(keepdims)}}, {cast});
}

template <typename T>
Tensor tied_values(std::mt19937& rng, const Shape& shape) {
  std::vector<T> values(static_cast<size_t>(shape.numel()));
  std::uniform_int_distribution<int> dist(-20, 20);
  for (auto& v : values) {
    const int r = dist(rng);
    v = static_cast<T>(r);
    if constexpr (std::is_floating_point_v<T>) {
      if (r == 20) v = std::numeric_limits<T>::quiet_NaN();
      if (r == -20) v = T(-0.0);
    }
  }
  return make_tensor<T>(shape, values);
}

Result<std::vector<Tensor>> count_distinct(const Tensor& x, const Tensor& bound, Attrs attrs,
                                           KernelVariant variant) {
  return run_fused(OpType::kCountDistinct, std::move(attrs), {x, bound}, 1, variant);
}

template <typename T>
void check(std::mt19937& rng, const Shape& shape) {
  const Tensor x = tied_values<T>(rng, shape);
  int round = 0;
  for (const char* comparison : kComparisons) {
    for (int64_t to : {7, 1, 6}) {
      const int64_t keepdims = round % 2;
      const Tensor bound =
          round++ % 3 == 0 ? make_tensor<T>({1}, {T(3)}) : make_tensor<T>({}, {T(0)});
      SCOPED_TRACE(shape.to_string() + " " + comparison);
      const Attrs attrs = {{"comparison", attr_string(comparison)},
                           {"to", attr_int(to)},
                           {"keepdims", attr_int(keepdims)}};
      auto fast = count_distinct(x, bound, attrs, KernelVariant::kOptimized);
      auto ref = count_distinct(x, bound, attrs, KernelVariant::kReference);
      ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
      ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
      const Tensor expected = onnx_count_distinct(x, bound, comparison, to, keepdims);
      for (const Tensor& got : {(*fast)[0], (*ref)[0]}) {
        switch (to) {
          case 1: expect_same<float>(got, expected); break;
          case 6: expect_same<int32_t>(got, expected); break;
          default: expect_same<int64_t>(got, expected); break;
        }
      }
    }
  }
  // No comparison: every distinct value (NaNs are one value, -0 equals 0, as in Unique).
  auto all = count_distinct(x, Tensor(), {{"to", attr_int(7)}}, KernelVariant::kOptimized);
  auto all_ref = count_distinct(x, Tensor(), {{"to", attr_int(7)}}, KernelVariant::kReference);
  ASSERT_TRUE(all.is_ok() && all_ref.is_ok()) << all.status().to_string();
  EXPECT_EQ((*all)[0].shape(), Shape{});
  const Tensor unique = run1(OpType::kUnique, 11, {}, {x});
  EXPECT_EQ(*(*all)[0].data<int64_t>(), unique.numel());
  EXPECT_EQ(*(*all_ref)[0].data<int64_t>(), unique.numel());
}

TEST(CountDistinctTest, RandomAgainstUniqueSubgraph) {
  std::mt19937 rng(51);
  for (const Shape& shape :
       {Shape{50}, Shape{7, 9}, Shape{3, 4, 5}, Shape{0}, Shape{}, Shape{1000}}) {
    check<int64_t>(rng, shape);
    check<int32_t>(rng, shape);
    check<float>(rng, shape);
  }
}

// Integers are counted in a hash table: wide-range and extreme ids, many repeats.
TEST(CountDistinctTest, WideRangeIdsAgainstUnique) {
  std::mt19937_64 rng(52);
  std::vector<int64_t> values(6000);
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = i % 3 == 0 ? -1 : static_cast<int64_t>(rng() % 2500) << (i % 5 == 0 ? 40 : 0);
  }
  values[7] = INT64_MIN;
  values[8] = INT64_MAX;
  const Tensor x = make_tensor<int64_t>({6000}, values);
  auto all = count_distinct(x, Tensor(), {{"to", attr_int(7)}}, KernelVariant::kOptimized);
  ASSERT_TRUE(all.is_ok()) << all.status().to_string();
  EXPECT_EQ(*(*all)[0].data<int64_t>(), run1(OpType::kUnique, 11, {}, {x}).numel());
  const Attrs non_negative = {{"comparison", attr_string("GreaterOrEqual")}, {"to", attr_int(7)}};
  auto kept = count_distinct(x, make_tensor<int64_t>({}, {0}), non_negative, KernelVariant::kOptimized);
  ASSERT_TRUE(kept.is_ok()) << kept.status().to_string();
  const Tensor expected = onnx_count_distinct(x, make_tensor<int64_t>({}, {0}), "GreaterOrEqual", 7, 0);
  expect_same<int64_t>((*kept)[0], expected);
}

TEST(CountDistinctTest, InferRejectsBadInputs) {
  const Tensor x = make_tensor<int64_t>({3}, {1, 2, 2});
  const Tensor bound = make_tensor<int64_t>({}, {1});
  auto status = [&](const Tensor& in, const Tensor& b, Attrs attrs) {
    return count_distinct(in, b, std::move(attrs), KernelVariant::kOptimized).status();
  };
  const Attrs greater = {{"comparison", attr_string("Greater")}, {"to", attr_int(7)}};
  EXPECT_TRUE(status(x, bound, greater).is_ok());
  EXPECT_EQ(status(x, Tensor(), greater).code(), StatusCode::kInvalidArgument);  // no bound
  EXPECT_EQ(status(x, bound, {{"to", attr_int(7)}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status(x, make_tensor<int32_t>({}, {1}), greater).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(status(x, make_tensor<int64_t>({2}, {1, 2}), greater).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(status(make_tensor<bool>({1}, {true}), Tensor(), {{"to", attr_int(7)}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(status(x, bound, {{"comparison", attr_string("Greater")}, {"to", attr_int(3)}}).code(),
            StatusCode::kUnsupported);
}

}  // namespace
}  // namespace recinfer::kernels::rec_test
