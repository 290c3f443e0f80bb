// Engine profiling (`recinfer profile` with engine options): one recorder per instance, merged
// into one profile whose threads, staging copies and queue waits say which instance did what.
// Part of the EngineTest suite, so the ThreadSanitizer job (scripts/tsan.sh) runs it too.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "profiler/analysis.h"
#include "profiler/export.h"
#include "profiler/merge.h"
#include "profiler/recorder.h"
#include "recinfer/engine.h"
#include "support/model_builder.h"
#include "tooling/test_data.h"

namespace recinfer {
namespace {

const std::string kZoo = std::string(RECINFER_SOURCE_DIR) + "/models/zoo/";

TEST(EngineTest, ProfiledRunsRecordEveryInstanceWithCopiesAndQueueWaits) {
  EngineOptions options;
  options.instances = 2;
  options.cores_per_instance = 1;
  options.pin = false;
  options.staging = InputStaging::kPerTensor;
  auto engine = Engine::load(kZoo + "dlrm_small_opset14/model.onnx", options);
  ASSERT_TRUE(engine.is_ok()) << engine.status().to_string();
  auto inputs = tooling::read_tensor_dir(kZoo + "dlrm_small_opset14/test_data_set_0", "input");
  ASSERT_TRUE(inputs.is_ok());
  ASSERT_EQ(inputs->size(), 53u);

  std::vector<std::unique_ptr<profiler::Recorder>> recorders;
  std::vector<profiler::Recorder*> attached;
  for (int i = 0; i < 2; ++i) {
    recorders.push_back(std::make_unique<profiler::Recorder>());
    attached.push_back(recorders.back().get());
  }
  EXPECT_FALSE((*engine)->set_recorders({attached[0]}).is_ok());  // one per instance
  ASSERT_TRUE((*engine)->set_recorders(attached).is_ok());
  constexpr int kCallers = 3, kRequests = 20;  // 3 callers on 2 instances: some requests queue
  std::vector<std::thread> callers;
  std::atomic<int> failures{0};
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&] {
      std::vector<Tensor> outputs;
      for (int r = 0; r < kRequests; ++r) {
        if (!(*engine)->run(*inputs, outputs).is_ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : callers) t.join();
  ASSERT_TRUE((*engine)->set_recorders({}).is_ok());
  ASSERT_EQ(failures.load(), 0);

  std::vector<profiler::Profile> parts;
  for (auto& r : recorders) parts.push_back(r->take());
  const profiler::Profile merged = profiler::merge_instance_profiles(std::move(parts), 1);
  const int total = kCallers * kRequests;
  ASSERT_EQ(merged.inferences.size(), static_cast<size_t>(total));
  EXPECT_EQ(merged.num_threads, 2);
  std::set<int> callers_seen;
  for (const auto& inf : merged.inferences) callers_seen.insert(inf.caller_thread);
  EXPECT_EQ(callers_seen, (std::set<int>{0, 1}));  // both instances served requests
  int64_t copies = 0, queue_waits = 0, ops_on[2] = {0, 0};
  for (const auto& e : merged.events) {
    if (e.kind == profiler::EventKind::kStagingCopy) ++copies;
    if (e.kind == profiler::EventKind::kQueueWait) ++queue_waits;
    if (e.kind == profiler::EventKind::kOp && e.thread >= 0 && e.thread < 2) ++ops_on[e.thread];
  }
  EXPECT_EQ(copies, 53 * total);  // one per input tensor per request
  EXPECT_EQ(queue_waits, total);
  EXPECT_GT(ops_on[0], 0);  // each instance's calling thread ran its ops
  EXPECT_GT(ops_on[1], 0);
  EXPECT_EQ(ops_on[0] + ops_on[1], static_cast<int64_t>(merged.ops.size()));
  const auto rows = profiler::op_rows(merged);
  const profiler::Summary summary = profiler::summarize(merged, rows, {});
  EXPECT_DOUBLE_EQ(summary.staging_copies, 53.0);
  EXPECT_GT(summary.queue_wait_us, 0.0);
  ASSERT_EQ(summary.per_thread.size(), 2u);
  for (const auto& t : summary.per_thread) EXPECT_GT(t.busy_us, 0.0);

  const std::string path = testing::temp_dir("engine_trace") + "/trace.json";
  ASSERT_TRUE(profiler::write_chrome_trace(merged, rows, path).is_ok());
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  for (const char* expected : {"instance 0 thread 0 (caller)", "instance 1 thread 0 (caller)",
                               "\"staging copy\"", "\"queue wait\"", "\"EmbeddingBag\""}) {
    EXPECT_NE(text.str().find(expected), std::string::npos) << expected;
  }

  // The HTML timeline: named lanes, and each inference's ops on its own instance's lane.
  const std::string html_path = testing::temp_dir("engine_html") + "/report.html";
  profiler::HtmlOptions html;
  html.max_inferences = static_cast<size_t>(total);
  ASSERT_TRUE(profiler::write_html_report(merged, rows, summary, html, html_path).is_ok());
  std::ifstream html_file(html_path);
  std::stringstream page;
  page << html_file.rdbuf();
  const std::string names =
      "\"threadNames\":[\"instance 0 thread 0 (caller)\",\"instance 1 thread 0 (caller)\"]";
  EXPECT_NE(page.str().find(names), std::string::npos);
  for (const char* lane : {",0,\"o\",", ",1,\"o\","}) {
    EXPECT_NE(page.str().find(lane), std::string::npos) << "no op event on lane " << lane;
  }
}

}  // namespace
}  // namespace recinfer
