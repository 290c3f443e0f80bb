#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "kernels/shape/shape_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace recinfer::kernels::shape_test;
using ir::OpType;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(ShapeKernelsSlice, StepsAndAxesByHand) {
  Tensor x = iota<float>(Shape{3, 4});  // rows 0..3, 4..7, 8..11
  auto out = run_ok(OpType::kSlice, 13, {},
                    {x, ints({1, 0}), ints({2, 3}), ints({0, 1}), ints({1, 2})});
  EXPECT_EQ(out[0].shape(), (Shape{1, 2}));
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{4, 6}));
}

TEST(ShapeKernelsSlice, Opset1Attributes) {
  // The spec's example: data = [[1,2,3,4],[5,6,7,8]], starts [0,1], ends [-1,1000] -> [[2,3,4]].
  Tensor x = make<int32_t>(Shape{2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  auto out = run_ok(OpType::kSlice, 9,
                    {{"starts", attr_ints({0, 1})}, {"ends", attr_ints({-1, 1000})}}, {x});
  EXPECT_EQ(out[0].shape(), (Shape{1, 3}));
  EXPECT_EQ(values_of<int32_t>(out[0]), (std::vector<int32_t>{2, 3, 4}));
  auto axes = run_ok(OpType::kSlice, 1,
                     {{"starts", attr_ints({1})},
                      {"ends", attr_ints({2})},
                      {"axes", attr_ints({1})}},
                     {x});
  EXPECT_EQ(values_of<int32_t>(axes[0]), (std::vector<int32_t>{2, 6}));
}

TEST(ShapeKernelsSlice, NegativeStepsAndClamping) {
  Tensor x = make<int64_t>(Shape{4}, {10, 11, 12, 13});
  auto reversed =
      run_ok(OpType::kSlice, 13, {}, {x, ints({-1}), ints({kMin}), ints({0}), ints({-1})});
  EXPECT_EQ(values_of<int64_t>(reversed[0]), (std::vector<int64_t>{13, 12, 11, 10}));
  auto by2 = run_ok(OpType::kSlice, 13, {}, {x, ints({20}), ints({0}), ints({0}), ints({-2})});
  EXPECT_EQ(values_of<int64_t>(by2[0]), (std::vector<int64_t>{13, 11}));
  auto to_end = run_ok(OpType::kSlice, 13, {}, {x, ints({1}), ints({kMax})});
  EXPECT_EQ(values_of<int64_t>(to_end[0]), (std::vector<int64_t>{11, 12, 13}));
  auto from_before = run_ok(OpType::kSlice, 13, {}, {x, ints({-100}), ints({2})});
  EXPECT_EQ(values_of<int64_t>(from_before[0]), (std::vector<int64_t>{10, 11}));
  auto past_end = run_ok(OpType::kSlice, 13, {}, {x, ints({1000}), ints({1001})});
  EXPECT_EQ(past_end[0].shape(), (Shape{0}));
  auto huge_neg =
      run_ok(OpType::kSlice, 13, {}, {x, ints({3}), ints({kMin}), ints({0}), ints({kMin})});
  EXPECT_EQ(values_of<int64_t>(huge_neg[0]), (std::vector<int64_t>{13}));
  auto huge_pos =
      run_ok(OpType::kSlice, 13, {}, {x, ints({0}), ints({kMax}), ints({0}), ints({kMax})});
  EXPECT_EQ(values_of<int64_t>(huge_pos[0]), (std::vector<int64_t>{10}));
}

TEST(ShapeKernelsSlice, NegativeAxesAndInt32Indices) {
  Tensor x = iota<float>(Shape{2, 3});
  Tensor i32 = make<int32_t>(Shape{1}, {1});
  auto out = run_ok(OpType::kSlice, 13, {}, {x, i32, make<int32_t>(Shape{1}, {3}),
                                             make<int32_t>(Shape{1}, {-1})});
  EXPECT_EQ(out[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{1, 2, 4, 5}));
}

TEST(ShapeKernelsSlice, Errors) {
  Tensor x = iota<float>(Shape{2, 3});
  Status st = run_error(OpType::kSlice, 13, {}, {x, ints({0}), ints({1}), ints({0}), ints({0})});
  EXPECT_NE(st.message().find("steps[0] is 0"), std::string::npos) << st.message();
  st = run_error(OpType::kSlice, 13, {}, {x, ints({0, 0}), ints({1, 1}), ints({1, -1})});
  EXPECT_NE(st.message().find("repeats"), std::string::npos) << st.message();
  st = run_error(OpType::kSlice, 13, {}, {x, ints({0, 0}), ints({1})});
  EXPECT_NE(st.message().find("differ in length"), std::string::npos) << st.message();
  st = run_error(OpType::kSlice, 13, {}, {x, ints({0}), ints({1}), ints({2})});
  EXPECT_NE(st.message().find("axes value 2"), std::string::npos) << st.message();
  st = run_error(OpType::kSlice, 13, {}, {x, ints({0})});
  EXPECT_NE(st.message().find("ends"), std::string::npos) << st.message();
}

TEST(ShapeKernelsSlice, DynamicStarts) {
  DynamicRun run = run_dynamic(OpType::kSlice, 13, {},
                               {iota<int32_t>(Shape{5}), ints({1}), ints({4})}, {1, 2});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(values_of<int32_t>(run.outputs[0]), (std::vector<int32_t>{1, 2, 3}));
}

// Indices along one axis, by literally walking the spec's loop.
std::vector<int64_t> naive_indices(int64_t dim, int64_t start, int64_t end, int64_t step) {
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  std::vector<int64_t> idx;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    for (int64_t i = start; i < end; i += step) idx.push_back(i);
  } else {
    start = std::clamp<int64_t>(start, 0, dim - 1);
    end = std::clamp<int64_t>(end, -1, dim - 1);
    for (int64_t i = start; i > end; i += step) idx.push_back(i);
  }
  return idx;
}

TEST(ShapeKernelsSlice, RandomSlicesMatchNaive) {
  std::mt19937 rng(7);
  auto pick = [&](int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
  };
  for (int iter = 0; iter < 150; ++iter) {
    const int rank = static_cast<int>(pick(1, 4));
    std::vector<int64_t> dims;
    for (int d = 0; d < rank; ++d) dims.push_back(pick(1, 7));
    Tensor x = iota<int32_t>(Shape(dims));
    std::vector<int64_t> starts, ends, axes, steps;
    std::vector<std::vector<int64_t>> per_axis(static_cast<size_t>(rank));
    for (int d = 0; d < rank; ++d) {
      per_axis[static_cast<size_t>(d)] = naive_indices(dims[d], 0, dims[d], 1);
      if (rng() % 3 == 0) continue;  // axis left whole
      const int64_t dim = dims[static_cast<size_t>(d)];
      int64_t s = pick(-dim - 2, dim + 2), e = pick(-dim - 2, dim + 2), st = pick(-3, 3);
      if (st == 0) st = 1;
      starts.push_back(s);
      ends.push_back(e);
      axes.push_back(rng() % 2 ? d : d - rank);
      steps.push_back(st);
      per_axis[static_cast<size_t>(d)] = naive_indices(dim, s, e, st);
    }
    if (starts.empty()) continue;
    ChunkedFor chunked;
    auto out = run_ok(OpType::kSlice, 13, {},
                      {x, ints(starts), ints(ends), ints(axes), ints(steps)},
                      1, &chunked);
    std::vector<int32_t> expected;
    // Cartesian product of the per-axis index lists, row-major.
    std::vector<size_t> pos(static_cast<size_t>(rank), 0);
    bool empty = false;
    for (auto& list : per_axis) empty = empty || list.empty();
    Shape expected_shape;
    for (auto& list : per_axis) expected_shape.push_back(static_cast<int64_t>(list.size()));
    ASSERT_EQ(out[0].shape(), expected_shape);
    while (!empty) {
      int64_t flat = 0;
      for (int d = 0; d < rank; ++d) {
        const auto a = static_cast<size_t>(d);
        flat = flat * dims[a] + per_axis[a][pos[a]];
      }
      expected.push_back(static_cast<int32_t>(flat));
      int d = rank - 1;
      for (; d >= 0; --d) {
        if (++pos[static_cast<size_t>(d)] < per_axis[static_cast<size_t>(d)].size()) break;
        pos[static_cast<size_t>(d)] = 0;
      }
      if (d < 0) break;
    }
    EXPECT_EQ(values_of<int32_t>(out[0]), expected) << "iter " << iter;
  }
}

}  // namespace
}  // namespace recinfer::kernels
