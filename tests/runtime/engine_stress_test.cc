// Hammers one Engine from several threads: mixed batch sizes (plans built concurrently on
// first use), both staging modes, a core limit, concurrent stats()/prepare()/reset_stats().
// Run under ThreadSanitizer by scripts/tsan.sh (filter EngineStress*); a plain build runs it too.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "recinfer/engine.h"
#include "tooling/batching.h"
#include "tooling/tensor_compare.h"
#include "tooling/test_data.h"

namespace recinfer {
namespace {

const std::string kZoo = std::string(RECINFER_SOURCE_DIR) + "/models/zoo/";

struct Case {
  std::vector<Tensor> inputs;  // packed or not
  std::vector<Tensor> expected;
};

void hammer(const std::string& name, InputStaging staging, int instances, int cores,
            CoreLimit limit, std::vector<int64_t> batches = {3, 7, 16}, bool optimize = true) {
  const std::string model = kZoo + name + "/model.onnx";
  SessionOptions session_options;
  session_options.optimize = optimize;
  auto session = Session::load(model, session_options);
  ASSERT_TRUE(session.is_ok()) << session.status().to_string();
  auto source = tooling::read_tensor_dir(kZoo + name + "/test_data_set_0", "input");
  ASSERT_TRUE(source.is_ok());
  auto layout = tooling::detect_batch_layout((*session)->inputs());
  ASSERT_TRUE(layout.is_ok());

  std::vector<Case> cases;
  for (int64_t batch : batches) {
    auto inputs = tooling::rebatch(*layout, *source, batch);
    ASSERT_TRUE(inputs.is_ok()) << inputs.status().to_string();
    Case c;
    std::vector<Tensor> out;
    ASSERT_TRUE((*session)->run(*inputs, out).is_ok());
    for (const Tensor& t : out) c.expected.push_back(*t.clone());
    c.inputs = *inputs;
    cases.push_back(c);
    auto packed = PackedRequest::pack(*inputs);
    ASSERT_TRUE(packed.is_ok());
    c.inputs = packed->tensors();
    cases.push_back(c);
  }

  EngineOptions options;
  options.instances = instances;
  options.cores_per_instance = cores;
  options.core_limit = limit;
  options.staging = staging;
  options.pin = false;  // several test processes may run at once
  options.optimize = optimize;
  auto engine = Engine::load(model, options);
  ASSERT_TRUE(engine.is_ok()) << engine.status().to_string();

  constexpr int kCallers = 4;
  constexpr int kRequests = 24;
  std::atomic<int> failures{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < kCallers; ++c) {
    threads.emplace_back([&, c] {
      std::vector<Tensor> out;
      for (int i = 0; i < kRequests; ++i) {
        const Case& k = cases[static_cast<size_t>(c + i) % cases.size()];
        Status st = (*engine)->run(k.inputs, out);
        if (!st.is_ok() ||
            !tooling::compare_outputs(out, k.expected, tooling::Tolerance{1e-5, 1e-4}).ok) {
          ++failures;
        }
      }
    });
  }
  threads.emplace_back([&] {  // observer: stats, prepare and resets while requests run
    int i = 0;
    while (!done.load()) {
      EngineStats s = (*engine)->stats();
      if (s.peak_in_flight > instances) ++failures;
      if (i % 8 == 0) {
        if (!(*engine)->prepare(cases[static_cast<size_t>(i) % cases.size()].inputs).is_ok()) ++failures;
      }
      if (i % 16 == 5) (*engine)->reset_stats();
      ++i;
      std::this_thread::yield();
    }
  });
  for (int c = 0; c < kCallers; ++c) threads[static_cast<size_t>(c)].join();
  done = true;
  threads.back().join();
  EXPECT_EQ(failures.load(), 0) << name;
  EXPECT_LE((*engine)->stats().plans_built, 3u);
}

TEST(EngineStressTest, DlrmBatchedStagingWithCoreLimit) {
  hammer("dlrm_small_opset14", InputStaging::kBatched, 2, 2, CoreLimit{2, 1});
}

TEST(EngineStressTest, DeepfmPerTensorStagingManyInstances) {
  hammer("deepfm_opset14", InputStaging::kPerTensor, 3, 1, CoreLimit{});
}

TEST(EngineStressTest, WeightedBagUnoptimisedLoopGraph) {
  // Passes off: the exported Loop subgraphs (shared Loop kernels, per-run body executors).
  hammer("weighted_bag_opset11", InputStaging::kBatched, 2, 2, CoreLimit{1, 2}, {3, 7, 16}, false);
}

TEST(EngineStressTest, CoarseRankDynamicShapes) {
  // TopK 50 over the candidates: at least 50 of them.
  hammer("coarse_rank_opset14", InputStaging::kPerTensor, 2, 2, CoreLimit{}, {50, 123, 400});
}

TEST(EngineStressTest, ThreeThreadInstancesWithChangingJobWidths) {
  // A 3|2 limit on 3-thread instances makes consecutive parallel jobs use 3, then 2 threads:
  // workers left out of one job must not mistake the next job for theirs.
  hammer("dlrm_small_opset14", InputStaging::kBatched, 1, 3, CoreLimit{3, 2});
  hammer("deepfm_opset14", InputStaging::kPerTensor, 2, 3, CoreLimit{2, 3}, {5, 64, 200});
}

}  // namespace
}  // namespace recinfer
