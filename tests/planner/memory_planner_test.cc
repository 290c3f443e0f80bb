#include "planner/memory_planner.h"

#include <gtest/gtest.h>

#include <random>

namespace recinfer::planner {
namespace {

TEST(MemoryPlannerTest, DisjointLifetimesShareMemory) {
  std::vector<BufferRequest> reqs = {{1000, 0, 1}, {1000, 2, 3}, {500, 4, 5}};
  MemoryPlan plan = plan_memory(reqs);
  EXPECT_TRUE(plan_is_valid(reqs, plan));
  EXPECT_EQ(plan.arena_bytes, 1024u);  // all three reuse the same bytes
}

TEST(MemoryPlannerTest, OverlappingLifetimesDoNotOverlapInMemory) {
  std::vector<BufferRequest> reqs = {{100, 0, 2}, {200, 1, 3}, {300, 2, 4}};
  MemoryPlan plan = plan_memory(reqs);
  EXPECT_TRUE(plan_is_valid(reqs, plan));
  EXPECT_EQ(plan.arena_bytes, 128u + 256u + 320u);
  for (size_t off : plan.offsets) EXPECT_EQ(off % 64, 0u);
}

TEST(MemoryPlannerTest, SmallBufferFillsGapLeftByLargeOnes) {
  // A (0-1) and C (3-4) are large and can share; B (1-3) overlaps both. D small fits beside.
  std::vector<BufferRequest> reqs = {{4096, 0, 1}, {1024, 1, 3}, {4096, 3, 4}, {64, 0, 0}};
  MemoryPlan plan = plan_memory(reqs);
  EXPECT_TRUE(plan_is_valid(reqs, plan));
  EXPECT_EQ(plan.offsets[0], plan.offsets[2]);
  EXPECT_LE(plan.arena_bytes, 4096u + 1024u);
}

TEST(MemoryPlannerTest, RandomPlansAreValidAndNoWorseThanNaive) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<BufferRequest> reqs;
    size_t naive = 0;
    int n = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      int a = static_cast<int>(rng() % 30), b = static_cast<int>(rng() % 30);
      BufferRequest r{static_cast<size_t>(rng() % 5000), std::min(a, b), std::max(a, b)};
      naive += (std::max<size_t>(r.bytes, 1) + 63) / 64 * 64;
      reqs.push_back(r);
    }
    MemoryPlan plan = plan_memory(reqs);
    ASSERT_TRUE(plan_is_valid(reqs, plan)) << "trial " << trial;
    EXPECT_LE(plan.arena_bytes, naive);
  }
}

TEST(MemoryPlannerTest, ValidatorCatchesOverlap) {
  std::vector<BufferRequest> reqs = {{100, 0, 2}, {100, 1, 3}};
  MemoryPlan bad{{0, 64}, 256};
  EXPECT_FALSE(plan_is_valid(reqs, bad));
}

}  // namespace
}  // namespace recinfer::planner
