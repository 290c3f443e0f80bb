// Structural edits passes share: re-sorting after a node moved, removing dead nodes, rerouting
// uses of a value, adding uniquely named values.
#pragma once

#include <string>

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

// A node of `op` with every input declared; an ai.recinfer op gets opset 1 (set `opset` yourself
// for an ONNX op).
ir::Node make_node(std::string name, ir::OpType op, std::vector<ir::ValueId> inputs,
                   std::vector<ir::ValueId> outputs,
                   std::map<std::string, ir::Attribute, std::less<>> attributes = {});

}  // namespace recinfer::passes
