#include "passes/if_folding.h"

#include <fmt/format.h>

#include <optional>
#include <vector>

#include "passes/graph_edit.h"

namespace recinfer::passes {
namespace {

// Ifs inlined per graph before giving up; only a pathological nesting gets anywhere near it.
constexpr int kMaxFoldsPerGraph = 1000;

std::optional<bool> constant_condition(const ir::Graph& graph, const ir::Node& node) {
  const ir::ValueId cond = node.input(0);
  if (cond == ir::kNoValue || !graph.value(cond).constant) return std::nullopt;
  const Tensor& t = *graph.value(cond).constant;
  if (t.dtype() != DType::kBool || t.numel() != 1) return std::nullopt;
  return t.data<bool>()[0];
}

// The index of the first capture of `branch_name` among the node's inputs: captures follow the
// declared inputs in attribute-name order (else_branch, then then_branch).
size_t first_capture(const ir::Node& node, const std::string& branch_name) {
  size_t next = static_cast<size_t>(node.num_declared_inputs);
  for (const auto& [key, attr] : node.attributes) {
    if (key == branch_name) return next;
    if (attr.kind == ir::Attribute::Kind::kGraph && attr.graph) next += attr.graph->captures.size();
  }
  return next;
}

// Inlines the chosen branch of `graph.nodes[index]`; the new nodes take the If's place.
Status inline_branch(ir::Graph& graph, size_t index, bool cond) {
  const ir::Node if_node = graph.nodes[index];  // a copy: the node list is rebuilt below
  const std::string branch_name = cond ? "then_branch" : "else_branch";
  const ir::Graph* branch = if_node.attr_graph(branch_name);
  if (branch == nullptr) {
    return invalid_argument("{}: missing '{}' graph", if_node.describe(), branch_name);
  }
  if (branch->outputs.size() != if_node.outputs.size() || !branch->inputs.empty()) {
    return invalid_argument("{}: '{}' has {} inputs and {} outputs, the node {} outputs",
                            if_node.describe(), branch_name, branch->inputs.size(),
                            branch->outputs.size(), if_node.outputs.size());
  }
  const std::string prefix = if_node.name + "/" + branch_name + "/";
  std::vector<ir::ValueId> map(branch->values.size(), ir::kNoValue);
  const size_t capture_base = first_capture(if_node, branch_name);
  for (size_t k = 0; k < branch->captures.size(); ++k) {
    map[static_cast<size_t>(branch->captures[k])] = if_node.inputs[capture_base + k];
  }
  for (size_t v = 0; v < branch->values.size(); ++v) {
    const ir::Value& value = branch->values[v];
    if (map[v] == ir::kNoValue && value.constant) {
      map[v] = add_constant(graph, prefix + value.name, *value.constant);
    }
  }
  // A branch output made by a branch node (once) becomes the If's output value itself, so
  // consumers and graph outputs need no rewiring.
  std::vector<int> producer = branch->producers();
  for (size_t o = 0; o < branch->outputs.size(); ++o) {
    const auto v = static_cast<size_t>(branch->outputs[o]);
    if (producer[v] >= 0 && map[v] == ir::kNoValue && if_node.outputs[o] != ir::kNoValue) {
      map[v] = if_node.outputs[o];
    }
  }
  std::vector<ir::Node> inlined;
  for (const ir::Node& node : branch->nodes) {
    ir::Node copy = node;
    copy.name = prefix + node.name;
    for (ir::ValueId& in : copy.inputs) {
      if (in != ir::kNoValue) in = map[static_cast<size_t>(in)];
    }
    for (ir::ValueId& out : copy.outputs) {
      if (out == ir::kNoValue) continue;
      auto& target = map[static_cast<size_t>(out)];
      if (target == ir::kNoValue) {
        const ir::Value& value = branch->value(out);
        target = add_unique_value(graph, prefix + value.name, value.dtype);
        graph.value(target).declared_shape = value.declared_shape;
      }
      out = target;
    }
    inlined.push_back(std::move(copy));
  }
  // Outputs the branch did not produce under the If's own value: copy them over.
  for (size_t o = 0; o < branch->outputs.size(); ++o) {
    const ir::ValueId out = if_node.outputs[o];
    const ir::ValueId source = map[static_cast<size_t>(branch->outputs[o])];
    if (out == ir::kNoValue || source == out) continue;
    if (source == ir::kNoValue) {
      return invalid_argument("{}: '{}' output {} is not defined", if_node.describe(),
                              branch_name, o);
    }
    ir::Node identity = make_node(fmt::format("{}output_{}", prefix, o), ir::OpType::kIdentity,
                                  {source}, {out});
    identity.opset = if_node.opset;
    inlined.push_back(std::move(identity));
  }
  for (ir::Node& node : inlined) {
    if (ir::op_domain(node.op).empty() && node.opset == 0) node.opset = if_node.opset;
  }
  graph.nodes.erase(graph.nodes.begin() + static_cast<std::ptrdiff_t>(index));
  graph.nodes.insert(graph.nodes.begin() + static_cast<std::ptrdiff_t>(index),
                     std::make_move_iterator(inlined.begin()),
                     std::make_move_iterator(inlined.end()));
  return Status::ok();
}

class IfFolding final : public Pass {
 public:
  std::string_view name() const override { return "if-folding"; }
  std::string_view summary() const override {
    return "inline the chosen branch of an If whose condition is a constant";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    return for_each_graph(graph, [&](ir::Graph& g) {
      // Scan from the start after every fold: the inlined nodes may hold foldable Ifs too.
      for (int folds = 0; folds < kMaxFoldsPerGraph; ++folds) {
        bool folded = false;
        for (size_t i = 0; i < g.nodes.size() && !folded; ++i) {
          const ir::Node& node = g.nodes[i];
          if (node.op != ir::OpType::kIf) continue;
          const std::optional<bool> cond = constant_condition(g, node);
          if (!cond) continue;
          report.add(fmt::format("{}: cond is {}, inlined {}", node.describe(),
                                 *cond ? "true" : "false",
                                 *cond ? "then_branch" : "else_branch"));
          RI_RETURN_IF_ERROR(inline_branch(g, i, *cond));
          folded = true;
        }
        if (!folded) break;
      }
      return Status::ok();
    });
  }
};

}  // namespace

std::unique_ptr<Pass> make_if_folding() { return std::make_unique<IfFolding>(); }

}  // namespace recinfer::passes
