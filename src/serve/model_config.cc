#include "serve/model_config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "recinfer/limits.h"

namespace recinfer::serve {

namespace {

using Json = nlohmann::json;

// Reads JSON values with errors that name the file and the key.
class Reader {
 public:
  Reader(const std::string& file, std::string prefix) : file_(file), prefix_(std::move(prefix)) {}

  std::string key(const std::string& k) const { return prefix_ + k; }

  Status only_keys(const Json& object, std::initializer_list<const char*> known) const {
    for (const auto& item : object.items()) {
      if (std::none_of(known.begin(), known.end(),
                       [&](const char* k) { return item.key() == k; })) {
        std::string list;
        for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        return invalid_argument("{}: unknown key '{}' (known keys here: {})", file_,
                                key(item.key()), list);
      }
    }
    return Status::ok();
  }

  Result<int64_t> integer(const Json& value, const std::string& k, int64_t min) const {
    if (!value.is_number_integer()) {
      return invalid_argument("{}: '{}' must be an integer, got {}", file_, key(k), value.dump());
    }
    const auto v = value.is_number_unsigned()
                       ? static_cast<int64_t>(std::min<uint64_t>(value.get<uint64_t>(), INT64_MAX))
                       : value.get<int64_t>();
    if (v < min) {
      return invalid_argument("{}: '{}' must be at least {}, got {}", file_, key(k), min, v);
    }
    return v;
  }

  Result<bool> boolean(const Json& value, const std::string& k) const {
    if (!value.is_boolean()) {
      return invalid_argument("{}: '{}' must be true or false, got {}", file_, key(k), value.dump());
    }
    return value.get<bool>();
  }

  Result<std::string> string(const Json& value, const std::string& k) const {
    if (!value.is_string()) {
      return invalid_argument("{}: '{}' must be a string, got {}", file_, key(k), value.dump());
    }
    return value.get<std::string>();
  }

  Result<std::vector<int64_t>> sizes(const Json& value, const std::string& k) const {
    if (!value.is_array()) {
      return invalid_argument("{}: '{}' must be an array of positive integers, got {}", file_,
                              key(k), value.dump());
    }
    std::vector<int64_t> out;
    for (const Json& item : value) {
      RI_ASSIGN_OR_RETURN(const int64_t v, integer(item, k, 1));
      out.push_back(v);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  Result<std::vector<std::string>> strings(const Json& value, const std::string& k) const {
    if (!value.is_array()) {
      return invalid_argument("{}: '{}' must be an array of strings, got {}", file_, key(k),
                              value.dump());
    }
    std::vector<std::string> out;
    for (const Json& item : value) {
      RI_ASSIGN_OR_RETURN(std::string s, string(item, k));
      out.push_back(std::move(s));
    }
    return out;
  }

  const std::string& file() const { return file_; }

 private:
  const std::string& file_;
  std::string prefix_;
};

Status parse_dynamic_batching(const Json& value, const std::string& file,
                              DynamicBatchingConfig& out) {
  Reader r(file, "dynamic_batching.");
  if (value.is_boolean()) {
    out.enabled = value.get<bool>();
    return Status::ok();
  }
  if (!value.is_object()) {
    return invalid_argument("{}: 'dynamic_batching' must be an object or true/false, got {}", file,
                            value.dump());
  }
  RI_RETURN_IF_ERROR(r.only_keys(value, {"max_queue_delay_us", "preferred_batch_sizes"}));
  out.enabled = true;
  if (value.contains("max_queue_delay_us")) {
    RI_ASSIGN_OR_RETURN(const int64_t v, r.integer(value["max_queue_delay_us"], "max_queue_delay_us", 0));
    out.max_queue_delay_us = static_cast<uint64_t>(v);
  }
  if (value.contains("preferred_batch_sizes")) {
    RI_ASSIGN_OR_RETURN(out.preferred_batch_sizes,
                        r.sizes(value["preferred_batch_sizes"], "preferred_batch_sizes"));
  }
  return Status::ok();
}

Status parse_queue(const Json& value, const std::string& file, QueueConfig& out) {
  Reader r(file, "queue.");
  if (!value.is_object()) {
    return invalid_argument("{}: 'queue' must be an object, got {}", file, value.dump());
  }
  RI_RETURN_IF_ERROR(
      r.only_keys(value, {"max_queue_size", "default_timeout_us", "allow_timeout_override"}));
  if (value.contains("max_queue_size")) {
    RI_ASSIGN_OR_RETURN(const int64_t v, r.integer(value["max_queue_size"], "max_queue_size", 0));
    out.max_queue_size = static_cast<uint64_t>(v);
  }
  if (value.contains("default_timeout_us")) {
    RI_ASSIGN_OR_RETURN(const int64_t v,
                        r.integer(value["default_timeout_us"], "default_timeout_us", 0));
    out.default_timeout_us = static_cast<uint64_t>(v);
  }
  if (value.contains("allow_timeout_override")) {
    RI_ASSIGN_OR_RETURN(out.allow_timeout_override,
                        r.boolean(value["allow_timeout_override"], "allow_timeout_override"));
  }
  return Status::ok();
}

constexpr int kMaxInstances = 1024;

}  // namespace

Result<ModelConfig> parse_model_config(const std::string& json_text, const std::string& file,
                                       const std::string& folder_name) {
  Json root;
  try {
    root = Json::parse(json_text);
  } catch (const Json::exception& e) {
    return invalid_argument("{}: not valid JSON: {}", file, e.what());
  }
  if (!root.is_object()) {
    return invalid_argument("{}: the model configuration must be a JSON object, got {}", file,
                            root.type_name());
  }
  Reader r(file, "");
  RI_RETURN_IF_ERROR(r.only_keys(
      root, {"name", "max_batch_size", "dynamic_batching", "instances", "cores_per_instance",
             "core_limit", "batched_input", "queue", "warmup_batch_sizes", "optimize",
             "disabled_passes"}));
  ModelConfig config;
  config.name = folder_name;
  if (root.contains("name")) {
    RI_ASSIGN_OR_RETURN(const std::string name, r.string(root["name"], "name"));
    if (name != folder_name) {
      return invalid_argument("{}: 'name' is '{}' but the model's folder is '{}'; they must match",
                              file, name, folder_name);
    }
  }
  if (root.contains("max_batch_size")) {
    RI_ASSIGN_OR_RETURN(config.max_batch_size, r.integer(root["max_batch_size"], "max_batch_size", 0));
  }
  if (root.contains("dynamic_batching")) {
    RI_RETURN_IF_ERROR(parse_dynamic_batching(root["dynamic_batching"], file, config.dynamic_batching));
  }
  if (root.contains("instances")) {
    RI_ASSIGN_OR_RETURN(const int64_t v, r.integer(root["instances"], "instances", 1));
    if (v > kMaxInstances) {
      return invalid_argument("{}: 'instances' must be at most {}, got {}", file, kMaxInstances, v);
    }
    config.instances = static_cast<int>(v);
  }
  if (root.contains("cores_per_instance")) {
    RI_ASSIGN_OR_RETURN(const int64_t v, r.integer(root["cores_per_instance"], "cores_per_instance", 1));
    if (v > kMaxInstances) {
      return invalid_argument("{}: 'cores_per_instance' must be at most {}, got {}", file,
                              kMaxInstances, v);
    }
    config.cores_per_instance = static_cast<int>(v);
  }
  if (root.contains("core_limit")) {
    RI_ASSIGN_OR_RETURN(const std::string text, r.string(root["core_limit"], "core_limit"));
    auto limit = CoreLimit::parse(text);
    if (!limit.is_ok()) {
      return invalid_argument("{}: 'core_limit': {}", file, limit.status().message());
    }
    config.core_limit = *limit;
  }
  if (root.contains("batched_input")) {
    RI_ASSIGN_OR_RETURN(config.batched_input, r.boolean(root["batched_input"], "batched_input"));
  }
  if (root.contains("queue")) RI_RETURN_IF_ERROR(parse_queue(root["queue"], file, config.queue));
  if (root.contains("warmup_batch_sizes")) {
    RI_ASSIGN_OR_RETURN(config.warmup_batch_sizes,
                        r.sizes(root["warmup_batch_sizes"], "warmup_batch_sizes"));
  }
  if (root.contains("optimize")) {
    RI_ASSIGN_OR_RETURN(config.optimize, r.boolean(root["optimize"], "optimize"));
  }
  if (root.contains("disabled_passes")) {
    RI_ASSIGN_OR_RETURN(config.disabled_passes, r.strings(root["disabled_passes"], "disabled_passes"));
  }
  // Checks that need no model.
  if (config.max_batch_size != ModelConfig::kFromModel) {
    RI_RETURN_IF_ERROR(resolve_model_config(config, true, file));
  }
  return config;
}

Result<ModelConfig> load_model_config(const std::string& model_dir, const std::string& folder_name) {
  const std::string file = (std::filesystem::path(model_dir) / "config.json").string();
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    ModelConfig config;
    config.name = folder_name;
    return config;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return io_error("{}: cannot be read", file);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_model_config(text.str(), file, folder_name);
}

Status resolve_model_config(ModelConfig& config, bool model_batchable, const std::string& file) {
  if (config.max_batch_size == ModelConfig::kFromModel) {
    config.max_batch_size = model_batchable ? ModelConfig::kDefaultMaxBatchSize : 0;
    // Preferred sizes beyond the default cap raise it rather than fail.
    if (model_batchable && !config.dynamic_batching.preferred_batch_sizes.empty()) {
      config.max_batch_size =
          std::max(config.max_batch_size, config.dynamic_batching.preferred_batch_sizes.back());
    }
  }
  if (config.max_batch_size > 0 && !model_batchable) {
    return invalid_argument("{}: max_batch_size is {} but the model has no batch dimension shared "
                            "by its inputs and outputs; use max_batch_size 0",
                            file, config.max_batch_size);
  }
  const int64_t max = config.max_batch_size;
  if (max == 0 && !config.dynamic_batching.preferred_batch_sizes.empty()) {
    return invalid_argument("{}: dynamic_batching.preferred_batch_sizes is set but max_batch_size "
                            "is 0 (each request runs alone)",
                            file);
  }
  if (max > 0) {
    for (int64_t size : config.dynamic_batching.preferred_batch_sizes) {
      if (size > max) {
        return invalid_argument("{}: dynamic_batching.preferred_batch_sizes has {}, above "
                                "max_batch_size {}",
                                file, size, max);
      }
    }
    for (int64_t size : config.warmup_batch_sizes) {
      if (size > max) {
        return invalid_argument("{}: warmup_batch_sizes has {}, above max_batch_size {}", file,
                                size, max);
      }
    }
  }
  return Status::ok();
}

EngineOptions engine_options(const ModelConfig& config, size_t plan_buckets) {
  EngineOptions options;
  options.instances = config.instances;
  options.cores_per_instance =
      config.cores_per_instance > 0 ? config.cores_per_instance
                                    : std::max(1, usable_cpus() / std::max(1, config.instances));
  options.core_limit = config.core_limit;
  options.staging = config.batched_input ? InputStaging::kBatched : InputStaging::kPerTensor;
  options.optimize = config.optimize;
  options.disabled_passes = config.disabled_passes;
  // Every bucket and warm-up size keeps its plan, with room for the odd shape (a model without
  // a batch dimension run with new shapes) before anything is evicted.
  options.max_plans = std::max<int>(options.max_plans, static_cast<int>(plan_buckets) + 4);
  return options;
}

}  // namespace recinfer::serve
