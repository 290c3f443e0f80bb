// Loading a model for serving, shared by Session and Engine: ONNX file -> verified ir::Graph ->
// graph passes -> CompiledGraph (kernels prepared and weights pre-packed once), plus the
// request checks both run before touching an instance.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "recinfer/session.h"
#include "runtime/compiled_graph.h"

namespace recinfer::runtime {

struct ModelLoadOptions {
  bool optimize = true;
  std::vector<std::string> disabled_passes;
  bool reference_kernels = false;
  Limits limits;
  bool allow_external_hardlinks = false;
};

struct CompiledModel {
  std::shared_ptr<const CompiledGraph> graph;  // immutable; shared by every instance
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  std::string optimization_report;  // "" when the passes were off
};

Result<CompiledModel> compile_model(const std::string& model_path, const ModelLoadOptions& options);

// Checks a request against the model's inputs: count, dtype, rank and fixed dimensions. Does not
// allocate unless it fails.
Status check_inputs(const std::vector<TensorSpec>& specs, const std::vector<Tensor>& given);

}  // namespace recinfer::runtime
