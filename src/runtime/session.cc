#include "recinfer/session.h"

#include <omp.h>

#include <algorithm>

#include "profiler/recorder.h"
#include "runtime/engine_model.h"
#include "runtime/executor.h"
#include "runtime/plan_key.h"
#include "runtime/thread_pool.h"

namespace recinfer {

using runtime::CompiledGraph;
using runtime::Executor;

struct Session::Impl {
  std::shared_ptr<const CompiledGraph> graph;
  std::unique_ptr<runtime::ThreadPool> pool;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  struct CachedPlan {
    runtime::PlanKey key;
    std::unique_ptr<Executor> executor;
  };
  // Most recently used last; bounded so that a stream of new shapes cannot grow it forever.
  std::vector<CachedPlan> plans;
  static constexpr size_t kMaxPlans = 16;
  std::vector<const Tensor*> input_ptrs;
  std::string optimization_report;
  runtime::PlanOptions plan_options;

  Result<Executor*> executor_for(const std::vector<Tensor>& given);
  Status run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs,
             profiler::Recorder* recorder);
};

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

Result<std::unique_ptr<Session>> Session::load(const std::string& model_path,
                                               const SessionOptions& options) {
  const int max_threads = options.limits.thread_limit();
  if (options.num_threads < 1 || options.num_threads > max_threads) {
    return invalid_argument(
        "{} intra-op threads: must be at least 1 and at most the thread limit {}",
        options.num_threads, options.limits.describe_thread_limit());
  }
  runtime::ModelLoadOptions load{options.optimize, options.disabled_passes,
                                 options.reference_kernels, options.limits,
                                 options.allow_external_hardlinks};
  RI_ASSIGN_OR_RETURN(runtime::CompiledModel model, runtime::compile_model(model_path, load));
  auto impl = std::make_unique<Impl>();
  impl->plan_options.limits = options.limits;
  impl->graph = std::move(model.graph);
  impl->pool = std::make_unique<runtime::ThreadPool>(options.num_threads, options.cpus);
  impl->inputs = std::move(model.inputs);
  impl->outputs = std::move(model.outputs);
  impl->input_ptrs.resize(impl->inputs.size());
  impl->optimization_report = std::move(model.optimization_report);
  return std::unique_ptr<Session>(new Session(std::move(impl)));
}

const std::vector<TensorSpec>& Session::inputs() const { return impl_->inputs; }
const std::vector<TensorSpec>& Session::outputs() const { return impl_->outputs; }

Result<Executor*> Session::Impl::executor_for(const std::vector<Tensor>& given) {
  // Fast path: the shapes of the previous run (no allocation).
  if (!plans.empty() && plans.back().key.matches(given)) return plans.back().executor.get();
  for (size_t i = 0; i + 1 < plans.size(); ++i) {
    if (!plans[i].key.matches(given)) continue;
    std::rotate(plans.begin() + static_cast<std::ptrdiff_t>(i),
                plans.begin() + static_cast<std::ptrdiff_t>(i) + 1, plans.end());
    return plans.back().executor.get();
  }
  CachedPlan entry;
  entry.key = runtime::PlanKey::of(given, graph->ragged_inputs());
  RI_ASSIGN_OR_RETURN(auto plan,
                      runtime::build_plan(*graph, entry.key.bindings(given), plan_options));
  RI_ASSIGN_OR_RETURN(entry.executor, Executor::create(graph, plan));
  if (plans.size() >= kMaxPlans) plans.erase(plans.begin());
  plans.push_back(std::move(entry));
  return plans.back().executor.get();
}

Status Session::run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs) {
  return impl_->run(inputs, outputs, nullptr);
}

Status Session::run_profiled(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs,
                             profiler::Recorder& recorder) {
  recorder.begin_inference(impl_->pool->num_threads());
  Status st = impl_->run(inputs, outputs, &recorder);
  if (!st.is_ok()) recorder.cancel_inference();
  return st;
}

Status Session::Impl::run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs,
                          profiler::Recorder* recorder) {
  Impl& impl = *this;
  RI_RETURN_IF_ERROR(runtime::check_inputs(impl.inputs, inputs));
  // oneDNN runs on OpenMP; parallelism is ours, so its GEMMs stay single-threaded per thread.
  omp_set_num_threads(1);
  RI_ASSIGN_OR_RETURN(Executor * executor, impl.executor_for(inputs));
  for (size_t i = 0; i < inputs.size(); ++i) impl.input_ptrs[i] = &inputs[i];
  if (recorder != nullptr) {
    recorder->begin_ops();
    impl.pool->set_work_observer(recorder);
  }
  Status ran = executor->run(impl.input_ptrs.data(), impl.input_ptrs.size(), *impl.pool, recorder);
  if (recorder != nullptr) {
    impl.pool->set_work_observer(nullptr);
    if (ran.is_ok()) recorder->end_inference(*executor);
  }
  RI_RETURN_IF_ERROR(ran);
  outputs.resize(executor->num_outputs());
  for (size_t o = 0; o < executor->num_outputs(); ++o) outputs[o] = executor->output(o);
  return Status::ok();
}

const std::string& Session::optimization_report() const { return impl_->optimization_report; }

SessionStats Session::stats() const {
  SessionStats s;
  s.plans = impl_->plans.size();
  if (!impl_->plans.empty()) {  // the plan of the last run
    const auto& p = impl_->plans.back().executor->plan();
    s.arena_bytes = p.arena_bytes;
    s.dynamic_steps = p.stats.dynamic_steps;
    s.static_steps = static_cast<int>(p.steps.size()) - p.stats.dynamic_steps;
    s.folded_nodes = p.stats.folded_nodes;
  }
  return s;
}

}  // namespace recinfer
