#include <gtest/gtest.h>

#include <random>

#include "kernels/shape/copy.h"
#include "kernels/shape/shape_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace recinfer::kernels::shape_test;
using namespace recinfer::kernels::layout;

// A KernelContext is needed only for parallel_for; the node is never read.
struct Fixture {
  ir::Node node;
  ChunkedFor chunked;
  KernelContext ctx{node, nullptr, 0, nullptr, 0, chunked};
};

TEST(ShapeKernelsCopy, CoalesceMergesContiguousAndDropsOnes) {
  StridedView v;
  v.rank = 4;
  v.dims = {2, 1, 3, 4};
  v.strides = {12, 99, 4, 1};
  StridedView c = coalesce(v);
  ASSERT_EQ(c.rank, 1);
  EXPECT_EQ(c.dims[0], 24);
  EXPECT_EQ(c.strides[0], 1);
  // A transposed pair does not merge.
  v.rank = 2;
  v.dims = {3, 4};
  v.strides = {1, 3};
  c = coalesce(v);
  EXPECT_EQ(c.rank, 2);
  // Broadcast dims merge with each other.
  v.rank = 3;
  v.dims = {2, 3, 5};
  v.strides = {0, 0, 1};
  c = coalesce(v);
  ASSERT_EQ(c.rank, 2);
  EXPECT_EQ(c.dims[0], 6);
  EXPECT_EQ(c.strides[0], 0);
}

TEST(ShapeKernelsCopy, StridedCopyMatchesNaive) {
  std::mt19937 rng(5);
  Fixture f;
  std::vector<int32_t> src(4096);
  for (size_t i = 0; i < src.size(); ++i) src[i] = static_cast<int32_t>(i);
  for (int iter = 0; iter < 200; ++iter) {
    StridedView v;
    v.rank = 1 + static_cast<int>(rng() % 4);
    int64_t base = 2048;  // room for negative strides either side
    int64_t n = 1;
    for (int d = 0; d < v.rank; ++d) {
      v.dims[d] = 1 + static_cast<int64_t>(rng() % 6);
      v.strides[d] = static_cast<int64_t>(rng() % 9) - 4;  // -4..4, includes 0 and 1
      n *= v.dims[d];
    }
    std::vector<int32_t> dst(static_cast<size_t>(n), -1);
    strided_copy(f.ctx, src.data() + base, dst.data(), sizeof(int32_t), v);
    for (int64_t i = 0; i < n; ++i) {
      int64_t rem = i, off = base;
      for (int d = v.rank - 1; d >= 0; --d) {
        off += (rem % v.dims[d]) * v.strides[d];
        rem /= v.dims[d];
      }
      ASSERT_EQ(dst[static_cast<size_t>(i)], src[static_cast<size_t>(off)]) << "iter " << iter;
    }
  }
}

TEST(ShapeKernelsCopy, CopyBytesAndFillInChunks) {
  Fixture f;
  std::vector<uint8_t> src(300001);
  for (size_t i = 0; i < src.size(); ++i) src[i] = static_cast<uint8_t>(i * 7);
  std::vector<uint8_t> dst(src.size());
  copy_bytes(f.ctx, dst.data(), src.data(), src.size());
  EXPECT_EQ(dst, src);
  EXPECT_GT(f.chunked.calls, 0);
  std::vector<uint64_t> filled(100003);
  const uint64_t value = 0x0123456789abcdefULL;
  fill_elements(f.ctx, filled.data(), static_cast<int64_t>(filled.size()), &value, sizeof(value));
  EXPECT_EQ(filled, std::vector<uint64_t>(filled.size(), value));
}

}  // namespace
}  // namespace recinfer::kernels
