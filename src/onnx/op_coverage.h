// Which ops of a model recinfer knows, counted before conversion so that a load error lists
// every unsupported op at once (a user fixing one should not meet the next at the next load).
#pragma once

#include <string>
#include <vector>

#include "ir/op_type.h"
#include "onnx/model_loader.h"
#include "recinfer/status.h"

namespace onnx {
class GraphProto;
}

namespace recinfer::onnx_io {

struct UnsupportedOp {
  std::string domain;  // "" for the default ONNX domain
  std::string op_type;
  int opset = 0;
  int nodes = 0;                // how many nodes use it (subgraphs included)
  std::string first_node;       // the name (or op_index) of the first one
};

struct OpCoverage {
  int nodes = 0;  // all nodes, subgraphs included
  std::vector<UnsupportedOp> unsupported;  // in order of first appearance
};

// Walks `graph` and its subgraphs. `default_opset` is the model's ai.onnx version. An op is
// unsupported when it is not in ir/ops.def or, given `supported`, when that says no.
OpCoverage scan_op_coverage(const onnx::GraphProto& graph, int default_opset,
                            OpSupportFn supported = nullptr);

// Ok when every op is known; otherwise one error listing each unsupported op with its opset,
// node count and first node.
Status check_op_coverage(const OpCoverage& coverage);

}  // namespace recinfer::onnx_io
