// ArgMin: the ONNX examples, select_last_index, NaN, and a brute-force check on random integer
// data (many ties) along every axis.
#include <limits>

#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

TEST(ArgMinTest, OnnxExamples) {
  const Tensor x = make_tensor<float>(Shape{2, 2}, {2, 1, 3, 10});
  auto axis0 = run_ok(OpType::kArgMin, 13, {}, {x}, 1);
  EXPECT_EQ(axis0[0].shape(), (Shape{1, 2}));
  EXPECT_EQ(to_vector<int64_t>(axis0[0]), (std::vector<int64_t>{0, 0}));
  auto axis1 = run_ok(OpType::kArgMin, 13, {{"axis", attr_int(-1)}, {"keepdims", attr_int(0)}},
                      {x}, 1);
  EXPECT_EQ(axis1[0].shape(), (Shape{2}));
  EXPECT_EQ(to_vector<int64_t>(axis1[0]), (std::vector<int64_t>{1, 0}));
}

TEST(ArgMinTest, TiesAndNaN) {
  const Tensor ties = make_tensor<int32_t>(Shape{5}, {4, 1, 7, 1, 2});
  EXPECT_EQ(to_vector<int64_t>(run_ok(OpType::kArgMin, 13, {}, {ties}, 1)[0]),
            std::vector<int64_t>{1});
  EXPECT_EQ(to_vector<int64_t>(
                run_ok(OpType::kArgMin, 12, {{"select_last_index", attr_int(1)}}, {ties}, 1)[0]),
            std::vector<int64_t>{3});
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Tensor with_nan = make_tensor<float>(Shape{4}, {3, nan, -5, nan});
  EXPECT_EQ(to_vector<int64_t>(run_ok(OpType::kArgMin, 13, {}, {with_nan}, 1)[0]),
            std::vector<int64_t>{1});
}

TEST(ArgMinTest, RandomIntegersMatchBruteForce) {
  const Shape shape{5, 7, 3};
  const Tensor x = random_tensor<int64_t>(shape, 9, 0, 3);
  const int64_t* data = x.data<int64_t>();
  for (int axis = 0; axis < 3; ++axis) {
    for (int last = 0; last <= 1; ++last) {
      auto out = run_ok(OpType::kArgMin, 13,
                        {{"axis", attr_int(axis)}, {"keepdims", attr_int(0)},
                         {"select_last_index", attr_int(last)}},
                        {x}, 1);
      const int64_t n = shape[axis];
      const int64_t inner = shape.product(axis + 1, 3);
      const int64_t outer = shape.product(0, axis);
      const int64_t* got = out[0].data<int64_t>();
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t i = 0; i < inner; ++i) {
          int64_t best = 0;
          for (int64_t r = 1; r < n; ++r) {
            const int64_t v = data[(o * n + r) * inner + i];
            const int64_t b = data[(o * n + best) * inner + i];
            if (v < b || (last && v == b)) best = r;
          }
          EXPECT_EQ(got[o * inner + i], best) << "axis " << axis << " last " << last;
        }
      }
    }
  }
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
