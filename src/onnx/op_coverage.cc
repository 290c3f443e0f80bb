#include "onnx/op_coverage.h"

#include <algorithm>

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include "ir/op_type.h"

namespace recinfer::onnx_io {

namespace {

void scan(const onnx::GraphProto& graph, int default_opset, OpSupportFn supported, int depth,
          OpCoverage& coverage) {
  // Protobuf nests at most ~100 levels deep anyway; a bound keeps hostile input off the stack.
  if (depth > 64) return;
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto& node = graph.node(i);
    ++coverage.nodes;
    const std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
    const auto op = ir::find_op(domain, node.op_type());
    if (!op || (supported != nullptr && !supported(*op))) {
      auto it = std::find_if(coverage.unsupported.begin(), coverage.unsupported.end(),
                             [&](const UnsupportedOp& op) {
                               return op.domain == domain && op.op_type == node.op_type();
                             });
      if (it == coverage.unsupported.end()) {
        coverage.unsupported.push_back(
            {domain, node.op_type(), domain.empty() ? default_opset : 0, 0,
             node.name().empty() ? fmt::format("{}_{}", node.op_type(), i) : node.name()});
        it = std::prev(coverage.unsupported.end());
      }
      ++it->nodes;
    }
    for (const onnx::AttributeProto& attr : node.attribute()) {
      if (attr.has_g()) scan(attr.g(), default_opset, supported, depth + 1, coverage);
      for (const onnx::GraphProto& g : attr.graphs()) scan(g, default_opset, supported, depth + 1, coverage);
    }
  }
}

}  // namespace

OpCoverage scan_op_coverage(const onnx::GraphProto& graph, int default_opset,
                            OpSupportFn supported) {
  OpCoverage coverage;
  scan(graph, default_opset, supported, 0, coverage);
  return coverage;
}

Status check_op_coverage(const OpCoverage& coverage) {
  if (coverage.unsupported.empty()) return Status::ok();
  std::string list;
  for (const UnsupportedOp& op : coverage.unsupported) {
    if (!list.empty()) list += "; ";
    const std::string where =
        op.domain.empty() ? fmt::format("opset {}", op.opset) : fmt::format("domain {}", op.domain);
    list += fmt::format("unsupported op {} ({}) in {} node{}, first '{}'", op.op_type, where,
                        op.nodes, op.nodes == 1 ? "" : "s", op.first_node);
  }
  return unsupported("{} of the model's op types cannot run ({} nodes in all): {}",
                     coverage.unsupported.size(), coverage.nodes, list);
}

}  // namespace recinfer::onnx_io
