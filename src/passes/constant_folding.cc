#include "passes/constant_folding.h"

#include "kernels/op_runner.h"
#include "kernels/registry.h"
#include "passes/graph_edit.h"

namespace recinfer::passes {
namespace {

class ConstantFolding final : public Pass {
 public:
  explicit ConstantFolding(int64_t budget) : budget_(budget) {}
  std::string_view name() const override { return "constant-folding"; }
  std::string_view summary() const override {
    return "evaluate nodes whose inputs are all constants (outputs up to a size budget)";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    return for_each_graph(graph, [&](ir::Graph& g) { return fold(g, report); });
  }

 private:
  // Folds what it can; the folded nodes lose their outputs' uses and die in dead-code elimination.
  Status fold(ir::Graph& graph, PassReport& report) {
    std::vector<bool> is_output(graph.values.size(), false);
    for (ir::ValueId v : graph.outputs) is_output[static_cast<size_t>(v)] = true;
    std::vector<ir::Node> kept;
    kept.reserve(graph.nodes.size());
    for (ir::Node& node : graph.nodes) {
      if (!foldable(graph, node, is_output)) {
        kept.push_back(std::move(node));
        continue;
      }
      auto outputs = evaluate(graph, node);
      if (!outputs) {
        kept.push_back(std::move(node));
        continue;
      }
      for (size_t o = 0; o < node.outputs.size(); ++o) {
        if (node.outputs[o] == ir::kNoValue) continue;
        ir::Value& value = graph.value(node.outputs[o]);
        value.dtype = (*outputs)[o].dtype();
        value.constant = (*outputs)[o];
      }
      if (node.op != ir::OpType::kConstant) report.add(node.describe());
    }
    graph.nodes = std::move(kept);
    return Status::ok();
  }

  static bool foldable(const ir::Graph& graph, const ir::Node& node,
                       const std::vector<bool>& is_output) {
    if (node.op == ir::OpType::kLoop || node.inputs.size() != static_cast<size_t>(node.num_declared_inputs)) {
      return false;
    }
    for (ir::ValueId out : node.outputs) {
      if (out != ir::kNoValue && is_output[static_cast<size_t>(out)]) return false;
    }
    for (ir::ValueId in : node.inputs) {
      if (in != ir::kNoValue && !graph.value(in).constant) return false;
    }
    const kernels::OpSchema* schema = kernels::find_schema(node.op);
    // Control flow is not folded, nor are random ops (one draw would stand for every run).
    return schema != nullptr && schema->make != nullptr && !schema->nondeterministic;
  }

  // The node's outputs, or nullopt when inference says they are too large or data-dependent,
  // or the kernel fails (the error then surfaces, with context, when the model runs).
  std::optional<std::vector<Tensor>> evaluate(const ir::Graph& graph, const ir::Node& node) const {
    std::vector<kernels::TensorInfo> infos(node.inputs.size());
    std::vector<const kernels::TensorInfo*> info_ptrs(node.inputs.size(), nullptr);
    std::vector<Tensor> inputs(node.inputs.size());
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      if (node.inputs[i] == ir::kNoValue) continue;
      const Tensor& t = *graph.value(node.inputs[i]).constant;
      infos[i] = {t.dtype(), t.shape(), &t};
      info_ptrs[i] = &infos[i];
      inputs[i] = t;
    }
    kernels::InferContext ictx(node, info_ptrs, node.outputs.size());
    const kernels::OpSchema* op = kernels::KernelRegistry::instance().find(node.op);
    if (!op->infer(ictx).is_ok()) return std::nullopt;
    for (int o = 0; o < ictx.num_outputs(); ++o) {
      if (ictx.output_dynamic(o) || ictx.output(o).shape.numel() > budget_) return std::nullopt;
    }
    kernels::SerialFor serial;
    auto outputs = kernels::run_node(node, inputs, kernels::KernelVariant::kReference, serial);
    if (!outputs.is_ok()) return std::nullopt;
    return std::move(outputs).value();
  }

  int64_t budget_;
};

}  // namespace

std::unique_ptr<Pass> make_constant_folding(int64_t max_output_elements) {
  return std::make_unique<ConstantFolding>(max_output_elements);
}

}  // namespace recinfer::passes
