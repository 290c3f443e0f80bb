#include "recinfer/engine.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <mutex>

#include "runtime/engine_model.h"
#include "runtime/engine_placement.h"
#include "runtime/engine_scheduler.h"
#include "runtime/instance.h"

namespace recinfer {

using runtime::Instance;

struct Engine::Impl {
  EngineOptions options;
  Placement placement;
  runtime::CompiledModel model;
  std::unique_ptr<runtime::PlanCache> plans;
  std::vector<std::unique_ptr<Instance>> instances;
  std::unique_ptr<runtime::InstanceScheduler> scheduler;
  std::mutex prepare_mutex;  // prepare() owns every instance at once; one prepare at a time
  std::atomic<int> in_flight{0};
  std::atomic<int> peak_in_flight{0};

  void note_start() {
    const int now = in_flight.fetch_add(1, std::memory_order_relaxed) + 1;
    int peak = peak_in_flight.load(std::memory_order_relaxed);
    while (now > peak && !peak_in_flight.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
  }
  void note_end() { in_flight.fetch_sub(1, std::memory_order_relaxed); }
  // Pins the calling thread to the instance's first CPU unless it is already there.
  void pin_caller(int instance) const;
};

namespace {
thread_local int t_pinned_cpu = -1;
}  // namespace

void Engine::Impl::pin_caller(int instance) const {
  if (placement.cpus.empty()) return;
  const int cpu = placement.cpus[static_cast<size_t>(instance)].front();
  if (t_pinned_cpu == cpu) return;
  if (runtime::pin_current_thread(cpu)) t_pinned_cpu = cpu;
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::load(const std::string& model_path,
                                             const EngineOptions& options) {
  RI_ASSIGN_OR_RETURN(Placement placement,
                      runtime::place_instances(options.instances, options.cores_per_instance,
                                               options.cpus, options.pin,
                                               options.limits.max_threads));
  if (options.core_limit.matmul < 0 || options.core_limit.vector < 0) {
    return invalid_argument("core limit {}|{}: thread caps must be positive (or 0 for none)",
                            options.core_limit.matmul, options.core_limit.vector);
  }
  if (options.max_plans < 1) {
    return invalid_argument("max_plans must be at least 1, got {}", options.max_plans);
  }
  runtime::ModelLoadOptions load{options.optimize, options.disabled_passes,
                                 options.reference_kernels, options.limits,
                                 options.allow_external_hardlinks};
  RI_ASSIGN_OR_RETURN(runtime::CompiledModel model, runtime::compile_model(model_path, load));

  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->placement = std::move(placement);
  impl->model = std::move(model);
  const auto max_plans = static_cast<size_t>(options.max_plans);
  runtime::PlanOptions plan_options;
  plan_options.limits = options.limits;
  impl->plans = std::make_unique<runtime::PlanCache>(impl->model.graph, max_plans, plan_options);
  for (int i = 0; i < options.instances; ++i) {
    runtime::InstanceConfig config;
    config.threads = options.cores_per_instance;
    if (!impl->placement.cpus.empty()) config.cpus = impl->placement.cpus[static_cast<size_t>(i)];
    config.core_limit = options.core_limit;
    config.staging = options.staging;
    config.max_executors = max_plans;
    impl->instances.push_back(
        std::make_unique<Instance>(impl->model.graph, *impl->plans, std::move(config)));
  }
  impl->scheduler = std::make_unique<runtime::InstanceScheduler>(options.instances);
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

const std::vector<TensorSpec>& Engine::inputs() const { return impl_->model.inputs; }
const std::vector<TensorSpec>& Engine::outputs() const { return impl_->model.outputs; }
const EngineOptions& Engine::options() const { return impl_->options; }
const Placement& Engine::placement() const { return impl_->placement; }
const std::string& Engine::optimization_report() const {
  return impl_->model.optimization_report;
}

Status Engine::run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs) {
  // Arrival time, for the queue wait the profiler records (steady_clock, like its events).
  const int64_t submitted = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::steady_clock::now().time_since_epoch())
                                .count();
  RI_RETURN_IF_ERROR(runtime::check_inputs(impl_->model.inputs, inputs));
  runtime::InstanceLease lease(*impl_->scheduler);
  impl_->pin_caller(lease.index());
  // oneDNN runs on OpenMP; parallelism is ours, so its GEMMs stay single-threaded per thread.
  omp_set_num_threads(1);
  impl_->note_start();
  Status st = impl_->instances[static_cast<size_t>(lease.index())]->run(inputs, outputs, submitted);
  impl_->note_end();
  return st;
}

Status Engine::set_recorders(const std::vector<profiler::Recorder*>& recorders) {
  if (!recorders.empty() && recorders.size() != impl_->instances.size()) {
    return invalid_argument("set_recorders: {} recorders for {} instances", recorders.size(),
                            impl_->instances.size());
  }
  for (size_t i = 0; i < impl_->instances.size(); ++i) {
    impl_->instances[i]->set_recorder(recorders.empty() ? nullptr : recorders[i]);
  }
  return Status::ok();
}

Status Engine::prepare(const std::vector<Tensor>& example_inputs) {
  RI_RETURN_IF_ERROR(runtime::check_inputs(impl_->model.inputs, example_inputs));
  std::lock_guard<std::mutex> lock(impl_->prepare_mutex);
  std::vector<std::unique_ptr<runtime::InstanceLease>> leases;
  for (size_t i = 0; i < impl_->instances.size(); ++i) {
    leases.push_back(std::make_unique<runtime::InstanceLease>(*impl_->scheduler));
  }
  for (auto& instance : impl_->instances) RI_RETURN_IF_ERROR(instance->prepare(example_inputs));
  return Status::ok();
}

EngineStats Engine::stats() const {
  EngineStats s;
  std::array<uint64_t, runtime::DurationHistogram::kBuckets> staging_time{};
  for (size_t i = 0; i < impl_->instances.size(); ++i) {
    const runtime::InstanceCounters& c = impl_->instances[i]->counters();
    c.staging_time.merge_into(staging_time);
    InstanceStats is;
    is.inferences = c.inferences.load(std::memory_order_relaxed);
    is.busy_ns = c.busy_ns.load(std::memory_order_relaxed);
    is.cpus = impl_->instances[i]->config().cpus;
    s.inferences += is.inferences;
    s.failed += c.failed.load(std::memory_order_relaxed);
    s.staging_copies += c.copies.load(std::memory_order_relaxed);
    s.staged_bytes += c.bytes.load(std::memory_order_relaxed);
    s.staging_ns += c.staging_ns.load(std::memory_order_relaxed);
    s.executors_created += c.executors.load(std::memory_order_relaxed);
    s.instances.push_back(std::move(is));
  }
  s.staging_p50_ns = runtime::DurationHistogram::percentile(staging_time, 50);
  s.plans_built = impl_->plans->builds();
  s.peak_in_flight = impl_->peak_in_flight.load(std::memory_order_relaxed);
  return s;
}

void Engine::reset_stats() {
  for (auto& instance : impl_->instances) instance->counters().reset();
  impl_->peak_in_flight.store(0, std::memory_order_relaxed);
}

}  // namespace recinfer
