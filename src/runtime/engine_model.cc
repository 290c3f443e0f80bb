#include "runtime/engine_model.h"

#include "ir/verifier.h"
#include "kernels/registry.h"
#include "onnx/model_loader.h"
#include "passes/pipeline.h"

namespace recinfer::runtime {

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

Result<CompiledModel> compile_model(const std::string& model_path, const ModelLoadOptions& options) {
  onnx_io::LoadOptions load;
  load.limits = options.limits;
  load.allow_external_hardlinks = options.allow_external_hardlinks;
  load.supported = &kernels::is_supported_op;
  RI_ASSIGN_OR_RETURN(onnx_io::LoadedModel model, onnx_io::load_model(model_path, load));
  Status verified = ir::verify_graph(*model.graph);
  if (!verified.is_ok()) return verified.with_context(model_path);
  CompiledModel out;
  if (options.optimize) {
    passes::PipelineOptions pipeline;
    pipeline.disabled = options.disabled_passes;
    auto optimized = passes::optimize_graph(*model.graph, pipeline);
    if (!optimized.is_ok()) return optimized.status().with_context(model_path);
    out.optimization_report = optimized->to_string();
  }
  auto variant = options.reference_kernels ? kernels::KernelVariant::kReference
                                           : kernels::KernelVariant::kOptimized;
  auto compiled = CompiledGraph::compile(model.graph, variant);
  if (!compiled.is_ok()) return compiled.status().with_context(model_path);
  out.graph = std::move(compiled).value();
  const ir::Graph& g = out.graph->graph();
  for (ir::ValueId id : g.inputs) out.inputs.push_back(spec_of(g.value(id)));
  for (ir::ValueId id : g.outputs) out.outputs.push_back(spec_of(g.value(id)));
  return out;
}

Status check_inputs(const std::vector<TensorSpec>& specs, const std::vector<Tensor>& given) {
  if (given.size() != specs.size()) {
    return invalid_argument("model takes {} inputs, got {}", specs.size(), given.size());
  }
  for (size_t i = 0; i < given.size(); ++i) {
    const TensorSpec& spec = specs[i];
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
      const int64_t want = spec.dims[static_cast<size_t>(d)];
      if (want >= 0 && want != t.shape()[d]) {
        return invalid_argument("input '{}' dimension {} must be {}, got {} (shape {})", spec.name,
                                d, want, t.shape()[d], t.shape().to_string());
      }
    }
  }
  return Status::ok();
}

}  // namespace recinfer::runtime
