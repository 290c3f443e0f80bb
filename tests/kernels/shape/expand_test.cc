#include <gtest/gtest.h>

#include <random>

#include "kernels/shape/shape_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace recinfer::kernels::shape_test;
using ir::OpType;

TEST(ShapeKernelsExpand, BroadcastsByHand) {
  // (3,1) to (2,1,6): output (2,3,6), each row repeats its value.
  auto out =
      run_ok(OpType::kExpand, 13, {}, {make<float>(Shape{3, 1}, {1, 2, 3}), ints({2, 1, 6})});
  ASSERT_EQ(out[0].shape(), (Shape{2, 3, 6}));
  const float* o = out[0].data<float>();
  for (int b = 0; b < 2; ++b)
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 6; ++c) EXPECT_EQ(o[(b * 3 + r) * 6 + c], r + 1);
}

TEST(ShapeKernelsExpand, RowBroadcast) {
  auto out = run_ok(OpType::kExpand, 13, {}, {make<int32_t>(Shape{3}, {7, 8, 9}), ints({2, 3})});
  EXPECT_EQ(out[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<int32_t>(out[0]), (std::vector<int32_t>{7, 8, 9, 7, 8, 9}));
}

TEST(ShapeKernelsExpand, ShapeMayBeSmallerThanInput) {
  // Bidirectional: the 1s in `shape` keep the input's dims.
  auto out =
      run_ok(OpType::kExpand, 13, {}, {make<float>(Shape{2, 2}, {1, 2, 3, 4}), ints({1, 1})});
  EXPECT_EQ(out[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{1, 2, 3, 4}));
  auto lower = run_ok(OpType::kExpand, 13, {}, {make<float>(Shape{2, 1}, {1, 2}), ints({3})});
  EXPECT_EQ(lower[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<float>(lower[0]), (std::vector<float>{1, 1, 1, 2, 2, 2}));
}

TEST(ShapeKernelsExpand, ZeroDimAndScalar) {
  auto empty = run_ok(OpType::kExpand, 13, {}, {make<float>(Shape{1}, {5}), ints({2, 0})});
  EXPECT_EQ(empty[0].shape(), (Shape{2, 0}));
  auto scalar = run_ok(OpType::kExpand, 13, {}, {make<bool>(Shape{}, {true}), ints({2, 2})});
  EXPECT_EQ(values_of<bool>(scalar[0]), (std::vector<bool>{true, true, true, true}));
}

TEST(ShapeKernelsExpand, Errors) {
  Status st = run_error(OpType::kExpand, 13, {}, {iota<float>(Shape{3}), ints({4})});
  EXPECT_NE(st.message().find("size 3"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("shape[0] = 4"), std::string::npos) << st.message();
  st = run_error(OpType::kExpand, 13, {}, {iota<float>(Shape{3}), ints({-2, 3})});
  EXPECT_NE(st.message().find("-2"), std::string::npos) << st.message();
  st = run_error(OpType::kExpand, 13, {},
                 {iota<float>(Shape{1}), ints({int64_t{1} << 40, int64_t{1} << 40})});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
}

TEST(ShapeKernelsExpand, DynamicShape) {
  DynamicRun run = run_dynamic(OpType::kExpand, 13, {},
                               {make<int64_t>(Shape{2, 1}, {4, 5}), ints({2, 2})}, {1});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(run.outputs[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<int64_t>(run.outputs[0]), (std::vector<int64_t>{4, 4, 5, 5}));
}

TEST(ShapeKernelsExpand, RandomShapesMatchNaiveBroadcast) {
  std::mt19937 rng(99);
  for (int iter = 0; iter < 100; ++iter) {
    const int out_rank = 1 + static_cast<int>(rng() % 5);
    const int in_rank = 1 + static_cast<int>(rng() % out_rank);
    std::vector<int64_t> out_dims;
    for (int d = 0; d < out_rank; ++d) out_dims.push_back(1 + static_cast<int64_t>(rng() % 6));
    std::vector<int64_t> in_dims(out_dims.end() - in_rank, out_dims.end());
    for (auto& d : in_dims) {
      if (rng() % 2) d = 1;
    }
    Tensor data = iota<int16_t>(Shape(in_dims));
    ChunkedFor chunked;
    auto out = run_ok(OpType::kExpand, 13, {}, {data, ints(out_dims)}, 1, &chunked);
    ASSERT_EQ(out[0].shape(), Shape(out_dims));
    // Naive: decompose every output index and map it to the input.
    const Shape out_shape(out_dims);
    for (int64_t i = 0; i < out_shape.numel(); ++i) {
      int64_t rem = i;
      int64_t src = 0;
      int64_t stride = 1;
      for (int d = out_rank - 1; d >= 0; --d) {
        const int64_t idx = rem % out_dims[static_cast<size_t>(d)];
        rem /= out_dims[static_cast<size_t>(d)];
        const int in_axis = d - (out_rank - in_rank);
        if (in_axis >= 0) {
          const int64_t in_dim = in_dims[static_cast<size_t>(in_axis)];
          src += (in_dim == 1 ? 0 : idx) * stride;
          stride *= in_dim;
        }
      }
      ASSERT_EQ(out[0].data<int16_t>()[i], data.data<int16_t>()[src])
          << "out " << out_shape.to_string() << " in " << Shape(in_dims).to_string() << " i " << i;
    }
  }
}

}  // namespace
}  // namespace recinfer::kernels
