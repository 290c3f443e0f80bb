#include "runtime/compiled_graph.h"

namespace recinfer::runtime {

namespace {

// Graph inputs every reader of which takes any length: EmbeddingBag's ids and weights (inputs
// 1 and 4 of each group of 5; bag bounds are clamped to the id count at run time) and Shape.
std::vector<char> find_ragged_inputs(const ir::Graph& graph) {
  std::vector<char> by_value(graph.values.size(), 0);
  for (ir::ValueId in : graph.inputs) by_value[static_cast<size_t>(in)] = 1;
  for (const ir::Node& node : graph.nodes) {
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const ir::ValueId v = node.inputs[i];
      if (v == ir::kNoValue) continue;
      const bool any_length =
          node.op == ir::OpType::kShape ||
          (node.op == ir::OpType::kEmbeddingBag && static_cast<int>(i) < node.num_declared_inputs &&
           (i % 5 == 1 || i % 5 == 4));
      if (!any_length) by_value[static_cast<size_t>(v)] = 0;
    }
  }
  for (ir::ValueId out : graph.outputs) by_value[static_cast<size_t>(out)] = 0;
  std::vector<char> ragged;
  for (ir::ValueId in : graph.inputs) ragged.push_back(by_value[static_cast<size_t>(in)]);
  return ragged;
}

}  // namespace

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
  compiled->ragged_inputs_ = find_ragged_inputs(*graph);
  return std::shared_ptr<const CompiledGraph>(std::move(compiled));
}

}  // namespace recinfer::runtime
