// A served model's configuration: DIR/<name>/config.json (docs/serving.md documents every key
// and its default). A folder without config.json serves with the defaults below; keys that are
// absent keep their defaults; unknown keys are an error naming the key and the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "recinfer/engine.h"
#include "recinfer/status.h"

namespace recinfer::serve {

struct DynamicBatchingConfig {
  bool enabled = true;
  // How long the oldest queued request may wait for others to join its batch.
  uint64_t max_queue_delay_us = 100;
  // Batch sizes to form at once (and the plan buckets); empty = powers of two.
  std::vector<int64_t> preferred_batch_sizes;
};

struct QueueConfig {
  uint64_t max_queue_size = 1024;  // queued requests; 0 = unbounded
  uint64_t default_timeout_us = 0;  // 0 = no timeout
  bool allow_timeout_override = true;  // honour a request's own timeout
};

struct ModelConfig {
  std::string name;  // = the folder name
  // Rows per batch; 0 = the model has no batch dimension (or its rows are not independent) and
  // each request runs alone. kFromModel until resolved against the model at load.
  static constexpr int64_t kFromModel = -1;
  static constexpr int64_t kDefaultMaxBatchSize = 64;
  int64_t max_batch_size = kFromModel;
  DynamicBatchingConfig dynamic_batching;
  int instances = 1;
  int cores_per_instance = 0;  // 0 = the usable CPUs divided among the instances (at least 1)
  CoreLimit core_limit;
  bool batched_input = true;
  QueueConfig queue;
  std::vector<int64_t> warmup_batch_sizes;
  bool optimize = true;
  std::vector<std::string> disabled_passes;
};

// Parses config.json text; `file` names the file in messages; `folder_name` is the model's
// folder (the default name; a different "name" is an error). Values are range-checked here;
// checks against the model (max_batch_size) happen in resolve_model_config.
Result<ModelConfig> parse_model_config(const std::string& json_text, const std::string& file,
                                       const std::string& folder_name);

// Reads <model_dir>/config.json if it exists, else the defaults.
Result<ModelConfig> load_model_config(const std::string& model_dir, const std::string& folder_name);

// Fills in what depends on the model and checks the config against it: max_batch_size
// (`model_batchable`: the model has a batch dimension on every input and output that carries
// rows) and preferred/warm-up sizes within it.
Status resolve_model_config(ModelConfig& config, bool model_batchable, const std::string& file);

// The Engine options this config asks for (max_plans covers `plan_buckets` batch sizes).
EngineOptions engine_options(const ModelConfig& config, size_t plan_buckets);

}  // namespace recinfer::serve
