// ReduceMin / Prod / L1 / L2 / LogSum / LogSumExp / SumSquare: the ONNX examples, empty
// reductions, LogSumExp's stability, integer wrap-around, axes as an input from opset 18, and
// fast against reference on every axis subset of odd-sized shapes.
#include <limits>

#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

// The ONNX documentation's example data, shape (3, 2, 2).
Tensor onnx_data() {
  return make_tensor<float>(Shape{3, 2, 2}, {5, 1, 20, 2, 30, 1, 40, 2, 55, 1, 60, 2});
}

std::vector<float> reduce_axis1(OpType op) {
  auto out = run_ok(op, 13, {{"axes", attr_ints({1})}, {"keepdims", attr_int(1)}}, {onnx_data()}, 1);
  EXPECT_EQ(out[0].shape(), (Shape{3, 1, 2}));
  return to_vector<float>(out[0]);
}

TEST(ReduceMoreTest, OnnxExamples) {
  EXPECT_EQ(reduce_axis1(OpType::kReduceMin), (std::vector<float>{5, 1, 30, 1, 55, 1}));
  EXPECT_EQ(reduce_axis1(OpType::kReduceProd), (std::vector<float>{100, 2, 1200, 2, 3300, 2}));
  EXPECT_EQ(reduce_axis1(OpType::kReduceL1), (std::vector<float>{25, 3, 70, 3, 115, 3}));
  EXPECT_EQ(reduce_axis1(OpType::kReduceSumSquare),
            (std::vector<float>{425, 5, 2500, 5, 6625, 5}));
  const std::vector<float> l2 = reduce_axis1(OpType::kReduceL2);
  const std::vector<float> log_sum = reduce_axis1(OpType::kReduceLogSum);
  const std::vector<float> lse = reduce_axis1(OpType::kReduceLogSumExp);
  const float pairs[6][2] = {{5, 20}, {1, 2}, {30, 40}, {1, 2}, {55, 60}, {1, 2}};
  for (int i = 0; i < 6; ++i) {
    const double a = pairs[i][0], b = pairs[i][1];
    EXPECT_NEAR(l2[i], std::sqrt(a * a + b * b), 1e-5) << i;
    EXPECT_NEAR(log_sum[i], std::log(a + b), 1e-6) << i;
    EXPECT_NEAR(lse[i], std::log(std::exp(a) + std::exp(b)), 1e-5) << i;
  }
}

TEST(ReduceMoreTest, DefaultAxesAndKeepdims) {
  // No axes: every dim is reduced; keepdims 0 gives a scalar.
  auto all = run_ok(OpType::kReduceMin, 13, {{"keepdims", attr_int(0)}}, {onnx_data()}, 1);
  EXPECT_EQ(all[0].shape(), Shape{});
  EXPECT_EQ(to_vector<float>(all[0]), std::vector<float>{1});
  auto kept = run_ok(OpType::kReduceSumSquare, 11, {}, {onnx_data()}, 1);
  EXPECT_EQ(kept[0].shape(), (Shape{1, 1, 1}));
}

TEST(ReduceMoreTest, AxesFromInputAtOpset18) {
  const Tensor x = make_tensor<float>(Shape{2, 2}, {3, 4, 6, 8});
  auto l2 = run_ok(OpType::kReduceL2, 18, {{"keepdims", attr_int(0)}}, {x, vector_i64({-1})}, 1);
  EXPECT_EQ(to_vector<float>(l2[0]), (std::vector<float>{5, 10}));
  // Empty axes with noop_with_empty_axes leaves the input as is (no reduction at all).
  auto noop = run_ok(OpType::kReduceMin, 18, {{"noop_with_empty_axes", attr_int(1)}},
                     {x, vector_i64({})}, 1);
  EXPECT_EQ(noop[0].shape(), (Shape{2, 2}));
  // Opset 17 still reads the attribute.
  auto attr = run_ok(OpType::kReduceL1, 17, {{"axes", attr_ints({0})}, {"keepdims", attr_int(0)}},
                     {x}, 1);
  EXPECT_EQ(to_vector<float>(attr[0]), (std::vector<float>{9, 12}));
}

TEST(ReduceMoreTest, EmptyReductionsGiveTheIdentity) {
  const Tensor x = make_tensor<float>(Shape{2, 0}, {});
  const float inf = std::numeric_limits<float>::infinity();
  const std::pair<OpType, float> cases[] = {
      {OpType::kReduceMin, inf},         {OpType::kReduceProd, 1},   {OpType::kReduceL1, 0},
      {OpType::kReduceL2, 0},            {OpType::kReduceSumSquare, 0},
      {OpType::kReduceLogSum, -inf},     {OpType::kReduceLogSumExp, -inf}};
  for (const auto& [op, expected] : cases) {
    for (KernelVariant variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
      auto out = run_ok(op, 13, {{"axes", attr_ints({1})}, {"keepdims", attr_int(0)}}, {x}, 1,
                        variant);
      EXPECT_EQ(to_vector<float>(out[0]), (std::vector<float>{expected, expected}))
          << ir::op_name(op);
    }
  }
}

TEST(ReduceMoreTest, LogSumExpIsStable) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Tensor x = make_tensor<float>(Shape{5, 2}, {1000, 1000, -1000, -1001, -inf, -inf,
                                                    inf, 1, nan, 1});
  for (KernelVariant variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    for (int axis_first : {0, 1}) {
      // Axis 1 of x, or axis 0 of its transpose: the rows and the middle-block paths.
      Tensor input = x;
      std::vector<int64_t> axes{1};
      if (axis_first == 1) {
        std::vector<float> t(10);
        for (int r = 0; r < 5; ++r) {
          for (int c = 0; c < 2; ++c) t[c * 5 + r] = x.data<float>()[r * 2 + c];
        }
        input = make_tensor<float>(Shape{2, 5}, t);
        axes = {0};
      }
      auto out = run_ok(OpType::kReduceLogSumExp, 13,
                        {{"axes", attr_ints(axes)}, {"keepdims", attr_int(0)}}, {input}, 1,
                        variant);
      const std::vector<float> got = to_vector<float>(out[0]);
      ASSERT_EQ(got.size(), 5u);
      EXPECT_NEAR(got[0], 1000 + std::log(2.0), 1e-3);
      EXPECT_NEAR(got[1], -1000 + std::log1p(std::exp(-1.0)), 1e-3);
      EXPECT_EQ(got[2], -inf);
      EXPECT_EQ(got[3], inf);
      EXPECT_TRUE(std::isnan(got[4]));
    }
  }
}

TEST(ReduceMoreTest, IntegerTypes) {
  const Tensor x = make_tensor<int64_t>(Shape{2, 3}, {-3, 4, 2, 5, -1, 0});
  auto min = run_ok(OpType::kReduceMin, 13, {{"axes", attr_ints({1})}}, {x}, 1);
  EXPECT_EQ(to_vector<int64_t>(min[0]), (std::vector<int64_t>{-3, -1}));
  auto prod = run_ok(OpType::kReduceProd, 13, {{"axes", attr_ints({0})}}, {x}, 1);
  EXPECT_EQ(to_vector<int64_t>(prod[0]), (std::vector<int64_t>{-15, -4, 0}));
  auto l1 = run_ok(OpType::kReduceL1, 13, {{"axes", attr_ints({1})}}, {x}, 1);
  EXPECT_EQ(to_vector<int64_t>(l1[0]), (std::vector<int64_t>{9, 6}));
  auto l2 = run_ok(OpType::kReduceL2, 13, {{"axes", attr_ints({1})}}, {x}, 1);
  EXPECT_EQ(to_vector<int64_t>(l2[0]), (std::vector<int64_t>{5, 5}));  // sqrt(29), sqrt(26)
  const Tensor i32 = make_tensor<int32_t>(Shape{3}, {1 << 20, 1 << 20, 4});
  auto wrapped = run_ok(OpType::kReduceProd, 13, {}, {i32}, 1);  // 2^42 wraps to 0 in 32 bits
  EXPECT_EQ(to_vector<int32_t>(wrapped[0]), (std::vector<int32_t>{0}));
}

std::vector<int64_t> mask_axes(uint32_t mask, int rank) {
  std::vector<int64_t> axes;
  for (int d = 0; d < rank; ++d) {
    if ((mask >> d) & 1u) axes.push_back(d % 2 == 0 ? d : d - rank);
  }
  return axes;
}

template <typename T>
void compare_all_masks(OpType op, double lo, double hi, double atol, double rtol) {
  uint32_t seed = 41;
  for (const Shape& shape : {Shape{7}, Shape{3, 5}, Shape{1, 9, 4}, Shape{5, 1, 3, 7},
                             Shape{2, 3, 4, 5}, Shape{33, 17}, Shape{2, 3, 300},
                             Shape{1, 600, 3}, Shape{3, 2, 1, 2, 3}}) {
    const Tensor x = random_tensor<T>(shape, seed++, lo, hi);
    for (uint32_t mask = 1; mask < (1u << shape.rank()); ++mask) {
      for (int keepdims = 0; keepdims <= 1; ++keepdims) {
        std::map<std::string, ir::Attribute, std::less<>> attrs{
            {"keepdims", attr_int(keepdims)}, {"axes", attr_ints(mask_axes(mask, shape.rank()))}};
        ChunkedFor chunked;
        auto fast = run_ok(op, 13, attrs, {x}, 1, KernelVariant::kOptimized, &chunked);
        auto ref = run_ok(op, 13, attrs, {x}, 1, KernelVariant::kReference);
        expect_close<T>(fast[0], ref[0], atol, rtol,
                        fmt::format("{} {} shape {} mask {}", ir::op_name(op),
                                    dtype_name(dtype_of<T>()), shape.to_string(), mask));
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
}

TEST(ReduceMoreTest, FastMatchesReference) {
  for (OpType op : {OpType::kReduceMin, OpType::kReduceL1, OpType::kReduceL2,
                    OpType::kReduceSumSquare, OpType::kReduceLogSumExp}) {
    compare_all_masks<float>(op, -20, 20, 1e-3, 1e-5);
    compare_all_masks<double>(op, -20, 20, 1e-9, 1e-12);
    compare_all_masks<int64_t>(op, -20, 20, 0, 0);
    compare_all_masks<int32_t>(op, -20, 20, 0, 0);
  }
  // Products and logs of sums stay finite on positive values near 1.
  compare_all_masks<float>(OpType::kReduceProd, 0.9, 1.1, 1e-6, 1e-4);
  compare_all_masks<double>(OpType::kReduceProd, 0.9, 1.1, 1e-12, 1e-10);
  compare_all_masks<int64_t>(OpType::kReduceProd, -1, 1, 0, 0);
  compare_all_masks<float>(OpType::kReduceLogSum, 0, 5, 1e-5, 1e-5);
  compare_all_masks<int32_t>(OpType::kReduceLogSum, 1, 9, 0, 0);
}

TEST(ReduceMoreTest, ComputeDoesNotAllocate) {
  const Tensor x = random_tensor<float>(Shape{4, 9, 33}, 3);
  for (OpType op : {OpType::kReduceL2, OpType::kReduceLogSumExp, OpType::kReduceProd}) {
    for (const std::vector<int64_t>& axes : std::vector<std::vector<int64_t>>{{2}, {1}, {0, 2}}) {
      EXPECT_EQ(count_compute_allocations(op, 13, {{"axes", attr_ints(axes)}}, {x}, 1), 0)
          << ir::op_name(op);
    }
  }
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
