#include "serve/metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace recinfer::serve {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MetricsTest, TritonNamesAndLabels) {
  Metrics metrics;
  auto m = metrics.model("dlrm", "2");
  EXPECT_EQ(metrics.model("dlrm", "2"), m);  // one handle per (model, version)
  m->request_succeeded(5000, 1000, 3000, 4);
  m->request_succeeded(5000, 2000, 3000, 2);
  m->request_failed(FailureReason::kRejected, 10);
  m->request_failed(FailureReason::kTimeout, 10);
  m->batch_executed(6);
  m->pending_changed(+2);
  m->pending_changed(-1);
  const std::string text = metrics.serialize_text();
  const std::string labels = "{model=\"dlrm\",version=\"2\"}";
  EXPECT_TRUE(contains(text, "nv_inference_request_success" + labels + " 2")) << text;
  EXPECT_TRUE(contains(text, "nv_inference_count" + labels + " 6")) << text;
  EXPECT_TRUE(contains(text, "nv_inference_exec_count" + labels + " 1")) << text;
  EXPECT_TRUE(contains(text, "nv_inference_queue_duration_us" + labels + " 3")) << text;
  EXPECT_TRUE(contains(text, "nv_inference_compute_infer_duration_us" + labels + " 6")) << text;
  EXPECT_TRUE(contains(text, "nv_inference_request_duration_us" + labels + " 10.02")) << text;
  EXPECT_TRUE(contains(text, "nv_inference_pending_request_count" + labels + " 1")) << text;
  EXPECT_TRUE(contains(
      text, "nv_inference_request_failure{model=\"dlrm\",reason=\"REJECTED\",version=\"2\"} 1"))
      << text;
  EXPECT_TRUE(contains(
      text, "nv_inference_request_failure{model=\"dlrm\",reason=\"TIMEOUT\",version=\"2\"} 1"))
      << text;
  EXPECT_TRUE(contains(
      text, "nv_inference_request_failure{model=\"dlrm\",reason=\"BAD_REQUEST\",version=\"2\"} 0"))
      << text;
  EXPECT_TRUE(contains(text, "recinfer_batch_size_bucket{model=\"dlrm\",version=\"2\",le=\"8\"} 1"))
      << text;
  EXPECT_TRUE(contains(text, "recinfer_queue_latency_us_count" + labels + " 2")) << text;
  EXPECT_TRUE(contains(text, "nv_cpu_utilization ")) << text;
}

}  // namespace
}  // namespace recinfer::serve
