// GraphProto -> ir::Graph, recursively for subgraphs, resolving outer-scope names as captures.
#pragma once

#include <memory>

#include "ir/graph.h"
#include "onnx/tensor_proto.h"

namespace onnx {
class GraphProto;
}

namespace recinfer::onnx_io {

struct OpsetInfo {
  int default_opset = 0;
  int recinfer_opset = 0;  // version of the imported ai.recinfer domain; 0 when not imported
};

// Scope chain for resolving names used inside subgraphs.
class Scope {
 public:
  Scope(ir::Graph& graph, Scope* parent) : graph_(graph), parent_(parent) {}
  // Finds `name` here or in an enclosing scope; in the latter case a capture value is created in
  // this graph and the enclosing value is recorded for the owning node.
  std::optional<ir::ValueId> resolve(const std::string& name);
  ir::Graph& graph() { return graph_; }
  // Enclosing-scope ValueIds this graph captured, in graph_.captures order.
  const std::vector<ir::ValueId>& captured_outer() const { return captured_outer_; }

 private:
  ir::Graph& graph_;
  Scope* parent_;
  std::vector<ir::ValueId> captured_outer_;
};

struct ConvertedGraph {
  std::shared_ptr<ir::Graph> graph;
  // For subgraphs: the enclosing-scope ValueIds bound to graph->captures, in order.
  std::vector<ir::ValueId> captured_outer;
};

Result<ConvertedGraph> convert_graph(const onnx::GraphProto& proto, const OpsetInfo& opset,
                                     ExternalDataResolver& resolver, Scope* parent);

}  // namespace recinfer::onnx_io
