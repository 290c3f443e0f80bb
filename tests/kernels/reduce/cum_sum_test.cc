// CumSum: the ONNX examples (exclusive/reverse combinations, 2-D axes) and a brute-force check
// on random 3-D data for every axis and flag combination.
#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

std::vector<double> cum_sum_1d(int exclusive, int reverse) {
  const Tensor x = make_tensor<double>(Shape{5}, {1, 2, 3, 4, 5});
  const Tensor axis = make_tensor<int32_t>(Shape{}, {0});
  auto out = run_ok(OpType::kCumSum, 14,
                    {{"exclusive", attr_int(exclusive)}, {"reverse", attr_int(reverse)}},
                    {x, axis}, 1);
  return to_vector<double>(out[0]);
}

TEST(CumSumTest, OnnxExamples1d) {
  EXPECT_EQ(cum_sum_1d(0, 0), (std::vector<double>{1, 3, 6, 10, 15}));
  EXPECT_EQ(cum_sum_1d(1, 0), (std::vector<double>{0, 1, 3, 6, 10}));
  EXPECT_EQ(cum_sum_1d(0, 1), (std::vector<double>{15, 14, 12, 9, 5}));
  EXPECT_EQ(cum_sum_1d(1, 1), (std::vector<double>{14, 12, 9, 5, 0}));
}

TEST(CumSumTest, OnnxExamples2d) {
  const Tensor x = make_tensor<float>(Shape{2, 3}, {1, 2, 3, 4, 5, 6});
  auto axis0 = run_ok(OpType::kCumSum, 11, {}, {x, scalar_i64(0)}, 1);
  EXPECT_EQ(to_vector<float>(axis0[0]), (std::vector<float>{1, 2, 3, 5, 7, 9}));
  auto axis1 = run_ok(OpType::kCumSum, 11, {}, {x, scalar_i64(1)}, 1);
  EXPECT_EQ(to_vector<float>(axis1[0]), (std::vector<float>{1, 3, 6, 4, 9, 15}));
  auto negative = run_ok(OpType::kCumSum, 14, {}, {x, make_tensor<int32_t>(Shape{}, {-1})}, 1);
  EXPECT_EQ(to_vector<float>(negative[0]), (std::vector<float>{1, 3, 6, 4, 9, 15}));
  auto ints = run_ok(OpType::kCumSum, 14, {{"reverse", attr_int(1)}},
                     {make_tensor<int64_t>(Shape{2, 3}, {1, 2, 3, 4, 5, 6}), scalar_i64(0)}, 1);
  EXPECT_EQ(to_vector<int64_t>(ints[0]), (std::vector<int64_t>{5, 7, 9, 4, 5, 6}));
}

TEST(CumSumTest, RandomMatchesBruteForce) {
  const Shape shape{3, 5, 4};
  const Tensor x = random_tensor<int64_t>(shape, 9, -50, 50);
  const int64_t* v = x.data<int64_t>();
  for (int axis = 0; axis < 3; ++axis) {
    for (int flags = 0; flags < 4; ++flags) {
      const bool exclusive = flags & 1, reverse = flags & 2;
      ChunkedFor chunked;
      auto out = run_ok(OpType::kCumSum, 14,
                        {{"exclusive", attr_int(exclusive)}, {"reverse", attr_int(reverse)}},
                        {x, scalar_i64(axis)}, 1, KernelVariant::kOptimized, &chunked);
      const int64_t outer = shape.product(0, axis), n = shape[axis];
      const int64_t inner = shape.product(axis + 1, 3);
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t r = 0; r < n; ++r) {
          for (int64_t i = 0; i < inner; ++i) {
            int64_t expected = 0;
            for (int64_t j = 0; j < n; ++j) {
              const bool included = reverse ? (exclusive ? j > r : j >= r)
                                            : (exclusive ? j < r : j <= r);
              if (included) expected += v[(o * n + j) * inner + i];
            }
            EXPECT_EQ(out[0].data<int64_t>()[(o * n + r) * inner + i], expected)
                << "axis " << axis << " flags " << flags;
          }
        }
      }
    }
  }
}

TEST(CumSumTest, Errors) {
  const Tensor x = make_tensor<float>(Shape{2, 3}, {1, 2, 3, 4, 5, 6});
  auto bad_axis = run_op(OpType::kCumSum, 14, {}, {x, scalar_i64(2)}, 1);
  ASSERT_FALSE(bad_axis.is_ok());
  EXPECT_NE(bad_axis.status().message().find("axis 2"), std::string::npos);
  auto bad_axis_shape = run_op(OpType::kCumSum, 14, {}, {x, vector_i64({0, 1})}, 1);
  ASSERT_FALSE(bad_axis_shape.is_ok());
  EXPECT_EQ(bad_axis_shape.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
