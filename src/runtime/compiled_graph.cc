#include "runtime/compiled_graph.h"

#include <fmt/format.h>

#include "runtime/control_flow.h"

namespace recinfer::runtime {

namespace {

// Graph inputs every reader of which takes any length (the op schema's ragged_input: e.g.
// EmbeddingBag's ids and weights, Shape).
std::vector<char> find_ragged_inputs(const ir::Graph& graph) {
  std::vector<char> by_value(graph.values.size(), 0);
  for (ir::ValueId in : graph.inputs) by_value[static_cast<size_t>(in)] = 1;
  for (const ir::Node& node : graph.nodes) {
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const ir::ValueId v = node.inputs[i];
      if (v == ir::kNoValue) continue;
      const kernels::OpSchema* schema = kernels::find_schema(node.op);
      const bool any_length =
          schema != nullptr && schema->ragged_input != nullptr && schema->ragged_input(node, i);
      if (!any_length) by_value[static_cast<size_t>(v)] = 0;
    }
  }
  for (ir::ValueId out : graph.outputs) by_value[static_cast<size_t>(out)] = 0;
  std::vector<char> ragged;
  for (ir::ValueId in : graph.inputs) ragged.push_back(by_value[static_cast<size_t>(in)]);
  return ragged;
}

// Every node without a kernel, all listed at once (a user fixing one should not meet the next).
Status check_supported(const ir::Graph& graph) {
  std::vector<std::string> missing;
  for (const ir::Node& node : graph.nodes) {
    if (kernels::find_schema(node.op) == nullptr) {
      missing.push_back(fmt::format("node '{}': {} (opset {})", node.name, ir::op_name(node.op),
                                    node.opset));
    }
  }
  if (missing.empty()) return Status::ok();
  return unsupported("{} node(s) with unsupported ops: {}", missing.size(),
                     fmt::join(missing, "; "));
}

}  // namespace

Result<std::shared_ptr<const CompiledGraph>> CompiledGraph::compile(
    std::shared_ptr<const ir::Graph> graph, kernels::KernelVariant variant) {
  auto compiled = std::shared_ptr<CompiledGraph>(new CompiledGraph());
  compiled->graph_ = graph;
  compiled->variant_ = variant;
  RI_RETURN_IF_ERROR(check_supported(*graph));
  for (const ir::Node& node : graph->nodes) {
    const kernels::OpSchema* op = kernels::find_schema(node.op);
    std::unique_ptr<kernels::Kernel> kernel;
    if (op->make == nullptr) {
      kernel = make_control_flow_kernel(node);
    } else {
      auto factory = (variant == kernels::KernelVariant::kReference && op->make_reference)
                         ? op->make_reference
                         : op->make;
      kernel = factory(node);
    }
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
