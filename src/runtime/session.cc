#include "recinfer/session.h"

#include <omp.h>

#include "ir/verifier.h"
#include "onnx/model_loader.h"
#include "passes/pipeline.h"
#include "profiler/recorder.h"
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

  Status check_inputs(const std::vector<Tensor>& given) const;
  Result<Executor*> executor_for(const std::vector<Tensor>& given);
  Status run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs,
             profiler::Recorder* recorder);
};

namespace {

TensorSpec spec_of(const ir::Value& value) {
  TensorSpec spec;
  spec.name = value.name;
  spec.dtype = value.dtype;
  if (value.declared_shape) {
    spec.has_shape = true;
    for (const ir::Dim& d : *value.declared_shape) {
      spec.dims.push_back(d.is_fixed() ? d.size : -1);
      spec.dim_names.push_back(d.symbol);
    }
  }
  return spec;
}

}  // namespace

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

Result<std::unique_ptr<Session>> Session::load(const std::string& model_path,
                                               const SessionOptions& options) {
  RI_ASSIGN_OR_RETURN(onnx_io::LoadedModel model, onnx_io::load_model(model_path));
  Status verified = ir::verify_graph(*model.graph);
  if (!verified.is_ok()) return verified.with_context(model_path);
  std::string report;
  if (options.optimize) {
    passes::PipelineOptions pipeline;
    pipeline.disabled = options.disabled_passes;
    auto optimized = passes::optimize_graph(*model.graph, pipeline);
    if (!optimized.is_ok()) return optimized.status().with_context(model_path);
    report = optimized->to_string();
  }
  auto variant = options.reference_kernels ? kernels::KernelVariant::kReference
                                           : kernels::KernelVariant::kOptimized;
  auto compiled = CompiledGraph::compile(model.graph, variant);
  if (!compiled.is_ok()) return compiled.status().with_context(model_path);
  auto impl = std::make_unique<Impl>();
  impl->graph = std::move(compiled).value();
  impl->pool = std::make_unique<runtime::ThreadPool>(options.num_threads, options.cpus);
  const ir::Graph& g = impl->graph->graph();
  for (ir::ValueId id : g.inputs) impl->inputs.push_back(spec_of(g.value(id)));
  for (ir::ValueId id : g.outputs) impl->outputs.push_back(spec_of(g.value(id)));
  impl->input_ptrs.resize(g.inputs.size());
  impl->optimization_report = std::move(report);
  return std::unique_ptr<Session>(new Session(std::move(impl)));
}

const std::vector<TensorSpec>& Session::inputs() const { return impl_->inputs; }
const std::vector<TensorSpec>& Session::outputs() const { return impl_->outputs; }

Status Session::Impl::check_inputs(const std::vector<Tensor>& given) const {
  if (given.size() != inputs.size()) {
    return invalid_argument("model takes {} inputs, got {}", inputs.size(), given.size());
  }
  for (size_t i = 0; i < given.size(); ++i) {
    const TensorSpec& spec = inputs[i];
    const Tensor& t = given[i];
    if (spec.dtype != DType::kUndefined && !dtype_is_computable(spec.dtype)) {
      return unsupported("input '{}' has dtype {}, which recinfer does not compute", spec.name,
                         dtype_name(spec.dtype));
    }
    if (spec.dtype != DType::kUndefined && t.dtype() != spec.dtype) {
      return invalid_argument("input '{}' must be {}, got {}", spec.name, dtype_name(spec.dtype),
                              dtype_name(t.dtype()));
    }
    if (t.numel() > 0 && t.raw() == nullptr) {
      return invalid_argument("input '{}' has shape {} but no data", spec.name,
                              t.shape().to_string());
    }
    if (!spec.has_shape) continue;
    if (t.rank() != static_cast<int>(spec.dims.size())) {
      return invalid_argument("input '{}' must have rank {}, got shape {}", spec.name,
                              spec.dims.size(), t.shape().to_string());
    }
    for (int d = 0; d < t.rank(); ++d) {
      if (spec.dims[static_cast<size_t>(d)] >= 0 && spec.dims[static_cast<size_t>(d)] != t.shape()[d]) {
        return invalid_argument("input '{}' dimension {} must be {}, got {} (shape {})", spec.name,
                                d, spec.dims[static_cast<size_t>(d)], t.shape()[d],
                                t.shape().to_string());
      }
    }
  }
  return Status::ok();
}

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
  RI_RETURN_IF_ERROR(impl.check_inputs(inputs));
  // oneDNN runs on OpenMP; parallelism is ours, so its GEMMs stay single-threaded per thread.
  omp_set_num_threads(1);
  RI_ASSIGN_OR_RETURN(Executor * executor, impl.executor_for(inputs));
  impl.last = executor;
  for (size_t i = 0; i < inputs.size(); ++i) impl.input_ptrs[i] = &inputs[i];
  if (recorder != nullptr) {
    recorder->begin_ops(*executor);
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
