// ArgMax: hand-checked ONNX examples, select_last_index, NaN, and a brute-force check on random
// 3-D integer data (many ties) for every axis.
#include <limits>

#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

TEST(ArgMaxTest, OnnxExamples) {
  const Tensor x = make_tensor<float>(Shape{2, 2}, {2, 1, 3, 10});
  auto axis0 = run_ok(OpType::kArgMax, 13, {}, {x}, 1);
  EXPECT_EQ(axis0[0].shape(), (Shape{1, 2}));
  EXPECT_EQ(to_vector<int64_t>(axis0[0]), (std::vector<int64_t>{1, 1}));
  auto axis1 = run_ok(OpType::kArgMax, 13, {{"axis", attr_int(1)}}, {x}, 1);
  EXPECT_EQ(axis1[0].shape(), (Shape{2, 1}));
  EXPECT_EQ(to_vector<int64_t>(axis1[0]), (std::vector<int64_t>{0, 1}));
  auto flat = run_ok(OpType::kArgMax, 13, {{"axis", attr_int(-1)}, {"keepdims", attr_int(0)}},
                     {x}, 1);
  EXPECT_EQ(flat[0].shape(), (Shape{2}));
  EXPECT_EQ(to_vector<int64_t>(flat[0]), (std::vector<int64_t>{0, 1}));
}

TEST(ArgMaxTest, SelectLastIndexFromOpset12) {
  const Tensor x = make_tensor<float>(Shape{2, 2}, {2, 2, 3, 10});
  auto first = run_ok(OpType::kArgMax, 13, {{"axis", attr_int(1)}}, {x}, 1);
  EXPECT_EQ(to_vector<int64_t>(first[0]), (std::vector<int64_t>{0, 1}));
  auto last = run_ok(OpType::kArgMax, 13, {{"axis", attr_int(1)}, {"select_last_index", attr_int(1)}},
                     {x}, 1);
  EXPECT_EQ(to_vector<int64_t>(last[0]), (std::vector<int64_t>{1, 1}));
  // Opset 11 has no such attribute: ties resolve to the first index.
  auto old = run_ok(OpType::kArgMax, 11, {{"axis", attr_int(1)}, {"select_last_index", attr_int(1)}},
                    {x}, 1);
  EXPECT_EQ(to_vector<int64_t>(old[0]), (std::vector<int64_t>{0, 1}));
}

TEST(ArgMaxTest, NaNIsTheMaximum) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto out = run_ok(OpType::kArgMax, 13, {{"keepdims", attr_int(0)}},
                    {make_tensor<float>(Shape{5}, {1, nan, 5, nan, 2})}, 1);
  EXPECT_EQ(to_vector<int64_t>(out[0]), (std::vector<int64_t>{1}));
  auto last = run_ok(OpType::kArgMax, 13, {{"keepdims", attr_int(0)}, {"select_last_index", attr_int(1)}},
                     {make_tensor<float>(Shape{5}, {1, nan, 5, nan, 2})}, 1);
  EXPECT_EQ(to_vector<int64_t>(last[0]), (std::vector<int64_t>{3}));
}

TEST(ArgMaxTest, RandomIntegersMatchBruteForce) {
  const Shape shape{5, 7, 3};
  const Tensor x = random_tensor<int32_t>(shape, 11, 0, 3);
  const int32_t* v = x.data<int32_t>();
  for (int axis = 0; axis < 3; ++axis) {
    for (int last = 0; last <= 1; ++last) {
      ChunkedFor chunked;
      auto out = run_ok(OpType::kArgMax, 13,
                        {{"axis", attr_int(axis)}, {"select_last_index", attr_int(last)}}, {x}, 1,
                        KernelVariant::kOptimized, &chunked);
      const int64_t outer = shape.product(0, axis), n = shape[axis];
      const int64_t inner = shape.product(axis + 1, 3);
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t i = 0; i < inner; ++i) {
          int64_t best = 0;
          for (int64_t r = 1; r < n; ++r) {
            const int32_t cand = v[(o * n + r) * inner + i], cur = v[(o * n + best) * inner + i];
            if (cand > cur || (last && cand == cur)) best = r;
          }
          EXPECT_EQ(out[0].data<int64_t>()[o * inner + i], best) << axis << " " << last;
        }
      }
    }
  }
}

TEST(ArgMaxTest, Errors) {
  auto bad_axis = run_op(OpType::kArgMax, 13, {{"axis", attr_int(2)}},
                         {make_tensor<float>(Shape{2, 2}, {1, 2, 3, 4})}, 1);
  ASSERT_FALSE(bad_axis.is_ok());
  EXPECT_NE(bad_axis.status().message().find("axis 2"), std::string::npos);
  auto empty = run_op(OpType::kArgMax, 13, {{"axis", attr_int(1)}},
                      {make_tensor<float>(Shape{2, 0}, {})}, 1);
  ASSERT_FALSE(empty.is_ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
