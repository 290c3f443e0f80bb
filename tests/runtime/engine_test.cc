#include "recinfer/engine.h"

#include <gtest/gtest.h>

#include <sched.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "runtime/engine_model.h"
#include "runtime/engine_placement.h"
#include "runtime/engine_scheduler.h"
#include "runtime/instance.h"
#include "runtime/thread_pool.h"
#include "support/allocation_counter.h"
#include "support/model_builder.h"
#include "tooling/batching.h"
#include "tooling/tensor_compare.h"
#include "tooling/test_data.h"

namespace recinfer {
namespace {

using testing::ModelBuilder;

const std::string kZoo = std::string(RECINFER_SOURCE_DIR) + "/models/zoo/";

std::vector<Tensor> zoo_inputs(const std::string& model) {
  auto inputs = tooling::read_tensor_dir(kZoo + model + "/test_data_set_0", "input");
  EXPECT_TRUE(inputs.is_ok()) << inputs.status().to_string();
  return inputs.is_ok() ? *inputs : std::vector<Tensor>{};
}

std::unique_ptr<Engine> load_engine(const std::string& path, const EngineOptions& options) {
  auto engine = Engine::load(path, options);
  EXPECT_TRUE(engine.is_ok()) << engine.status().to_string();
  return engine.is_ok() ? std::move(engine).value() : nullptr;
}

TEST(CoreLimitTest, ParsesMatmulBarVector) {
  auto limit = CoreLimit::parse("2|1");
  ASSERT_TRUE(limit.is_ok());
  EXPECT_EQ(limit->matmul, 2);
  EXPECT_EQ(limit->vector, 1);
  EXPECT_EQ(limit->to_string(), "2|1");
  EXPECT_FALSE(CoreLimit::parse("none")->active());
  EXPECT_EQ(CoreLimit::parse("")->to_string(), "none");
  for (const char* bad : {"3|x", "0|1", "3", "1|2|3", "|1", "-1|2", "2|", "1.5|1"}) {
    auto parsed = CoreLimit::parse(bad);
    ASSERT_FALSE(parsed.is_ok()) << bad;
    EXPECT_NE(parsed.status().message().find("must be M|V with positive integers"),
              std::string::npos)
        << parsed.status().message();
  }
}

TEST(EngineTest, RejectsBadOptions) {
  const std::string model = kZoo + "deepfm_opset14/model.onnx";
  EngineOptions options;
  options.instances = 0;
  EXPECT_NE(Engine::load(model, options).status().message().find("instances must be at least 1"),
            std::string::npos);
  options.instances = 1;
  options.cores_per_instance = 0;
  EXPECT_NE(Engine::load(model, options).status().message().find("cores per instance"),
            std::string::npos);
  options.cores_per_instance = 1;
  const int cpus = static_cast<int>(runtime::allowed_cpus().size());
  options.instances = runtime::kMaxThreadsPerCpu * cpus + 1;
  auto too_many = Engine::load(model, options);
  ASSERT_FALSE(too_many.is_ok());
  EXPECT_NE(too_many.status().message().find("threads per CPU only time-slices"), std::string::npos)
      << too_many.status().message();
  options.instances = 1;
  options.cpus = {100000};
  EXPECT_NE(Engine::load(model, options).status().message().find("not available to this process"),
            std::string::npos);
}

TEST(EngineTest, OversubscribedPlacementWrapsAndSaysSo) {
  auto placement = runtime::place_instances(3, 2, {0, 1}, true);
  ASSERT_TRUE(placement.is_ok()) << placement.status().to_string();
  EXPECT_TRUE(placement->oversubscribed);
  EXPECT_NE(placement->note.find("3 instances x 2 cores per instance = 6 threads on 2 CPUs"), std::string::npos)
      << placement->note;
  // Sets wrap; each starts where callers have run least, so the callers spread over both CPUs.
  EXPECT_EQ(placement->cpus, (std::vector<std::vector<int>>{{0, 1}, {1, 0}, {0, 1}}));
  EXPECT_EQ(runtime::cpu_sets(2, 3, {0, 1, 2, 3}),
            (std::vector<std::vector<int>>{{0, 1, 2}, {3, 0, 1}}));
  EXPECT_EQ(runtime::cpu_sets(3, 1, {4, 5}), (std::vector<std::vector<int>>{{4}, {5}, {4}}));
  auto disjoint = runtime::place_instances(2, 1, {0, 1}, true);
  ASSERT_TRUE(disjoint.is_ok());
  EXPECT_FALSE(disjoint->oversubscribed);
  EXPECT_EQ(disjoint->cpus, (std::vector<std::vector<int>>{{0}, {1}}));
}

int current_thread_cpu_count() {
  cpu_set_t set;
  CPU_ZERO(&set);
  return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 0;
}

TEST(EngineTest, PinnedCallerNarrowsNeitherLaterPlacementsNorNewWorkers) {
  // Regression: run() leaves its caller pinned to one CPU; the CPUs an engine may use were then
  // read from that thread's affinity, so a second engine loaded on it saw a 1-CPU machine, and
  // unpinned pool workers it started inherited the caller's single CPU.
  const std::vector<int> before = runtime::allowed_cpus();
  if (before.size() < 2) GTEST_SKIP() << "needs at least 2 CPUs";
  std::thread caller([&] {
    const std::string model = kZoo + "deepfm_opset14/model.onnx";
    EngineOptions options;
    options.instances = 2;
    auto first = load_engine(model, options);
    ASSERT_NE(first, nullptr);
    std::vector<Tensor> out;
    ASSERT_TRUE(first->run(zoo_inputs("deepfm_opset14"), out).is_ok());
    EXPECT_EQ(current_thread_cpu_count(), 1);  // the documented pin of the calling thread
    EXPECT_EQ(runtime::allowed_cpus(), before);
    auto second = load_engine(model, options);
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(second->placement().cpus.size(), 2u);
    EXPECT_FALSE(second->placement().oversubscribed) << second->placement().note;

    runtime::ThreadPool pool(2);  // unpinned, started from the pinned caller
    std::atomic<int> widest{0};
    pool.run(64, 1, [&](int64_t, int64_t) {
      int n = current_thread_cpu_count();
      int seen = widest.load();
      while (n > seen && !widest.compare_exchange_weak(seen, n)) {
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    });
    EXPECT_EQ(widest.load(), static_cast<int>(before.size()));
  });
  caller.join();
}

TEST(EngineTest, MatchesSessionAndChecksInputs) {
  const std::string model = kZoo + "dlrm_small_opset14/model.onnx";
  auto session = Session::load(model);
  ASSERT_TRUE(session.is_ok());
  const auto inputs = zoo_inputs("dlrm_small_opset14");
  std::vector<Tensor> expected;
  ASSERT_TRUE((*session)->run(inputs, expected).is_ok());

  for (InputStaging staging : {InputStaging::kPerTensor, InputStaging::kBatched}) {
    EngineOptions options;
    options.instances = 2;
    options.cores_per_instance = 2;
    options.core_limit = {2, 1};
    options.staging = staging;
    auto engine = load_engine(model, options);
    ASSERT_NE(engine, nullptr);
    auto packed = PackedRequest::pack(inputs);
    ASSERT_TRUE(packed.is_ok());
    for (const auto* request : {&inputs, &packed->tensors()}) {
      std::vector<Tensor> out;
      ASSERT_TRUE(engine->run(*request, out).is_ok());
      auto cmp = tooling::compare_outputs(out, expected, tooling::Tolerance{1e-6, 1e-5});
      EXPECT_TRUE(cmp.ok) << cmp.message;
    }
    std::vector<Tensor> out;
    std::vector<Tensor> short_inputs(inputs.begin(), inputs.end() - 1);
    Status st = engine->run(short_inputs, out);
    EXPECT_NE(st.message().find("model takes 53 inputs, got 52"), std::string::npos) << st.message();
    std::vector<Tensor> wrong = inputs;
    wrong[1] = *Tensor::allocate(DType::kInt32, wrong[1].shape());
    st = engine->run(wrong, out);
    EXPECT_NE(st.message().find("input 'indices_0' must be int64, got int32"), std::string::npos)
        << st.message();
    EXPECT_EQ(engine->stats().inferences, 2u);
  }
}

TEST(EngineTest, CountsStagingCopiesAndBytes) {
  // dlrm_small: 53 inputs, the zoo model with the most.
  const std::string model = kZoo + "dlrm_small_opset14/model.onnx";
  const auto inputs = zoo_inputs("dlrm_small_opset14");
  ASSERT_EQ(inputs.size(), 53u);
  size_t bytes = 0, nonempty = 0;
  for (const Tensor& t : inputs) {
    bytes += t.bytes();
    nonempty += t.bytes() > 0;
  }
  auto packed = PackedRequest::pack(inputs);
  ASSERT_TRUE(packed.is_ok());
  std::vector<Tensor> out;

  EngineOptions options;
  options.staging = InputStaging::kPerTensor;
  auto per_tensor = load_engine(model, options);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(per_tensor->run(inputs, out).is_ok());
  EngineStats s = per_tensor->stats();
  EXPECT_EQ(s.inferences, 3u);
  EXPECT_EQ(s.staging_copies, 3 * nonempty);  // one copy per input
  EXPECT_EQ(s.staged_bytes, 3 * bytes);
  EXPECT_DOUBLE_EQ(s.copies_per_inference(), static_cast<double>(nonempty));

  options.staging = InputStaging::kBatched;
  auto batched = load_engine(model, options);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(batched->run(packed->tensors(), out).is_ok());
  s = batched->stats();
  EXPECT_EQ(s.staging_copies, 3u);  // exactly one per inference
  EXPECT_GE(s.staged_bytes, 3 * bytes);  // the packed block includes 64-byte alignment padding
  EXPECT_LE(s.staged_bytes, 3 * (bytes + 64 * inputs.size()));
  batched->reset_stats();
  ASSERT_TRUE(batched->run(inputs, out).is_ok());  // not packed: bound zero-copy
  EXPECT_EQ(batched->stats().staging_copies, 0u);
  EXPECT_EQ(batched->stats().inferences, 1u);
}

TEST(EngineTest, StagingTimeHistogramGivesTheMedianWithinABucket) {
  runtime::DurationHistogram h;
  for (int i = 0; i < 99; ++i) h.add(1000);  // 1 us
  h.add(50'000'000);                          // one preempted request: 50 ms
  std::array<uint64_t, runtime::DurationHistogram::kBuckets> counts{};
  h.merge_into(counts);
  const double p50 = runtime::DurationHistogram::percentile(counts, 50);
  EXPECT_GE(p50, 1000 * 0.94);
  EXPECT_LE(p50, 1000 * 1.07);
  EXPECT_GT(runtime::DurationHistogram::percentile(counts, 100), 40'000'000);
  for (uint64_t ns : {0ull, 3ull, 7ull, 8ull, 15ull, 16ull, 100ull, 12345ull, 1ull << 39}) {
    runtime::DurationHistogram one;
    one.add(ns);
    std::array<uint64_t, runtime::DurationHistogram::kBuckets> c{};
    one.merge_into(c);
    const double got = runtime::DurationHistogram::percentile(c, 50);
    EXPECT_GE(got, static_cast<double>(ns) * 0.94) << ns;
    EXPECT_LE(got, static_cast<double>(ns) * 1.07 + 0.5) << ns;
  }
}

TEST(EngineTest, BatchedStagingDoesNotAllocateInSteadyState) {
  for (const char* name : {"deepfm_opset14", "dlrm_small_opset14"}) {
    EngineOptions options;
    options.instances = 2;
    options.staging = InputStaging::kBatched;
    auto engine = load_engine(kZoo + name + "/model.onnx", options);
    ASSERT_NE(engine, nullptr);
    auto packed = PackedRequest::pack(zoo_inputs(name));
    ASSERT_TRUE(packed.is_ok());
    ASSERT_TRUE(engine->prepare(packed->tensors()).is_ok());
    std::vector<Tensor> out;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(engine->run(packed->tensors(), out).is_ok());
    testing::start_counting_allocations();
    for (int i = 0; i < 20; ++i) {
      Status st = engine->run(packed->tensors(), out);
      if (!st.is_ok()) {
        testing::stop_counting_allocations();
        FAIL() << st.to_string();
      }
    }
    EXPECT_EQ(testing::stop_counting_allocations(), 0) << name;
    EXPECT_EQ(engine->stats().staging_copies, engine->stats().inferences);
  }
}

TEST(EngineTest, AlternatingBatchSizesDoesNotRecompileAfterWarmup) {
  const std::string name = "dlrm_small_opset14";
  EngineOptions options;
  options.instances = 2;
  auto engine = load_engine(kZoo + name + "/model.onnx", options);
  ASSERT_NE(engine, nullptr);
  auto layout = tooling::detect_batch_layout(engine->inputs());
  ASSERT_TRUE(layout.is_ok());
  std::vector<PackedRequest> requests;
  for (int64_t batch : {8, 32, 5}) {
    auto inputs = tooling::rebatch(*layout, zoo_inputs(name), batch);
    ASSERT_TRUE(inputs.is_ok());
    requests.push_back(*PackedRequest::pack(*inputs));
    ASSERT_TRUE(engine->prepare(requests.back().tensors()).is_ok());
  }
  EngineStats warm = engine->stats();
  EXPECT_EQ(warm.plans_built, 3u);              // one plan per batch size, shared
  EXPECT_EQ(warm.executors_created, 3u * 2u);   // an arena per batch size per instance
  std::vector<Tensor> out;
  for (int i = 0; i < 30; ++i) {
    const PackedRequest& r = requests[static_cast<size_t>(i) % requests.size()];
    ASSERT_TRUE(engine->run(r.tensors(), out).is_ok());
    EXPECT_EQ(out[0].shape()[0], r.tensors()[0].shape()[0]);
  }
  EngineStats after = engine->stats();
  EXPECT_EQ(after.plans_built, warm.plans_built);
  EXPECT_EQ(after.executors_created, warm.executors_created);
}

// Records which threads ran chunks under which cap.
class ThreadProbe final : public runtime::ParallelProbe {
 public:
  void on_chunk(int cap) override {
    std::lock_guard<std::mutex> lock(mutex_);
    threads_[cap].insert(std::this_thread::get_id());
  }
  std::map<int, std::set<std::thread::id>> threads() {
    std::lock_guard<std::mutex> lock(mutex_);
    return threads_;
  }

 private:
  std::mutex mutex_;
  std::map<int, std::set<std::thread::id>> threads_;
};

TEST(EngineTest, CoreLimitCapsThreadsPerOpClass) {
  // MatMul (GEMM class) then Relu and Add (vector class), big enough to split over 2 threads.
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {-1, 256});
  b.initializer_f32("w", {256, 256}, std::vector<float>(256 * 256, 0.01f));
  b.node("MatMul", {"x", "w"}, {"h"});
  b.node("Relu", {"h"}, {"r"});
  b.node("Add", {"r", "r"}, {"y"});
  b.output("y", onnx::TensorProto::FLOAT, {-1, 256});
  const std::string path = b.write(testing::temp_dir("engine_core_limit"));
  auto model = runtime::compile_model(path, {});
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  auto x = Tensor::allocate(DType::kFloat32, Shape{512, 256});
  ASSERT_TRUE(x.is_ok());
  const std::vector<Tensor> inputs{*x};

  for (CoreLimit limit : {CoreLimit{2, 1}, CoreLimit{1, 2}}) {
    runtime::PlanCache plans(model->graph, 4);
    runtime::InstanceConfig config;
    config.threads = 2;
    config.core_limit = limit;
    runtime::Instance instance(model->graph, plans, config);
    ThreadProbe probe;
    instance.set_probe(&probe);
    std::vector<Tensor> out;
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(instance.run(inputs, out).is_ok());
    auto seen = probe.threads();
    // Both classes ran parallel jobs under their own cap; cap-1 jobs stayed on one thread.
    ASSERT_EQ(seen.size(), 2u) << limit.to_string();
    EXPECT_EQ(seen[1].size(), 1u) << limit.to_string();
    EXPECT_LE(seen[2].size(), 2u);
  }
}

TEST(EngineTest, KernelsSeeTheCapAsTheirThreadCount) {
  runtime::ThreadPool pool(2);
  runtime::CappedParallelFor parallel(pool);
  const int caps[] = {1, 0, 2};
  parallel.set_step_caps(caps);
  parallel.on_step_begin(0);
  EXPECT_EQ(parallel.num_threads(), 1);
  parallel.on_step_begin(1);
  EXPECT_EQ(parallel.num_threads(), 2);
  parallel.on_step_begin(2);
  EXPECT_EQ(parallel.num_threads(), 2);
}

// N callers and N instances: every caller gets an instance at once. Each caller holds its
// instance until all N hold one, which only terminates if nobody waited behind an idle one.
TEST(InstanceSchedulerTest, NoCallerWaitsWhileAnInstanceIsIdle) {
  constexpr int kInstances = 4;
  runtime::InstanceScheduler scheduler(kInstances);
  for (int round = 0; round < 50; ++round) {
    std::mutex mutex;
    std::condition_variable all_in;
    int holding = 0;
    bool timed_out = false;
    std::set<int> owned;
    std::vector<std::thread> callers;
    for (int c = 0; c < kInstances; ++c) {
      callers.emplace_back([&] {
        runtime::InstanceLease lease(scheduler);
        std::unique_lock<std::mutex> lock(mutex);
        owned.insert(lease.index());
        if (++holding == kInstances) all_in.notify_all();
        if (!all_in.wait_for(lock, std::chrono::seconds(20), [&] { return holding == kInstances; })) {
          timed_out = true;
        }
      });
    }
    for (auto& t : callers) t.join();
    ASSERT_FALSE(timed_out) << "a caller waited while an instance was idle (round " << round << ")";
    EXPECT_EQ(owned.size(), static_cast<size_t>(kInstances));
  }
}

TEST(InstanceSchedulerTest, ExtraCallerWaitsForARelease) {
  runtime::InstanceScheduler scheduler(1);
  std::atomic<bool> got{false};
  int first = scheduler.acquire();
  std::thread waiter([&] {
    runtime::InstanceLease lease(scheduler);
    got = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(got.load());
  scheduler.release(first);
  waiter.join();
  EXPECT_TRUE(got.load());
}

// Callers are served in arrival order: with every instance held, callers queue one by one
// (each joins only after the previous is seen waiting); each takes the instance twice, and its
// second request must wait behind everyone already queued. A caller that just released cannot
// jump the queue, which is what starved requests under the semaphore scheduler.
TEST(InstanceSchedulerTest, CallersAreServedInArrivalOrder) {
  runtime::InstanceScheduler scheduler(1);
  const int held = scheduler.acquire();
  constexpr int kCallers = 6;
  std::mutex mutex;
  std::vector<int> order;
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      for (int round = 0; round < 2; ++round) {
        runtime::InstanceLease lease(scheduler);
        std::lock_guard<std::mutex> lock(mutex);
        order.push_back(c);
      }
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (scheduler.waiting() != c + 1 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    ASSERT_EQ(scheduler.waiting(), c + 1) << "caller " << c << " never queued";
  }
  scheduler.release(held);
  for (auto& t : callers) t.join();
  // The first requests, all queued before the first release, go out in arrival order, ahead of
  // every second request (whose relative order is a race between the callers).
  ASSERT_EQ(order.size(), 2u * kCallers);
  const std::vector<int> first(order.begin(), order.begin() + kCallers);
  EXPECT_EQ(first, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(scheduler.waiting(), 0);
}

TEST(EngineTest, ConcurrentCallersGetCorrectOutputsOnEveryInstance) {
  const std::string name = "deepfm_opset14";
  auto session = Session::load(kZoo + name + "/model.onnx");
  ASSERT_TRUE(session.is_ok());
  const auto inputs = zoo_inputs(name);
  std::vector<Tensor> expected;
  ASSERT_TRUE((*session)->run(inputs, expected).is_ok());
  EngineOptions options;
  options.instances = 3;
  auto engine = load_engine(kZoo + name + "/model.onnx", options);
  ASSERT_NE(engine, nullptr);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 6; ++c) {
    callers.emplace_back([&] {
      std::vector<Tensor> out;
      for (int i = 0; i < 40; ++i) {
        if (!engine->run(inputs, out).is_ok() ||
            !tooling::compare_outputs(out, expected, tooling::Tolerance{0, 0}).ok) {
          ++mismatches;
        }
      }
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(mismatches.load(), 0);
  EngineStats s = engine->stats();
  EXPECT_EQ(s.inferences, 240u);
  EXPECT_LE(s.peak_in_flight, 3);
  uint64_t sum = 0;
  for (const InstanceStats& i : s.instances) sum += i.inferences;
  EXPECT_EQ(sum, 240u);
}

}  // namespace
}  // namespace recinfer
