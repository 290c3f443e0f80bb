// A graph with one prepared kernel per node. Immutable after compile(), so several instances
// (and plans for several batch sizes) share it; kernels' compute() is const.
#pragma once

#include <memory>
#include <vector>

#include "ir/graph.h"
#include "kernels/kernel.h"
#include "kernels/registry.h"

namespace recinfer::runtime {

class CompiledGraph {
 public:
  // Fails with `unsupported op X (opset N)` for the first node without a kernel.
  static Result<std::shared_ptr<const CompiledGraph>> compile(std::shared_ptr<const ir::Graph> graph,
                                                              kernels::KernelVariant variant);

  const ir::Graph& graph() const { return *graph_; }
  const std::shared_ptr<const ir::Graph>& graph_ptr() const { return graph_; }
  const kernels::Kernel& kernel(size_t node) const { return *kernels_[node]; }
  kernels::InferFn infer(size_t node) const { return infer_[node]; }
  kernels::KernelVariant variant() const { return variant_; }
  // Per graph input: 1 when it is ragged (see plan_key.h): read only as EmbeddingBag ids or
  // weights, or by Shape.
  const std::vector<char>& ragged_inputs() const { return ragged_inputs_; }

 private:
  std::shared_ptr<const ir::Graph> graph_;
  std::vector<std::unique_ptr<kernels::Kernel>> kernels_;
  std::vector<kernels::InferFn> infer_;
  kernels::KernelVariant variant_ = kernels::KernelVariant::kOptimized;
  std::vector<char> ragged_inputs_;
};

}  // namespace recinfer::runtime
