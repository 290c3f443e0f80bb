// One loaded, warmed-up version of a model: its config, Engine, signature and dynamic batcher.
// The repository holds the current ServedModel of each model in a shared_ptr; a request keeps
// the version it started on alive until it is answered, so a version switch never fails one.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "recinfer/engine.h"
#include "serve/batcher.h"
#include "serve/infer_types.h"
#include "serve/metrics.h"
#include "serve/model_config.h"
#include "serve/request_validation.h"

namespace recinfer::serve {

// Per-version request counters (the statistics extension and ModelRepository::stats()).
struct RequestCounters {
  std::atomic<uint64_t> success{0};
  std::atomic<uint64_t> failure{0};
  std::atomic<uint64_t> queue_ns{0};
  std::atomic<uint64_t> compute_ns{0};
};

// The numeric version subfolders of a model folder (DIR/<name>/<N>/model.onnx), ascending;
// empty when the folder holds model.onnx itself (served as version 1).
Result<std::vector<int64_t>> model_versions(const std::string& model_dir);

class ServedModel {
 public:
  // Loads DIR/<name> at `version` (-1 = the highest on disk), reads its config.json, compiles
  // and warms the Engine for every plan bucket and warm-up size, and starts the batcher.
  static Result<std::shared_ptr<ServedModel>> load(const std::string& model_dir,
                                                   const std::string& name, int64_t version,
                                                   Metrics* metrics);
  ~ServedModel();

  const std::string& name() const { return config_.name; }
  const std::string& version() const { return version_; }
  const ModelConfig& config() const { return config_; }
  const ModelSignature& signature() const { return signature_; }
  const std::vector<int64_t>& buckets() const { return buckets_; }
  ModelMetadata metadata() const;
  DynamicBatcher& batcher() { return *batcher_; }
  const DynamicBatcher& batcher() const { return *batcher_; }
  ModelMetrics* metrics() const { return metrics_.get(); }
  RequestCounters& counters() { return counters_; }
  const RequestCounters& counters() const { return counters_; }
  const Engine& engine() const { return *engine_; }

 private:
  ServedModel() = default;

  ModelConfig config_;
  std::string version_;
  ModelSignature signature_;
  std::vector<int64_t> buckets_;
  std::shared_ptr<ModelMetrics> metrics_;
  RequestCounters counters_;
  std::shared_ptr<Engine> engine_;
  std::unique_ptr<DynamicBatcher> batcher_;  // declared last: stopped before the engine goes
};

}  // namespace recinfer::serve
