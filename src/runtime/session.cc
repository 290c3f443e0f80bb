#include "recinfer/session.h"

#include <omp.h>

#include "profiler/recorder.h"
#include "runtime/engine_model.h"
#include "runtime/executor.h"
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
    std::vector<Shape> shapes;
    std::unique_ptr<Executor> executor;
  };
  std::vector<CachedPlan> plans;
  Executor* last = nullptr;
  std::vector<const Tensor*> input_ptrs;
  std::string optimization_report;

  Result<Executor*> executor_for(const std::vector<Tensor>& given);
  Status run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs,
             profiler::Recorder* recorder);
};

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

Result<std::unique_ptr<Session>> Session::load(const std::string& model_path,
                                               const SessionOptions& options) {
  runtime::ModelLoadOptions load{options.optimize, options.disabled_passes,
                                 options.reference_kernels};
  RI_ASSIGN_OR_RETURN(runtime::CompiledModel model, runtime::compile_model(model_path, load));
  auto impl = std::make_unique<Impl>();
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
  if (last != nullptr) {
    // Fast path: same shapes as the previous run (no allocation).
    const auto& p = last->plan();
    bool same = true;
    for (size_t i = 0; i < given.size() && same; ++i) {
      same = p.slots[static_cast<size_t>(p.input_slots[i])].shape == given[i].shape();
    }
    if (same) return last;
  }
  for (CachedPlan& cached : plans) {
    bool same = true;
    for (size_t i = 0; i < given.size() && same; ++i) same = cached.shapes[i] == given[i].shape();
    if (same) return cached.executor.get();
  }
  std::vector<std::optional<runtime::InputBinding>> bindings;
  CachedPlan entry;
  for (const Tensor& t : given) {
    bindings.push_back(runtime::InputBinding{t.dtype(), t.shape()});
    entry.shapes.push_back(t.shape());
  }
  RI_ASSIGN_OR_RETURN(auto plan, runtime::build_plan(*graph, bindings));
  RI_ASSIGN_OR_RETURN(entry.executor, Executor::create(graph, plan));
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
  impl.last = executor;
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
  if (impl_->last != nullptr) {
    const auto& p = impl_->last->plan();
    s.arena_bytes = p.arena_bytes;
    s.dynamic_steps = p.stats.dynamic_steps;
    s.static_steps = static_cast<int>(p.steps.size()) - p.stats.dynamic_steps;
    s.folded_nodes = p.stats.folded_nodes;
  }
  return s;
}

}  // namespace recinfer
