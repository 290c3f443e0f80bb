// Prometheus metrics of the model server, with Triton's names and labels (model, version) so
// Triton dashboards and alerts work unchanged:
//   nv_inference_request_success / nv_inference_request_failure{reason}  requests (counters)
//   nv_inference_count         rows inferred (request batch sizes, padding excluded)
//   nv_inference_exec_count    batches executed
//   nv_inference_request_duration_us, nv_inference_queue_duration_us,
//   nv_inference_compute_infer_duration_us   cumulative microseconds (counters)
//   nv_inference_pending_request_count       requests received and not yet answered (gauge)
//   nv_cpu_utilization         this process's CPU use since the previous scrape, 0..1 of all
//                              usable CPUs (gauge, from /proc/self/stat)
// and recinfer's own histograms: recinfer_batch_size (real rows per executed batch) and
// recinfer_queue_latency_us (per request).
//
// Thread-safety: every member may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "recinfer/status.h"

namespace recinfer::serve {

// nv_inference_request_failure's reason label.
enum class FailureReason { kBadRequest, kRejected, kTimeout, kUnavailable, kInternal };
const char* failure_reason_label(FailureReason reason);  // "BAD_REQUEST", "REJECTED", ...

// The metrics of one model version: pointers into the registry, cheap to update.
class ModelMetrics {
 public:
  struct Impl;
  explicit ModelMetrics(std::unique_ptr<Impl> impl);
  ~ModelMetrics();

  void request_succeeded(uint64_t request_ns, uint64_t queue_ns, uint64_t compute_ns,
                         int64_t rows);
  void request_failed(FailureReason reason, uint64_t request_ns);
  void batch_executed(int64_t real_rows);
  void pending_changed(int delta);

 private:
  std::unique_ptr<Impl> impl_;
};

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // The handle of (model, version), created on first use and then shared.
  std::shared_ptr<ModelMetrics> model(const std::string& name, const std::string& version);

  // Every metric in the Prometheus text exposition format (what GET /metrics returns).
  std::string serialize_text();


  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace recinfer::serve
