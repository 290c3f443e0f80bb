#include "serve/model_repository.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "serve/served_model.h"

namespace recinfer::serve {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

uint64_t ns_since(Clock::time_point start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
}

ServeError error(ErrorKind kind, std::string message) { return ServeError{kind, std::move(message)}; }

}  // namespace

// One model name: its current version, swapped atomically by reload.
struct ModelRepository::Slot {
  mutable std::mutex mutex;
  std::shared_ptr<ServedModel> current;  // guarded by mutex; null until loaded
  std::mutex reload_mutex;               // one load/switch at a time per model
};

ModelRepository::ModelRepository(std::string dir, RepositoryOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {}

ModelRepository::~ModelRepository() {
  begin_shutdown();
  drain(Clock::time_point::max());
}

Result<std::unique_ptr<ModelRepository>> ModelRepository::open(const std::string& dir,
                                                               RepositoryOptions options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return make_error(StatusCode::kNotFound, "model repository '{}' is not a folder", dir);
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory(ec) && !name.empty() && name[0] != '.') names.push_back(name);
  }
  if (ec) return io_error("model repository '{}' cannot be listed: {}", dir, ec.message());
  std::sort(names.begin(), names.end());

  std::unique_ptr<ModelRepository> repo(new ModelRepository(dir, std::move(options)));
  for (const std::string& name : names) {
    auto model = ServedModel::load((fs::path(dir) / name).string(), name, -1, repo->options_.metrics);
    if (!model.is_ok()) {
      repo->load_errors_.push_back(fmt::format("folder '{}': {}", name, model.status().message()));
      continue;
    }
    repo->slot_for(name).current = std::move(model).value();
  }
  if (repo->options_.strict && !repo->load_errors_.empty()) {
    return invalid_argument("{} of {} models in '{}' failed to load:\n  {}",
                            repo->load_errors_.size(), names.size(), dir,
                            fmt::join(repo->load_errors_, "\n  "));
  }
  return repo;
}

ModelRepository::Slot& ModelRepository::slot_for(const std::string& model) {
  std::unique_lock<std::shared_mutex> lock(slots_mutex_);
  auto& slot = slots_[model];
  if (!slot) slot = std::make_unique<Slot>();
  return *slot;
}

std::shared_ptr<ServedModel> ModelRepository::current(const std::string& model) const {
  std::shared_lock<std::shared_mutex> lock(slots_mutex_);
  auto it = slots_.find(model);
  if (it == slots_.end()) return nullptr;
  std::lock_guard<std::mutex> slot_lock(it->second->mutex);
  return it->second->current;
}

bool ModelRepository::ready() const { return !shutting_down_.load(); }

ServerMetadata ModelRepository::server_metadata() const {
  ServerMetadata m;
  m.version = options_.server_version;
  m.extensions = {"binary_tensor_data", "statistics"};
  return m;
}

std::vector<std::string> ModelRepository::model_names() const {
  std::vector<std::string> names;
  std::shared_lock<std::shared_mutex> lock(slots_mutex_);
  for (const auto& [name, slot] : slots_) {
    std::lock_guard<std::mutex> slot_lock(slot->mutex);
    if (slot->current) names.push_back(name);
  }
  return names;
}

std::string ModelRepository::current_version(const std::string& model) const {
  auto served = current(model);
  return served ? served->version() : "";
}

ServeResult<ModelMetadata> ModelRepository::model_metadata(const std::string& model,
                                                           const std::string& version) const {
  auto served = current(model);
  if (!served) return error(ErrorKind::kNotFound, fmt::format("no model '{}' in the repository", model));
  if (!version.empty() && version != served->version()) {
    return error(ErrorKind::kNotFound, fmt::format("model '{}' has no version '{}' loaded (serving "
                                                   "version {})",
                                                   model, version, served->version()));
  }
  return served->metadata();
}

ServeResult<bool> ModelRepository::model_ready(const std::string& model,
                                               const std::string& version) const {
  auto metadata = model_metadata(model, version);
  if (std::holds_alternative<ServeError>(metadata)) return std::get<ServeError>(metadata);
  return !shutting_down_.load();
}

ServeResult<InferResponse> ModelRepository::infer(InferRequest request) {
  const Clock::time_point start = Clock::now();
  {
    std::lock_guard<std::mutex> lock(flight_mutex_);
    ++in_flight_;
  }
  struct Landing {
    ModelRepository& repo;
    ~Landing() {
      std::lock_guard<std::mutex> lock(repo.flight_mutex_);
      if (--repo.in_flight_ == 0) repo.flight_cv_.notify_all();
    }
  } landing{*this};

  std::shared_ptr<ServedModel> served = current(request.model);
  if (!served) {
    return error(ErrorKind::kNotFound, fmt::format("no model '{}' in the repository",
                                                   request.model));
  }
  auto failed = [&](FailureReason reason, ServeError e) -> ServeResult<InferResponse> {
    served->counters().failure.fetch_add(1, std::memory_order_relaxed);
    if (served->metrics()) served->metrics()->request_failed(reason, ns_since(start));
    return e;
  };
  if (shutting_down_.load()) {
    return failed(FailureReason::kUnavailable,
                  error(ErrorKind::kUnavailable, "the server is shutting down"));
  }
  if (!request.version.empty() && request.version != served->version()) {
    return error(ErrorKind::kNotFound,
                 fmt::format("model '{}' has no version '{}' loaded (serving version {})",
                             request.model, request.version, served->version()));
  }
  auto validated = validate_request(served->signature(), request);
  if (std::holds_alternative<ServeError>(validated)) {
    return failed(FailureReason::kBadRequest, std::get<ServeError>(std::move(validated)));
  }
  ValidatedRequest& valid = std::get<ValidatedRequest>(validated);

  if (served->metrics()) served->metrics()->pending_changed(+1);
  FailureReason reason = FailureReason::kInternal;
  auto result = served->batcher().infer(std::move(valid.inputs), valid.rows, request.priority,
                                        request.timeout_us, &reason);
  if (served->metrics()) served->metrics()->pending_changed(-1);
  if (std::holds_alternative<ServeError>(result)) {
    return failed(reason, std::get<ServeError>(std::move(result)));
  }
  BatchedResult& batch = std::get<BatchedResult>(result);

  InferResponse response;
  response.model = request.model;
  response.version = served->version();
  response.id = std::move(request.id);
  response.timings = batch.timings;
  for (size_t k : valid.outputs) {
    response.outputs.push_back(NamedTensor{served->signature().outputs[k].name, batch.outputs[k]});
  }
  RequestCounters& counters = served->counters();
  counters.success.fetch_add(1, std::memory_order_relaxed);
  counters.queue_ns.fetch_add(batch.timings.queue_ns, std::memory_order_relaxed);
  counters.compute_ns.fetch_add(batch.timings.compute_ns, std::memory_order_relaxed);
  if (served->metrics()) {
    served->metrics()->request_succeeded(ns_since(start), batch.timings.queue_ns,
                                         batch.timings.compute_ns, valid.rows);
  }
  return response;
}

void ModelRepository::begin_shutdown() { shutting_down_.store(true); }

bool ModelRepository::drain(Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(flight_mutex_);
  while (in_flight_ > 0) {
    if (deadline == Clock::time_point::max()) {
      flight_cv_.wait(lock);
    } else if (flight_cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      return in_flight_ == 0;
    }
  }
  return true;
}

Status ModelRepository::reload(const std::string& model) { return switch_to(model, -1); }

Status ModelRepository::load_version(const std::string& model, int64_t version) {
  if (version < 1) return invalid_argument("model '{}': version must be at least 1, got {}", model, version);
  return switch_to(model, version);
}

Status ModelRepository::switch_to(const std::string& model, int64_t version) {
  if (shutting_down_.load()) {
    return make_error(StatusCode::kInvalidArgument, "model '{}': not loaded, the server is "
                      "shutting down", model);
  }
  if (model.empty() || model[0] == '.' || model.find('/') != std::string::npos ||
      model.find("..") != std::string::npos) {
    return invalid_argument("'{}' is not a model folder name", model);
  }
  Slot& slot = slot_for(model);
  std::lock_guard<std::mutex> one_at_a_time(slot.reload_mutex);
  auto loaded = ServedModel::load((fs::path(dir_) / model).string(), model, version,
                                  options_.metrics);
  if (!loaded.is_ok()) return loaded.status().with_context(fmt::format("model '{}'", model));
  std::shared_ptr<ServedModel> old;
  {
    std::lock_guard<std::mutex> lock(slot.mutex);
    old = std::move(slot.current);
    slot.current = std::move(loaded).value();
  }
  // Retire the old version once the requests that hold it are answered: each holds a reference
  // from admission to answer, and no new request can reach it now.
  while (old && old.use_count() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  old.reset();
  return Status::ok();
}

std::vector<ModelStats> ModelRepository::stats() const {
  std::vector<ModelStats> out;
  for (const std::string& name : model_names()) {
    auto served = current(name);
    if (!served) continue;
    ModelStats s;
    s.name = name;
    s.version = served->version();
    const RequestCounters& c = served->counters();
    s.success = c.success.load();
    s.failure = c.failure.load();
    s.queue_ns = c.queue_ns.load();
    s.compute_ns = c.compute_ns.load();
    const BatcherStats b = served->batcher().stats();
    s.executions = b.executions;
    s.inferences = b.rows;
    s.padded_rows = b.padded_rows;
    s.max_batch_requests = b.max_batch_requests;
    s.queued = served->batcher().queued();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace recinfer::serve
