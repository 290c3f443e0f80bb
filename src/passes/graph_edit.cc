#include "passes/graph_edit.h"

#include <fmt/format.h>

#include <queue>

namespace recinfer::passes {

using ir::ValueId;

Status topo_sort(ir::Graph& graph) {
  const size_t n = graph.nodes.size();
  std::vector<int> producer = graph.producers();
  std::vector<int> pending(n, 0);
  std::vector<std::vector<int>> consumers(n);
  for (size_t i = 0; i < n; ++i) {
    for (ValueId in : graph.nodes[i].inputs) {
      if (in == ir::kNoValue) continue;
      int p = producer[static_cast<size_t>(in)];
      if (p < 0 || p == static_cast<int>(i)) continue;
      ++pending[i];
      consumers[static_cast<size_t>(p)].push_back(static_cast<int>(i));
    }
  }
  // Min-heap on the old index keeps the order stable.
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i) {
    if (pending[i] == 0) ready.push(static_cast<int>(i));
  }
  std::vector<int> order;
  order.reserve(n);
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int c : consumers[static_cast<size_t>(i)]) {
      if (--pending[static_cast<size_t>(c)] == 0) ready.push(c);
    }
  }
  if (order.size() != n) {
    return internal_error("graph '{}': nodes form a cycle after a rewrite", graph.name);
  }
  std::vector<ir::Node> sorted;
  sorted.reserve(n);
  for (int i : order) sorted.push_back(std::move(graph.nodes[static_cast<size_t>(i)]));
  graph.nodes = std::move(sorted);
  return Status::ok();
}

int remove_dead_nodes(ir::Graph& graph) {
  int removed = 0;
  for (ir::Node& node : graph.nodes) {
    for (auto& [key, attribute] : node.attributes) {
      if (attribute.kind == ir::Attribute::Kind::kGraph && attribute.graph) {
        removed += remove_dead_nodes(*attribute.graph);
      }
    }
  }
  std::vector<int> uses = graph.use_counts();
  std::vector<bool> dead(graph.nodes.size(), false);
  for (size_t i = graph.nodes.size(); i-- > 0;) {
    const ir::Node& node = graph.nodes[i];
    bool used = false;
    for (ValueId out : node.outputs) used = used || (out != ir::kNoValue && uses[static_cast<size_t>(out)] > 0);
    if (used) continue;
    dead[i] = true;
    ++removed;
    for (ValueId in : node.inputs) {
      if (in != ir::kNoValue) --uses[static_cast<size_t>(in)];
    }
  }
  std::vector<ir::Node> kept;
  kept.reserve(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    if (!dead[i]) kept.push_back(std::move(graph.nodes[i]));
  }
  graph.nodes = std::move(kept);
  // Captures count as uses: a subgraph's captured constants stay.
  std::vector<bool> keep(graph.values.size(), false);
  for (ValueId v : graph.captures) keep[static_cast<size_t>(v)] = true;
  for (ValueId v : graph.inputs) keep[static_cast<size_t>(v)] = true;
  for (size_t v = 0; v < graph.values.size(); ++v) {
    if (uses[v] == 0 && !keep[v]) graph.values[v].constant.reset();
  }
  return removed;
}

void replace_uses(ir::Graph& graph, ValueId from, ValueId to) {
  for (ir::Node& node : graph.nodes) {
    for (ValueId& in : node.inputs) {
      if (in == from) in = to;
    }
  }
}

ValueId add_unique_value(ir::Graph& graph, const std::string& hint, DType dtype) {
  std::string name = hint;
  for (int k = 1; graph.find_value(name).has_value(); ++k) name = fmt::format("{}_{}", hint, k);
  ir::Value value;
  value.name = name;
  value.dtype = dtype;
  return graph.add_value(std::move(value));
}

ValueId add_constant(ir::Graph& graph, const std::string& hint, Tensor tensor) {
  ValueId v = add_unique_value(graph, hint, tensor.dtype());
  ir::Value& value = graph.value(v);
  value.declared_shape.emplace();
  for (int64_t d : tensor.shape()) value.declared_shape->push_back(ir::Dim{d, {}});
  value.constant = std::move(tensor);
  return v;
}

}  // namespace recinfer::passes

namespace recinfer::passes {

ir::Node make_node(std::string name, ir::OpType op, std::vector<ir::ValueId> inputs,
                   std::vector<ir::ValueId> outputs,
                   std::map<std::string, ir::Attribute, std::less<>> attributes) {
  ir::Node node;
  node.name = std::move(name);
  node.op = op;
  node.opset = ir::op_domain(op).empty() ? 0 : 1;  // ONNX ops: the caller sets the graph's opset
  node.num_declared_inputs = static_cast<int>(inputs.size());
  node.inputs = std::move(inputs);
  node.outputs = std::move(outputs);
  node.attributes = std::move(attributes);
  return node;
}

}  // namespace recinfer::passes

namespace recinfer::passes {

ir::ValueId NodeEmitter::emit(const std::string& name, ir::OpType op,
                              std::vector<ir::ValueId> inputs, DType dtype,
                              std::map<std::string, ir::Attribute, std::less<>> attributes) {
  ir::ValueId out = add_unique_value(graph_, name + "_output", dtype);
  ir::Node node = make_node(name, op, std::move(inputs), {out}, std::move(attributes));
  if (ir::op_domain(op).empty()) node.opset = graph_.opset;
  nodes.push_back(std::move(node));
  return out;
}

Status commit_emitted(NodeEmitter& emitter) {
  ir::Graph& graph = emitter.graph();
  for (ir::Node& node : emitter.nodes) graph.nodes.push_back(std::move(node));
  emitter.nodes.clear();
  return topo_sort(graph);
}

}  // namespace recinfer::passes
