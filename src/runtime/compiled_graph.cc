#include "runtime/compiled_graph.h"

namespace recinfer::runtime {

Result<std::shared_ptr<const CompiledGraph>> CompiledGraph::compile(
    std::shared_ptr<const ir::Graph> graph, kernels::KernelVariant variant) {
  auto compiled = std::shared_ptr<CompiledGraph>(new CompiledGraph());
  compiled->graph_ = graph;
  compiled->variant_ = variant;
  const auto& registry = kernels::KernelRegistry::instance();
  for (const ir::Node& node : graph->nodes) {
    const kernels::OpKernels* op = registry.find(node.op);
    if (op == nullptr) {
      return unsupported("node '{}': unsupported op {} (opset {})", node.name, ir::op_name(node.op),
                         node.opset);
    }
    auto factory = (variant == kernels::KernelVariant::kReference && op->make_reference)
                       ? op->make_reference
                       : op->make;
    std::unique_ptr<kernels::Kernel> kernel = factory(node);
    if (!kernel) return internal_error("{}: no kernel created", node.describe());
    kernels::PrepareContext ctx{node, {}, variant};
    for (ir::ValueId in : node.inputs) {
      const Tensor* constant = nullptr;
      if (in != ir::kNoValue && graph->value(in).constant) constant = &*graph->value(in).constant;
      ctx.constant_inputs.push_back(constant);
    }
    RI_RETURN_IF_ERROR(kernel->prepare(ctx));
    compiled->kernels_.push_back(std::move(kernel));
    compiled->infer_.push_back(op->infer);
  }
  return std::shared_ptr<const CompiledGraph>(std::move(compiled));
}

}  // namespace recinfer::runtime
