#include "serve/metrics.h"

#include <map>
#include <mutex>
#include <utility>

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "serve/cpu_usage.h"

namespace recinfer::serve {

namespace {

constexpr FailureReason kReasons[] = {FailureReason::kBadRequest, FailureReason::kRejected,
                                      FailureReason::kTimeout, FailureReason::kUnavailable,
                                      FailureReason::kInternal};

double to_us(uint64_t ns) { return static_cast<double>(ns) / 1e3; }

}  // namespace

const char* failure_reason_label(FailureReason reason) {
  switch (reason) {
    case FailureReason::kBadRequest: return "BAD_REQUEST";
    case FailureReason::kRejected: return "REJECTED";
    case FailureReason::kTimeout: return "TIMEOUT";
    case FailureReason::kUnavailable: return "UNAVAILABLE";
    case FailureReason::kInternal: return "INTERNAL";
  }
  return "INTERNAL";
}

struct ModelMetrics::Impl {
  prometheus::Counter* success = nullptr;
  prometheus::Counter* failure[5] = {};
  prometheus::Counter* inference_count = nullptr;
  prometheus::Counter* exec_count = nullptr;
  prometheus::Counter* request_us = nullptr;
  prometheus::Counter* queue_us = nullptr;
  prometheus::Counter* compute_us = nullptr;
  prometheus::Gauge* pending = nullptr;
  prometheus::Histogram* batch_size = nullptr;
  prometheus::Histogram* queue_latency = nullptr;
};

ModelMetrics::ModelMetrics(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ModelMetrics::~ModelMetrics() = default;

void ModelMetrics::request_succeeded(uint64_t request_ns, uint64_t queue_ns, uint64_t compute_ns,
                                     int64_t rows) {
  impl_->success->Increment();
  impl_->inference_count->Increment(static_cast<double>(rows));
  impl_->request_us->Increment(to_us(request_ns));
  impl_->queue_us->Increment(to_us(queue_ns));
  impl_->compute_us->Increment(to_us(compute_ns));
  impl_->queue_latency->Observe(to_us(queue_ns));
}

void ModelMetrics::request_failed(FailureReason reason, uint64_t request_ns) {
  impl_->failure[static_cast<int>(reason)]->Increment();
  impl_->request_us->Increment(to_us(request_ns));
}

void ModelMetrics::batch_executed(int64_t real_rows) {
  impl_->exec_count->Increment();
  impl_->batch_size->Observe(static_cast<double>(real_rows));
}

void ModelMetrics::pending_changed(int delta) { impl_->pending->Increment(delta); }

// Samples the CPU gauge whenever the registry is collected (scrape or serialize_text).
class CollectHook : public prometheus::Collectable {
 public:
  CollectHook(std::shared_ptr<prometheus::Registry> registry, prometheus::Gauge* cpu)
      : registry_(std::move(registry)), cpu_(cpu) {}
  std::vector<prometheus::MetricFamily> Collect() const override {
    cpu_->Set(sampler_.sample());
    return registry_->Collect();
  }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Gauge* cpu_;
  mutable CpuUsageSampler sampler_;
};

struct Metrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>* success;
  prometheus::Family<prometheus::Counter>* failure;
  prometheus::Family<prometheus::Counter>* inference_count;
  prometheus::Family<prometheus::Counter>* exec_count;
  prometheus::Family<prometheus::Counter>* request_us;
  prometheus::Family<prometheus::Counter>* queue_us;
  prometheus::Family<prometheus::Counter>* compute_us;
  prometheus::Family<prometheus::Gauge>* pending;
  prometheus::Family<prometheus::Histogram>* batch_size;
  prometheus::Family<prometheus::Histogram>* queue_latency;
  std::shared_ptr<CollectHook> hook;
  std::mutex mutex;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<ModelMetrics>> models;

  prometheus::Family<prometheus::Counter>* counter(const char* name, const char* help) {
    return &prometheus::BuildCounter().Name(name).Help(help).Register(*registry);
  }
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.success = m.counter("nv_inference_request_success", "Number of successful inference requests");
  m.failure = m.counter("nv_inference_request_failure",
                        "Number of failed inference requests, by reason");
  m.inference_count = m.counter("nv_inference_count",
                                "Number of inferences performed (request rows, padding excluded)");
  m.exec_count = m.counter("nv_inference_exec_count", "Number of batches executed");
  m.request_us = m.counter("nv_inference_request_duration_us",
                           "Cumulative inference request duration in microseconds");
  m.queue_us = m.counter("nv_inference_queue_duration_us",
                         "Cumulative inference queuing duration in microseconds");
  m.compute_us = m.counter("nv_inference_compute_infer_duration_us",
                           "Cumulative compute inference duration in microseconds");
  m.pending = &prometheus::BuildGauge()
                   .Name("nv_inference_pending_request_count")
                   .Help("Requests received and not yet answered")
                   .Register(*m.registry);
  m.batch_size = &prometheus::BuildHistogram()
                      .Name("recinfer_batch_size")
                      .Help("Real request rows per executed batch")
                      .Register(*m.registry);
  m.queue_latency = &prometheus::BuildHistogram()
                         .Name("recinfer_queue_latency_us")
                         .Help("Time a request waited in the queue, in microseconds")
                         .Register(*m.registry);
  auto& cpu_family = prometheus::BuildGauge()
                         .Name("nv_cpu_utilization")
                         .Help("CPU utilization of this process since the previous scrape [0.0 - 1.0]")
                         .Register(*m.registry);
  m.hook = std::make_shared<CollectHook>(m.registry, &cpu_family.Add({}));
}

Metrics::~Metrics() = default;

std::shared_ptr<ModelMetrics> Metrics::model(const std::string& name, const std::string& version) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto& slot = impl_->models[{name, version}];
  if (slot) return slot;
  const prometheus::Labels labels = {{"model", name}, {"version", version}};
  auto impl = std::make_unique<ModelMetrics::Impl>();
  Impl& m = *impl_;
  impl->success = &m.success->Add(labels);
  for (FailureReason reason : kReasons) {
    prometheus::Labels with_reason = labels;
    with_reason["reason"] = failure_reason_label(reason);
    impl->failure[static_cast<int>(reason)] = &m.failure->Add(with_reason);
  }
  impl->inference_count = &m.inference_count->Add(labels);
  impl->exec_count = &m.exec_count->Add(labels);
  impl->request_us = &m.request_us->Add(labels);
  impl->queue_us = &m.queue_us->Add(labels);
  impl->compute_us = &m.compute_us->Add(labels);
  impl->pending = &m.pending->Add(labels);
  impl->batch_size = &m.batch_size->Add(
      labels, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  impl->queue_latency = &m.queue_latency->Add(
      labels, prometheus::Histogram::BucketBoundaries{10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
                                                      10000, 25000, 50000, 100000, 250000,
                                                      1000000});
  slot = std::make_shared<ModelMetrics>(std::move(impl));
  return slot;
}

std::string Metrics::serialize_text() {
  prometheus::TextSerializer serializer;
  return serializer.Serialize(impl_->hook->Collect());
}


}  // namespace recinfer::serve
