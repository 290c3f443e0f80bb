#include "runtime/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "support/allocation_counter.h"

namespace recinfer::runtime {
namespace {

TEST(ThreadPoolTest, CoversEveryIndexExactlyOnce) {
  ThreadPool pool(3);
  for (int64_t n : {1, 7, 100, 12345}) {
    for (int64_t grain : {1, 4, 1000}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      pool.run(n, grain, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
      });
      for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[static_cast<size_t>(i)].load(), 1) << n << "/" << grain;
    }
  }
}

TEST(ThreadPoolTest, UsesSeveralThreadsForBigWork) {
  ThreadPool pool(2);
  std::mutex mutex;
  std::set<std::thread::id> ids;
  for (int attempt = 0; attempt < 50 && ids.size() < 2; ++attempt) {
    pool.run(64, 1, [&](int64_t, int64_t) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      std::lock_guard<std::mutex> lock(mutex);
      ids.insert(std::this_thread::get_id());
    });
  }
  EXPECT_EQ(ids.size(), 2u);
}

TEST(ThreadPoolTest, NestedCallsRunSeriallyWithoutDeadlock) {
  ThreadPool pool(2);
  std::atomic<int64_t> total{0};
  pool.run(8, 1, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      pool.run(10, 1, [&](int64_t ib, int64_t ie) { total.fetch_add(ie - ib); });
    }
  });
  EXPECT_EQ(total.load(), 80);
}

TEST(ThreadPoolTest, ThreadCapLimitsParticipants) {
  ThreadPool pool(2);
  pool.set_thread_cap(1);
  std::set<std::thread::id> ids;
  pool.run(1000, 1, [&](int64_t, int64_t) { ids.insert(std::this_thread::get_id()); });
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(*ids.begin(), std::this_thread::get_id());
}

TEST(ThreadPoolTest, RunDoesNotAllocate) {
  ThreadPool pool(2);
  std::atomic<int64_t> sum{0};
  auto body = [&](int64_t b, int64_t e) { sum.fetch_add(e - b); };
  pool.run(100, 1, body);
  testing::start_counting_allocations();
  for (int i = 0; i < 100; ++i) pool.run(100, 1, body);
  EXPECT_EQ(testing::stop_counting_allocations(), 0);
  EXPECT_EQ(sum.load(), 10100);
}

}  // namespace
}  // namespace recinfer::runtime
