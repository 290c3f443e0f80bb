// The dynamic batcher with a fake runner: ordering, admission, timeouts, batch forming,
// padding and error isolation, without timing assertions beyond generous bounds.
#include "serve/batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "serve/batcher_buckets.h"

namespace recinfer::serve {
namespace {

using namespace std::chrono_literals;

// One input x [batch, 1] float32 -> one output y = 2x [batch, 1].
tooling::BatchLayout layout() {
  TensorSpec x;
  x.name = "x";
  x.dtype = DType::kFloat32;
  x.dims = {-1, 1};
  x.dim_names = {"batch", ""};
  x.has_shape = true;
  return *tooling::detect_batch_layout({x});
}

std::vector<Tensor> rows_of(std::vector<float> v) {
  return {*Tensor::from_vector<float>(Shape{static_cast<int64_t>(v.size()), 1}, v)};
}

// Doubles its input; records every batch it sees; blocks while the gate is closed; fails a
// batch holding a negative value.
struct FakeRunner {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = true;
  std::vector<std::vector<float>> batches;

  BatchRunner runner() {
    return [this](const std::vector<Tensor>& in, std::vector<Tensor>& out) -> Status {
      std::vector<float> seen(in[0].data<float>(), in[0].data<float>() + in[0].numel());
      {
        std::unique_lock<std::mutex> lock(mutex);
        batches.push_back(seen);
        cv.notify_all();
        cv.wait(lock, [&] { return open; });
      }
      for (float v : seen) {
        if (v < 0) return out_of_range("id {} outside the table", v);
      }
      std::vector<float> doubled;
      for (float v : seen) doubled.push_back(2 * v);
      out = {*Tensor::from_vector<float>(in[0].shape(), doubled)};
      return Status::ok();
    };
  }
  void close() {
    std::lock_guard<std::mutex> lock(mutex);
    open = false;
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex);
    open = true;
    cv.notify_all();
  }
  void wait_for_batches(size_t n) {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return batches.size() >= n; });
  }
};

BatcherOptions options(int64_t max_batch) {
  BatcherOptions o;
  o.model = "m";
  o.version = "1";
  o.max_batch_size = max_batch;
  o.buckets = batch_buckets(max_batch, {});
  return o;
}

void wait_queued(const DynamicBatcher& batcher, size_t n) {
  while (batcher.queued() < n) std::this_thread::sleep_for(1ms);
}

float first_output(const ServeResult<BatchedResult>& r) {
  return std::get<BatchedResult>(r).outputs[0].data<float>()[0];
}

TEST(BatcherTest, ServesByPriorityThenArrival) {
  FakeRunner fake;
  BatcherOptions o = options(4);
  o.dynamic = false;  // one request per run: the run order is the queue order
  DynamicBatcher batcher(fake.runner(), layout(), {true}, o, nullptr);
  fake.close();
  std::thread first([&] { batcher.infer(rows_of({1}), 1, 0, std::nullopt); });
  fake.wait_for_batches(1);  // the worker is busy with request 1
  std::vector<std::thread> callers;
  const std::pair<float, uint32_t> queued[] = {{2, 0}, {3, 2}, {4, 1}, {5, 2}, {6, 1}};
  for (size_t i = 0; i < 5; ++i) {
    callers.emplace_back([&, i] {
      batcher.infer(rows_of({queued[i].first}), 1, queued[i].second, std::nullopt);
    });
    wait_queued(batcher, i + 1);  // fixes the arrival order
  }
  fake.release();
  first.join();
  for (auto& t : callers) t.join();
  std::vector<float> order;
  for (const auto& b : fake.batches) order.push_back(b[0]);
  // Priority 1 first, then 2, then the default (0 = lowest); arrival order within a level.
  EXPECT_EQ(order, (std::vector<float>{1, 4, 6, 3, 5, 2}));
}

TEST(BatcherTest, FullQueueRejectsAtOnce) {
  FakeRunner fake;
  BatcherOptions o = options(4);
  o.max_queue_size = 1;
  DynamicBatcher batcher(fake.runner(), layout(), {true}, o, nullptr);
  fake.close();
  std::thread first([&] { batcher.infer(rows_of({1}), 1, 0, std::nullopt); });
  fake.wait_for_batches(1);
  std::thread second([&] { batcher.infer(rows_of({2}), 1, 0, std::nullopt); });
  wait_queued(batcher, 1);
  FailureReason reason = FailureReason::kInternal;
  auto rejected = batcher.infer(rows_of({3}), 1, 0, std::nullopt, &reason);
  ASSERT_TRUE(std::holds_alternative<ServeError>(rejected));
  const ServeError& e = std::get<ServeError>(rejected);
  EXPECT_EQ(e.kind, ErrorKind::kUnavailable);
  EXPECT_NE(e.message.find("queue full"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("max_queue_size 1"), std::string::npos) << e.message;
  EXPECT_EQ(reason, FailureReason::kRejected);
  fake.release();
  first.join();
  second.join();
}

TEST(BatcherTest, QueuedRequestTimesOutWhileTheWorkerIsBusy) {
  FakeRunner fake;
  DynamicBatcher batcher(fake.runner(), layout(), {true}, options(4), nullptr);
  fake.close();
  std::thread first([&] { batcher.infer(rows_of({1}), 1, 0, std::nullopt); });
  fake.wait_for_batches(1);
  FailureReason reason = FailureReason::kInternal;
  // The worker stays blocked: the timed-out caller must wake by itself.
  auto expired = batcher.infer(rows_of({2}), 1, 0, uint64_t{20000}, &reason);
  ASSERT_TRUE(std::holds_alternative<ServeError>(expired));
  EXPECT_EQ(std::get<ServeError>(expired).kind, ErrorKind::kTimeout);
  EXPECT_NE(std::get<ServeError>(expired).message.find("timed out after 20000 us"),
            std::string::npos);
  EXPECT_EQ(reason, FailureReason::kTimeout);
  EXPECT_EQ(batcher.queued(), 0u);
  fake.release();
  first.join();
  EXPECT_EQ(fake.batches.size(), 1u);  // the expired request never ran
}

TEST(BatcherTest, DefaultTimeoutAppliesWhenOverrideIsNotAllowed) {
  FakeRunner fake;
  BatcherOptions o = options(4);
  o.default_timeout_us = 10000;
  o.allow_timeout_override = false;
  DynamicBatcher batcher(fake.runner(), layout(), {true}, o, nullptr);
  fake.close();
  std::thread first([&] { batcher.infer(rows_of({1}), 1, 0, std::nullopt); });
  fake.wait_for_batches(1);
  // Asks for no timeout (0) but the model's default applies.
  auto expired = batcher.infer(rows_of({2}), 1, 0, uint64_t{0});
  ASSERT_TRUE(std::holds_alternative<ServeError>(expired));
  EXPECT_EQ(std::get<ServeError>(expired).kind, ErrorKind::kTimeout);
  fake.release();
  first.join();
}

TEST(BatcherTest, LoneRequestRunsAfterTheDelay) {
  FakeRunner fake;
  BatcherOptions o = options(8);
  o.max_queue_delay_us = 1000;
  DynamicBatcher batcher(fake.runner(), layout(), {true}, o, nullptr);
  auto r = batcher.infer(rows_of({3}), 1, 0, std::nullopt);
  ASSERT_TRUE(std::holds_alternative<BatchedResult>(r));
  EXPECT_EQ(first_output(r), 6.0f);
  EXPECT_EQ(std::get<BatchedResult>(r).timings.batch_size, 1);
}

TEST(BatcherTest, BurstFormsOneFullBatch) {
  FakeRunner fake;
  BatcherOptions o = options(4);
  o.max_queue_delay_us = 10'000'000;  // only a full batch goes before this
  DynamicBatcher batcher(fake.runner(), layout(), {true}, o, nullptr);
  std::vector<ServeResult<BatchedResult>> results(4, ServeError{});
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&, i] {
      results[static_cast<size_t>(i)] =
          batcher.infer(rows_of({static_cast<float>(i + 1)}), 1, 0, std::nullopt);
    });
  }
  for (auto& t : callers) t.join();
  ASSERT_EQ(fake.batches.size(), 1u);
  EXPECT_EQ(fake.batches[0].size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const auto& r = results[static_cast<size_t>(i)];
    ASSERT_TRUE(std::holds_alternative<BatchedResult>(r));
    EXPECT_EQ(first_output(r), 2.0f * static_cast<float>(i + 1));  // each gets its own row
    EXPECT_EQ(std::get<BatchedResult>(r).timings.batch_size, 4);
  }
  EXPECT_EQ(batcher.stats().max_batch_requests, 4u);
}

TEST(BatcherTest, PaddingRowsNeverReachTheCaller) {
  FakeRunner fake;
  DynamicBatcher batcher(fake.runner(), layout(), {true}, options(8), nullptr);
  auto r = batcher.infer(rows_of({1, 2, 3}), 3, 0, std::nullopt);
  ASSERT_TRUE(std::holds_alternative<BatchedResult>(r));
  const BatchedResult& result = std::get<BatchedResult>(r);
  ASSERT_EQ(fake.batches.size(), 1u);
  EXPECT_EQ(fake.batches[0], (std::vector<float>{1, 2, 3, 3}));  // padded to the bucket of 4
  EXPECT_EQ(result.timings.batch_size, 4);
  ASSERT_EQ(result.outputs[0].shape(), (Shape{3, 1}));
  EXPECT_EQ(result.outputs[0].data<float>()[2], 6.0f);
}

TEST(BatcherTest, ARunErrorFailsOnlyTheRequestThatCausedIt) {
  FakeRunner fake;
  BatcherOptions o = options(2);
  o.max_queue_delay_us = 10'000'000;
  DynamicBatcher batcher(fake.runner(), layout(), {true}, o, nullptr);
  ServeResult<BatchedResult> good = ServeError{}, bad = ServeError{};
  FailureReason reason = FailureReason::kInternal;
  std::thread a([&] { good = batcher.infer(rows_of({5}), 1, 0, std::nullopt); });
  std::thread b([&] { bad = batcher.infer(rows_of({-1}), 1, 0, std::nullopt, &reason); });
  a.join();
  b.join();
  ASSERT_TRUE(std::holds_alternative<BatchedResult>(good));
  EXPECT_EQ(first_output(good), 10.0f);
  ASSERT_TRUE(std::holds_alternative<ServeError>(bad));
  EXPECT_EQ(std::get<ServeError>(bad).kind, ErrorKind::kBadRequest);
  EXPECT_NE(std::get<ServeError>(bad).message.find("outside the table"), std::string::npos);
  EXPECT_EQ(reason, FailureReason::kBadRequest);
  EXPECT_EQ(fake.batches.size(), 3u);  // the joint batch, then each request alone
}

TEST(BatcherTest, DestructionAnswersQueuedRequests) {
  FakeRunner fake;
  std::atomic<int> answered{0};
  std::thread caller;
  {
    BatcherOptions o = options(4);
    o.max_queue_delay_us = 10'000'000;
    DynamicBatcher batcher(fake.runner(), layout(), {true}, o, nullptr);
    caller = std::thread([&] {
      auto r = batcher.infer(rows_of({1}), 1, 0, std::nullopt);
      if (std::holds_alternative<BatchedResult>(r)) answered++;
    });
    wait_queued(batcher, 1);
  }  // runs the waiting request at once instead of after the delay
  caller.join();
  EXPECT_EQ(answered.load(), 1);
}

}  // namespace
}  // namespace recinfer::serve
