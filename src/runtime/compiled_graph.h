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

 private:
  std::shared_ptr<const ir::Graph> graph_;
  std::vector<std::unique_ptr<kernels::Kernel>> kernels_;
  std::vector<kernels::InferFn> infer_;
  kernels::KernelVariant variant_ = kernels::KernelVariant::kOptimized;
};

}  // namespace recinfer::runtime
