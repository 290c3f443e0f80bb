// The model repository: every model of a folder, loaded, warmed up and served through its own
// dynamic batcher — what `recinfer serve` puts behind the HTTP and gRPC front ends.
//
// Layout (docs/serving.md):
//   DIR/<name>/model.onnx               one version ("1"), external data files beside it
//   DIR/<name>/<N>/model.onnx           numeric versions; the highest is served (policy: latest)
//   DIR/<name>/config.json              optional (serve/model_config.h); beside the versions
//
// Lifecycle: open() loads every model (strict: any failure fails the whole open, naming every
// failing folder; non-strict: the others are served and load_errors() lists the failures);
// ready() once all are warm; begin_shutdown() refuses new requests (kUnavailable); drain()
// waits until every accepted request has its answer. reload()/load_version() load a version
// beside the current one, warm it, switch to it atomically and retire the old one once its last
// request is answered: no request fails because of a switch.
//
// Thread-safety: every member may be called concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "recinfer/status.h"
#include "serve/backend.h"
#include "serve/metrics.h"

namespace recinfer::serve {

class ServedModel;

struct RepositoryOptions {
  bool strict = true;         // fail open() when any model fails to load
  Metrics* metrics = nullptr;  // updated when set; must outlive the repository
  std::string server_version;  // reported in server_metadata()
};

// Statistics of a model's current version since it was loaded.
struct ModelStats {
  std::string name;
  std::string version;
  uint64_t success = 0;       // requests answered
  uint64_t failure = 0;       // requests failed (validation, queue full, timeout, run errors)
  uint64_t queue_ns = 0;      // summed over successful requests
  uint64_t compute_ns = 0;    // summed over successful requests
  uint64_t executions = 0;    // batches run
  uint64_t inferences = 0;    // request rows run
  uint64_t padded_rows = 0;   // rows the Engine ran (padding included)
  uint64_t max_batch_requests = 0;  // most requests joined in one batch
  uint64_t queued = 0;        // requests waiting now
};

class ModelRepository : public InferenceBackend {
 public:
  static Result<std::unique_ptr<ModelRepository>> open(const std::string& dir,
                                                       RepositoryOptions options = {});
  ~ModelRepository() override;
  ModelRepository(const ModelRepository&) = delete;
  ModelRepository& operator=(const ModelRepository&) = delete;

  // InferenceBackend.
  bool live() const override { return true; }
  bool ready() const override;
  ServerMetadata server_metadata() const override;
  ServeResult<ModelMetadata> model_metadata(const std::string& model,
                                            const std::string& version) const override;
  ServeResult<bool> model_ready(const std::string& model, const std::string& version) const override;
  std::vector<std::string> model_names() const override;
  ServeResult<InferResponse> infer(InferRequest request) override;

  // Models that failed to load (non-strict open): "folder 'x': message".
  const std::vector<std::string>& load_errors() const { return load_errors_; }
  const std::string& directory() const { return dir_; }
  // The version served now ("" when the model is unknown).
  std::string current_version(const std::string& model) const;

  // New requests fail with kUnavailable ("shutting down") from now on; ready() turns false.
  void begin_shutdown();
  bool shutting_down() const { return shutting_down_.load(); }
  // Waits until every accepted request is answered; false if `deadline` came first.
  bool drain(std::chrono::steady_clock::time_point deadline);

  // Loads the highest version on disk (config.json re-read; a model new on disk is added) and
  // switches to it; returns once the old version is retired.
  Status reload(const std::string& model);
  // Loads version `version` (of a versioned folder) and switches to it.
  Status load_version(const std::string& model, int64_t version);

  std::vector<ModelStats> stats() const;

 private:
  struct Slot;
  ModelRepository(std::string dir, RepositoryOptions options);

  std::shared_ptr<ServedModel> current(const std::string& model) const;
  Status switch_to(const std::string& model, int64_t version);
  Slot& slot_for(const std::string& model);

  std::string dir_;
  RepositoryOptions options_;
  std::vector<std::string> load_errors_;

  mutable std::shared_mutex slots_mutex_;
  std::map<std::string, std::unique_ptr<Slot>> slots_;

  std::atomic<bool> shutting_down_{false};
  std::mutex flight_mutex_;
  std::condition_variable flight_cv_;
  uint64_t in_flight_ = 0;  // guarded by flight_mutex_
};

}  // namespace recinfer::serve
