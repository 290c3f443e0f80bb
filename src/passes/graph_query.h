// Read-only questions passes ask about a graph: which node produces a value, which constant a
// value holds, what axes a reduce/unsqueeze uses (attribute before opset 13, input after).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "passes/static_shapes.h"

namespace recinfer::passes {

// Producer index per value (-1: graph input, constant or capture), computed once per pass run.
class GraphQuery {
 public:
  explicit GraphQuery(const ir::Graph& graph);
  // For a subgraph: `owner` is the node holding it in the graph `enclosing` describes, so that
  // constants captured from the enclosing scope are seen as constants here too.
  GraphQuery(const ir::Graph& subgraph, const GraphQuery& enclosing, const ir::Node& owner);

  const ir::Graph& graph() const { return graph_; }
  // The node producing `v` if it is an `op` node (output index `output`), else nullptr.
  const ir::Node* producer(ir::ValueId v, ir::OpType op, int output = 0) const;
  const ir::Node* producer(ir::ValueId v) const;
  int producer_index(ir::ValueId v) const;
  // How many node inputs (and graph outputs) read `v`.
  int uses(ir::ValueId v) const { return v < 0 ? 0 : use_counts_[static_cast<size_t>(v)]; }
  bool is_graph_output(ir::ValueId v) const;

  const Tensor* constant(ir::ValueId v) const;
  // Integer constant (int64/int32) as int64 values.
  std::optional<std::vector<int64_t>> constant_ints(ir::ValueId v) const;
  // Single-element numeric constant (any rank with one element) as double.
  std::optional<double> constant_scalar(ir::ValueId v) const;
  // The value's dtype: declared, constant, or followed through dtype-preserving ops
  // (Identity, Reshape, Squeeze, Unsqueeze, Transpose, Flatten, Expand, Unique, Gather's data).
  DType dtype(ir::ValueId v) const;
  // Rank from the declared shape or the constant or, for values of a top-level graph, from the
  // kernels' shape inference over probe bindings of the symbolic input dims (StaticShapes,
  // computed on first need), when known.
  std::optional<int> rank(ir::ValueId v) const;

  // Axes of a Reduce*/Unsqueeze/Squeeze node: from the `axes` attribute or, from opset 13 on
  // (ReduceSum, Unsqueeze, Squeeze), the constant second input. nullopt when absent or not constant.
  std::optional<std::vector<int64_t>> axes(const ir::Node& node) const;

 private:
  const ir::Graph& graph_;
  const GraphQuery* enclosing_ = nullptr;
  const ir::Node* owner_ = nullptr;
  std::optional<int> propagated_rank(ir::ValueId v, int depth) const;

  std::vector<int> producers_;
  std::vector<int> use_counts_;
  mutable std::shared_ptr<const StaticShapes> shapes_;  // lazily, top-level graphs only
};

// "sum", "mean" or "max" for ReduceSum, ReduceMean, ReduceMax (the modes of the pooling ops).
std::optional<std::string> reduce_mode(ir::OpType op);

// "Relu", "Sigmoid" or "Tanh" for the activations FusedGemm applies, else nullptr.
const char* activation_name(ir::OpType op);

// True when `axes` names exactly the last axis of a rank-`rank` tensor (rank may be unknown,
// then only -1 qualifies).
bool is_last_axis(const std::vector<int64_t>& axes, std::optional<int> rank);

// A Gemm/FusedGemm whose transA and transB are 0 or 1. Passes leave any other Gemm alone, so the
// kernel refuses the invalid flag at load instead of a pass reading it as "true" and hiding it.
bool has_valid_gemm_flags(const ir::Node& node);

}  // namespace recinfer::passes
