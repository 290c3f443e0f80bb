#include "serve/served_model.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "serve/batcher_buckets.h"
#include "tooling/test_data.h"

namespace recinfer::serve {

namespace fs = std::filesystem;

namespace {

bool is_version_name(const std::string& name) {
  return !name.empty() && name.size() <= 18 &&
         std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Output k carries batch rows when it is declared with the batch symbol as its leading dim.
std::vector<bool> row_outputs(const std::vector<TensorSpec>& outputs, const std::string& batch) {
  std::vector<bool> rows;
  for (const TensorSpec& spec : outputs) {
    rows.push_back(!batch.empty() && spec.has_shape && !spec.dims.empty() && spec.dims[0] < 0 &&
                   !spec.dim_names.empty() && spec.dim_names[0] == batch);
  }
  return rows;
}

std::vector<TensorMetadata> tensor_metadata(const std::vector<TensorSpec>& specs) {
  std::vector<TensorMetadata> out;
  for (const TensorSpec& spec : specs) {
    TensorMetadata t;
    t.name = spec.name;
    const std::optional<std::string> protocol = dtype_to_protocol(spec.dtype);
    t.datatype = protocol ? *protocol : std::string(dtype_name(spec.dtype));
    for (int64_t d : spec.dims) t.shape.push_back(d >= 0 ? d : -1);
    out.push_back(std::move(t));
  }
  return out;
}

// Plans for every bucket and warm-up size, built now so requests never compile one. Input values
// are zeros (id 0 exists in every table); ragged bag lengths are 1 (plans leave them free).
Status warm_up(Engine& engine, const tooling::BatchLayout& layout,
               const std::vector<int64_t>& sizes) {
  if (sizes.empty()) {
    // No bucket to warm: try the model at its declared shapes (symbolic dims 1). A best effort
    // only: such a model may not accept those shapes (a TopK k above 1 candidate), and requests
    // at other shapes compile their own plans anyway.
    tooling::RandomInputOptions options;
    options.int_high = 1;
    auto inputs = tooling::random_inputs(engine.inputs(), options);
    if (inputs.is_ok()) (void)engine.prepare(*inputs);
    return Status::ok();
  }
  for (int64_t size : sizes) {
    tooling::RandomInputOptions options;
    if (!layout.batch_symbol.empty()) options.dims[layout.batch_symbol] = size;
    options.int_high = 1;  // id 0 is valid for every table
    RI_ASSIGN_OR_RETURN(std::vector<Tensor> inputs, tooling::random_inputs(engine.inputs(), options));
    Status status = engine.prepare(inputs);
    if (!status.is_ok()) {
      return status.with_context(fmt::format("warm-up at batch size {}", size));
    }
  }
  return Status::ok();
}

}  // namespace

Result<std::vector<int64_t>> model_versions(const std::string& model_dir) {
  std::error_code ec;
  if (!fs::is_directory(model_dir, ec)) {
    return make_error(StatusCode::kNotFound, "{}: not a folder", model_dir);
  }
  std::vector<int64_t> versions;
  for (const auto& entry : fs::directory_iterator(model_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory(ec) && is_version_name(name) &&
        fs::exists(entry.path() / "model.onnx", ec)) {
      versions.push_back(std::stoll(name));
    }
  }
  if (ec) return io_error("{}: cannot be listed: {}", model_dir, ec.message());
  std::sort(versions.begin(), versions.end());
  if (versions.empty() && !fs::exists(fs::path(model_dir) / "model.onnx", ec)) {
    return make_error(StatusCode::kNotFound,
                      "{}: no model.onnx, neither in the folder nor in numeric version subfolders "
                      "(<name>/<N>/model.onnx)",
                      model_dir);
  }
  return versions;
}

Result<std::shared_ptr<ServedModel>> ServedModel::load(const std::string& model_dir,
                                                       const std::string& name, int64_t version,
                                                       Metrics* metrics) {
  RI_ASSIGN_OR_RETURN(const std::vector<int64_t> versions, model_versions(model_dir));
  std::shared_ptr<ServedModel> model(new ServedModel());
  std::string model_file;
  if (versions.empty()) {
    if (version > 1) {
      return make_error(StatusCode::kNotFound, "{}: version {} requested but the folder is not "
                        "versioned (it serves model.onnx as version 1)", model_dir, version);
    }
    model->version_ = "1";
    model_file = (fs::path(model_dir) / "model.onnx").string();
  } else {
    const int64_t chosen = version < 0 ? versions.back() : version;
    if (!std::binary_search(versions.begin(), versions.end(), chosen)) {
      return make_error(StatusCode::kNotFound, "{}: no version {} (versions on disk: {})", model_dir,
                        chosen, fmt::join(versions, ", "));
    }
    model->version_ = std::to_string(chosen);
    model_file = (fs::path(model_dir) / model->version_ / "model.onnx").string();
  }
  RI_ASSIGN_OR_RETURN(model->config_, load_model_config(model_dir, name));
  ModelConfig& config = model->config_;
  const std::string config_file = (fs::path(model_dir) / "config.json").string();

  // The Engine's inputs and outputs decide the batch layout, hence the buckets.
  RI_ASSIGN_OR_RETURN(std::unique_ptr<Engine> loaded,
                      Engine::load(model_file, engine_options(config, 0)));
  std::shared_ptr<Engine> engine = std::move(loaded);
  RI_ASSIGN_OR_RETURN(tooling::BatchLayout layout, tooling::detect_batch_layout(engine->inputs()));
  const std::vector<bool> rows = row_outputs(engine->outputs(), layout.batch_symbol);
  const bool batchable = !layout.batch_symbol.empty() && !rows.empty() &&
                         std::all_of(rows.begin(), rows.end(), [](bool r) { return r; });
  RI_RETURN_IF_ERROR(resolve_model_config(config, batchable, config_file));
  model->buckets_ = batch_buckets(config.max_batch_size, config.dynamic_batching.preferred_batch_sizes);
  std::vector<int64_t> warm = model->buckets_;
  warm.insert(warm.end(), config.warmup_batch_sizes.begin(), config.warmup_batch_sizes.end());
  std::sort(warm.begin(), warm.end());
  warm.erase(std::unique(warm.begin(), warm.end()), warm.end());
  if (static_cast<int>(warm.size()) + 4 > engine->options().max_plans) {
    // More buckets than the engine keeps plans for: reload with room for all of them.
    RI_ASSIGN_OR_RETURN(std::unique_ptr<Engine> bigger,
                        Engine::load(model_file, engine_options(config, warm.size())));
    engine = std::move(bigger);
  }
  RI_RETURN_IF_ERROR(warm_up(*engine, layout, warm));

  model->signature_.model = name;
  model->signature_.inputs = engine->inputs();
  model->signature_.outputs = engine->outputs();
  model->signature_.layout = layout;
  model->signature_.max_batch_size = config.max_batch_size;
  if (metrics) model->metrics_ = metrics->model(name, model->version_);

  BatcherOptions options;
  options.model = name;
  options.version = model->version_;
  options.max_batch_size = config.max_batch_size;
  options.dynamic = config.dynamic_batching.enabled;
  options.max_queue_delay_us = config.dynamic_batching.max_queue_delay_us;
  options.preferred_batch_sizes = config.dynamic_batching.preferred_batch_sizes;
  options.buckets = model->buckets_;
  options.max_queue_size = config.queue.max_queue_size;
  options.default_timeout_us = config.queue.default_timeout_us;
  options.allow_timeout_override = config.queue.allow_timeout_override;
  options.workers = config.instances;
  model->engine_ = engine;
  Engine* raw = engine.get();
  model->batcher_ = std::make_unique<DynamicBatcher>(
      [raw](const std::vector<Tensor>& in, std::vector<Tensor>& out) { return raw->run(in, out); },
      layout, config.max_batch_size > 0 ? rows : std::vector<bool>(rows.size(), false), options,
      model->metrics_);
  return model;
}

ServedModel::~ServedModel() { batcher_.reset(); }

ModelMetadata ServedModel::metadata() const {
  ModelMetadata m;
  m.name = name();
  m.versions = {version_};
  m.inputs = tensor_metadata(signature_.inputs);
  m.outputs = tensor_metadata(signature_.outputs);
  return m;
}

}  // namespace recinfer::serve
