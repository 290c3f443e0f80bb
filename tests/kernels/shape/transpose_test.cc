#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "kernels/shape/shape_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace recinfer::kernels::shape_test;
using ir::OpType;

TEST(ShapeKernelsTranspose, TwoByThree) {
  auto out = run_ok(OpType::kTranspose, 13, {{"perm", attr_ints({1, 0})}},
                    {make<float>(Shape{2, 3}, {1, 2, 3, 4, 5, 6})});
  EXPECT_EQ(out[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(ShapeKernelsTranspose, DefaultPermReverses) {
  // x[i][j][k] = 100i + 10j + k; out[k][j][i] = x[i][j][k].
  std::vector<int32_t> v;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) v.push_back(100 * i + 10 * j + k);
  auto out = run_ok(OpType::kTranspose, 13, {}, {make<int32_t>(Shape{2, 3, 4}, v)});
  ASSERT_EQ(out[0].shape(), (Shape{4, 3, 2}));
  const int32_t* o = out[0].data<int32_t>();
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 2; ++i) EXPECT_EQ(o[(k * 3 + j) * 2 + i], 100 * i + 10 * j + k);
}

TEST(ShapeKernelsTranspose, LastTwoDimsSwapByHand) {
  // [2][2][3] -> [2][3][2]
  auto out = run_ok(OpType::kTranspose, 13, {{"perm", attr_ints({0, 2, 1})}},
                    {make<int64_t>(Shape{2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})});
  EXPECT_EQ(out[0].shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(values_of<int64_t>(out[0]),
            (std::vector<int64_t>{1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12}));
}

// Runs the optimised and reference kernels on the same input and compares bytes.
template <typename T>
void expect_matches_reference(const Shape& shape, const std::vector<int64_t>& perm) {
  Tensor data = iota<T>(shape);
  ChunkedFor chunked;
  auto fast = run_op(OpType::kTranspose, 13, {{"perm", attr_ints(perm)}}, {data}, 1,
                     KernelVariant::kOptimized, &chunked);
  auto ref = run_op(OpType::kTranspose, 13, {{"perm", attr_ints(perm)}}, {data}, 1,
                    KernelVariant::kReference);
  ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
  ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
  ASSERT_EQ((*fast)[0].shape(), (*ref)[0].shape());
  EXPECT_EQ(values_of<T>((*fast)[0]), values_of<T>((*ref)[0]))
      << "shape " << shape.to_string() << " perm " << Shape(perm).to_string();
}

TEST(ShapeKernelsTranspose, ReferenceIsCorrectByHand) {
  auto ref = run_op(OpType::kTranspose, 13, {{"perm", attr_ints({1, 0})}},
                    {make<float>(Shape{2, 3}, {1, 2, 3, 4, 5, 6})}, 1, KernelVariant::kReference);
  ASSERT_TRUE(ref.is_ok());
  EXPECT_EQ(values_of<float>((*ref)[0]), (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(ShapeKernelsTranspose, FastPathsMatchReferenceOnOddShapes) {
  // Tile edges (33, 65), tiny dims, batched last-two swap, NCHW<->NHWC.
  expect_matches_reference<float>(Shape{33, 65}, {1, 0});
  expect_matches_reference<float>(Shape{1, 7}, {1, 0});
  expect_matches_reference<uint8_t>(Shape{67, 35}, {1, 0});
  expect_matches_reference<int16_t>(Shape{3, 31, 45}, {0, 2, 1});
  expect_matches_reference<double>(Shape{5, 17, 3}, {0, 2, 1});
  expect_matches_reference<float>(Shape{2, 3, 5, 7}, {0, 2, 3, 1});
  expect_matches_reference<float>(Shape{2, 7, 5, 3}, {0, 3, 1, 2});
  expect_matches_reference<int64_t>(Shape{9, 1, 13}, {2, 1, 0});
  expect_matches_reference<float>(Shape{3, 5, 7}, {2, 0, 1});
  expect_matches_reference<float>(Shape{3, 5, 7}, {1, 2, 0});
  expect_matches_reference<float>(Shape{3, 5, 7}, {1, 0, 2});
  expect_matches_reference<float>(Shape{3, 5, 7}, {2, 1, 0});
}

TEST(ShapeKernelsTranspose, RandomShapesAndPermsMatchReference) {
  std::mt19937 rng(1234);
  for (int iter = 0; iter < 200; ++iter) {
    const int rank = 1 + static_cast<int>(rng() % 6);
    std::vector<int64_t> dims;
    for (int d = 0; d < rank; ++d) dims.push_back(1 + static_cast<int64_t>(rng() % 7));
    std::vector<int64_t> perm(static_cast<size_t>(rank));
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    if (iter % 2 == 0) {
      expect_matches_reference<float>(Shape(dims), perm);
    } else {
      expect_matches_reference<uint8_t>(Shape(dims), perm);
    }
  }
}

TEST(ShapeKernelsTranspose, EmptyAndScalar) {
  auto empty = run_ok(OpType::kTranspose, 13, {}, {make<float>(Shape{0, 3}, {})});
  EXPECT_EQ(empty[0].shape(), (Shape{3, 0}));
  auto scalar = run_ok(OpType::kTranspose, 13, {}, {make<float>(Shape{}, {4})});
  EXPECT_EQ(values_of<float>(scalar[0]), (std::vector<float>{4}));
}

TEST(ShapeKernelsTranspose, BadPerm) {
  Tensor data = iota<float>(Shape{2, 3});
  Status st = run_error(OpType::kTranspose, 13, {{"perm", attr_ints({0, 0})}}, {data});
  EXPECT_NE(st.message().find("perm[1] = 0"), std::string::npos) << st.message();
  st = run_error(OpType::kTranspose, 13, {{"perm", attr_ints({0, 2})}}, {data});
  EXPECT_NE(st.message().find("perm[1] = 2"), std::string::npos) << st.message();
  st = run_error(OpType::kTranspose, 13, {{"perm", attr_ints({0})}}, {data});
  EXPECT_NE(st.message().find("rank 2"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace recinfer::kernels
