// Structural edits passes share: re-sorting after a node moved, removing dead nodes, rerouting
// uses of a value, adding uniquely named values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "recinfer/status.h"

namespace recinfer::passes {

// Stable topological sort (keeps the existing order wherever it is already valid). Fails, leaving
// the graph unchanged, if the nodes form a cycle.
Status topo_sort(ir::Graph& graph);

// Removes nodes none of whose outputs is used (by a node or as a graph output), repeatedly, in
// this graph and in every subgraph. Drops the constants of values nothing reads any more, so
// dropped weights are not written by `recinfer optimize`. Returns the number of nodes removed.
int remove_dead_nodes(ir::Graph& graph);

// Every node input reading `from` reads `to` instead (graph outputs are left alone).
void replace_uses(ir::Graph& graph, ir::ValueId from, ir::ValueId to);

// A new value named after `hint`, unique in the graph.
ir::ValueId add_unique_value(ir::Graph& graph, const std::string& hint, DType dtype);

// A new constant value (an initializer when the graph is written out) holding `tensor`.
ir::ValueId add_constant(ir::Graph& graph, const std::string& hint, Tensor tensor);

// Calls `fn(graph)` for `graph` and, recursively, every subgraph attribute of its nodes.
template <typename Fn>
Status for_each_graph(ir::Graph& graph, Fn&& fn) {
  for (ir::Node& node : graph.nodes) {
    for (auto& [key, attribute] : node.attributes) {
      if (attribute.kind == ir::Attribute::Kind::kGraph && attribute.graph) {
        RI_RETURN_IF_ERROR(for_each_graph(*attribute.graph, fn));
      }
    }
  }
  return fn(graph);
}

}  // namespace recinfer::passes

namespace recinfer::passes {

// Collects the nodes a multi-node rewrite adds: each emit() makes the node (ONNX ops get the
// graph's opset) with one fresh output value and returns that value. The caller appends
// `nodes` to the graph and re-sorts it (topo_sort).
class NodeEmitter {
 public:
  explicit NodeEmitter(ir::Graph& graph) : graph_(graph) {}
  ir::ValueId emit(const std::string& name, ir::OpType op, std::vector<ir::ValueId> inputs,
                   DType dtype, std::map<std::string, ir::Attribute, std::less<>> attributes = {});
  ir::ValueId constant(const std::string& name, Tensor tensor) {
    return add_constant(graph_, name, std::move(tensor));
  }
  ir::Graph& graph() { return graph_; }
  std::vector<ir::Node> nodes;

 private:
  ir::Graph& graph_;
};

// Appends `emitter.nodes` to its graph and restores topological order.
Status commit_emitted(NodeEmitter& emitter);

// A node of `op` with every input declared; an ai.recinfer op gets opset 1 (set `opset` yourself
// for an ONNX op).
ir::Node make_node(std::string name, ir::OpType op, std::vector<ir::ValueId> inputs,
                   std::vector<ir::ValueId> outputs,
                   std::map<std::string, ir::Attribute, std::less<>> attributes = {});

}  // namespace recinfer::passes
