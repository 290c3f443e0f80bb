#include "kernels/compare/broadcast.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <vector>

#include "compare_test_util.h"

namespace recinfer::kernels::compare {
namespace {

Result<Shape> broadcast2(const Shape& a, const Shape& b) {
  const std::array<Shape, 2> shapes = {a, b};
  const std::array<std::string_view, 2> names = {"A", "B"};
  return broadcast_shapes(shapes, names);
}

TEST(CompareBroadcastTest, ShapesFollowNumpyRules) {
  EXPECT_EQ(*broadcast2({3, 4, 5}, {5}), (Shape{3, 4, 5}));
  EXPECT_EQ(*broadcast2({1, 4, 1, 6}, {3, 1, 5, 6}), (Shape{3, 4, 5, 6}));
  EXPECT_EQ(*broadcast2({400, 1}, {1, 4000}), (Shape{400, 4000}));
  EXPECT_EQ(*broadcast2({}, {2, 3}), (Shape{2, 3}));
  EXPECT_EQ(*broadcast2({}, {}), Shape{});
  EXPECT_EQ(*broadcast2({0, 3}, {1, 3}), (Shape{0, 3}));
  EXPECT_EQ(*broadcast2({0}, {1}), (Shape{0}));
}

TEST(CompareBroadcastTest, IncompatibleShapesNameEveryOperand) {
  auto r = broadcast2({3, 4}, {5});
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("A (3,4)"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("B (5)"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("4 vs 5"), std::string::npos) << r.status().message();

  const std::array<Shape, 3> shapes = {Shape{2, 1}, Shape{1, 3}, Shape{2, 4}};
  const std::array<std::string_view, 3> names = {"condition", "X", "Y"};
  auto three = broadcast_shapes(shapes, names);
  ASSERT_FALSE(three.is_ok());
  EXPECT_NE(three.status().message().find("condition (2,1), X (1,3) and Y (2,4)"),
            std::string::npos)
      << three.status().message();

  EXPECT_FALSE(broadcast2({0}, {2}).is_ok());  // 0 only broadcasts with 1
}

TEST(CompareBroadcastTest, BroadcastOffsetMapsIntoOperand) {
  // (2,1,3) broadcast to (2,4,3): output (1,2,0) = flat 1*12+2*3+0 = 18 -> input (1,0,0) = 3.
  EXPECT_EQ(broadcast_offset({2, 1, 3}, {2, 4, 3}, 18), 3);
  // (3) broadcast to (2,3): output (1,2) = 5 -> input 2.
  EXPECT_EQ(broadcast_offset({3}, {2, 3}, 5), 2);
  // A scalar always maps to 0.
  EXPECT_EQ(broadcast_offset({}, {2, 3}, 5), 0);
  EXPECT_EQ(broadcast_offset({1, 1}, {2, 3}, 4), 0);
  // Column (4,1) to (4,5): output (3,2) = 17 -> 3.
  EXPECT_EQ(broadcast_offset({4, 1}, {4, 5}, 17), 3);
}

TEST(CompareBroadcastTest, LayoutCoalescesTheNamedFastPaths) {
  // Same shape: one contiguous run.
  auto same = make_broadcast_layout<2>({2, 3, 4}, {Shape{2, 3, 4}, Shape{2, 3, 4}});
  ASSERT_EQ(same.rank, 1);
  EXPECT_EQ(same.dims[0], 24);
  EXPECT_EQ(same.inner_stride(0), 1);
  EXPECT_EQ(same.inner_stride(1), 1);

  // Scalar operand: one run, that operand with stride 0.
  auto scalar = make_broadcast_layout<2>({3, 4}, {Shape{}, Shape{3, 4}});
  ASSERT_EQ(scalar.rank, 1);
  EXPECT_EQ(scalar.dims[0], 12);
  EXPECT_EQ(scalar.inner_stride(0), 0);
  EXPECT_EQ(scalar.inner_stride(1), 1);

  // Outer: column x row.
  auto outer = make_broadcast_layout<2>({400, 4000}, {Shape{400, 1}, Shape{1, 4000}});
  ASSERT_EQ(outer.rank, 2);
  EXPECT_EQ(outer.dims[0], 400);
  EXPECT_EQ(outer.dims[1], 4000);
  EXPECT_EQ(outer.strides[0][0], 1);
  EXPECT_EQ(outer.strides[0][1], 0);
  EXPECT_EQ(outer.strides[1][0], 0);
  EXPECT_EQ(outer.strides[1][1], 1);
  EXPECT_EQ(outer.rows(), 400);

  // Trailing-vector broadcast: the leading dims of A merge.
  auto trailing = make_broadcast_layout<2>({3, 4, 5}, {Shape{3, 4, 5}, Shape{5}});
  ASSERT_EQ(trailing.rank, 2);
  EXPECT_EQ(trailing.dims[0], 12);
  EXPECT_EQ(trailing.dims[1], 5);
  EXPECT_EQ(trailing.strides[0][0], 5);
  EXPECT_EQ(trailing.strides[1][0], 0);

  // Size-1 dims vanish; all-ones is a single element.
  auto ones = make_broadcast_layout<2>({1, 1}, {Shape{1, 1}, Shape{1}});
  EXPECT_EQ(ones.rank, 0);
  EXPECT_EQ(ones.inner(), 1);
  EXPECT_EQ(ones.rows(), 1);
}

// Every output element visited once, with the operand offsets the naive mapping gives.
void check_blocks(const Shape& out, const std::array<Shape, 3>& inputs, ParallelFor& parallel) {
  const auto layout = make_broadcast_layout<3>(out, inputs);
  std::vector<int> visits(static_cast<size_t>(out.numel()), 0);
  std::atomic<int> mismatches{0};
  ir::Node node;
  KernelContext ctx(node, nullptr, 0, nullptr, 0, parallel);
  for_each_broadcast_block(layout, ctx, [&](const std::array<int64_t, 3>& offsets,
                                            int64_t out_offset, int64_t count) {
    for (int64_t j = 0; j < count; ++j) {
      const int64_t o = out_offset + j;
      ++visits[static_cast<size_t>(o)];
      for (int i = 0; i < 3; ++i) {
        if (offsets[i] + j * layout.inner_stride(i) != broadcast_offset(inputs[i], out, o)) {
          ++mismatches;
        }
      }
    }
  });
  EXPECT_EQ(mismatches.load(), 0) << out.to_string();
  EXPECT_EQ(std::count(visits.begin(), visits.end(), 1), out.numel()) << out.to_string();
}

TEST(CompareBroadcastTest, BlocksCoverEveryElementWithNaiveOffsets) {
  compare_test::ReverseChunkedFor reverse;
  compare_test::TwoThreadFor threads;
  const std::vector<std::pair<Shape, std::array<Shape, 3>>> cases = {
      {{400, 4000}, {Shape{400, 1}, Shape{1, 4000}, Shape{}}},
      {{3, 4, 5, 6}, {Shape{1, 4, 1, 6}, Shape{3, 1, 5, 6}, Shape{6}}},
      {{7, 11, 9}, {Shape{7, 1, 9}, Shape{1, 11, 1}, Shape{7, 11, 9}}},
      {{2, 9000}, {Shape{2, 1}, Shape{9000}, Shape{2, 9000}}},  // rows split into blocks
      {{13, 3, 1, 17}, {Shape{13, 1, 1, 1}, Shape{3, 1, 17}, Shape{1}}},
      {{5}, {Shape{}, Shape{5}, Shape{1}}},
      {{}, {Shape{}, Shape{}, Shape{}}},
      {{0, 3}, {Shape{0, 1}, Shape{3}, Shape{}}},
      {{2, 3, 2, 3, 2, 3, 2, 3}, {Shape{2, 1, 2, 1, 2, 1, 2, 1}, Shape{3, 1, 3, 1, 3, 1, 3},
                                  Shape{1, 3, 2, 3, 1, 1, 1, 3}}},
  };
  for (const auto& [out, inputs] : cases) {
    check_blocks(out, inputs, reverse);
    check_blocks(out, inputs, threads);
  }
  EXPECT_GT(reverse.chunks_run(), static_cast<int64_t>(cases.size()));
}

}  // namespace
}  // namespace recinfer::kernels::compare
