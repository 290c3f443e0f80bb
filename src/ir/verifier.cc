#include "ir/verifier.h"

#include <fmt/format.h>

namespace recinfer::ir {

namespace {

Status verify(const Graph& g, const std::string& where) {
  const size_t num_values = g.values.size();
  // defined[v]: available to nodes from now on (inputs, constants, captures, earlier outputs).
  std::vector<char> defined(num_values, 0);
  auto check_id = [&](ValueId id, const std::string& what) -> Status {
    if (id < 0 || static_cast<size_t>(id) >= num_values) {
      return internal_error("{}{}: value id {} out of range [0, {})", where, what, id, num_values);
    }
    return Status::ok();
  };
  for (ValueId id : g.inputs) {
    RI_RETURN_IF_ERROR(check_id(id, " graph input"));
    defined[static_cast<size_t>(id)] = 1;
  }
  for (ValueId id : g.captures) {
    RI_RETURN_IF_ERROR(check_id(id, " capture"));
    defined[static_cast<size_t>(id)] = 1;
  }
  for (size_t v = 0; v < num_values; ++v) {
    if (g.values[v].constant) defined[v] = 1;
  }
  for (const Node& node : g.nodes) {
    if (node.op == OpType::kCount) return internal_error("{}{} has no op", where, node.describe());
    if (node.num_declared_inputs > static_cast<int>(node.inputs.size())) {
      return internal_error("{}{}: {} declared inputs but {} inputs", where, node.describe(),
                            node.num_declared_inputs, node.inputs.size());
    }
    for (ValueId in : node.inputs) {
      if (in == kNoValue) continue;
      RI_RETURN_IF_ERROR(check_id(in, " " + node.describe() + " input"));
      if (!defined[static_cast<size_t>(in)]) {
        return internal_error("{}{} reads '{}' before it is produced", where, node.describe(),
                              g.value(in).name);
      }
    }
    size_t captured = 0;
    for (const auto& [key, attr] : node.attributes) {
      if (attr.kind != Attribute::Kind::kGraph || !attr.graph) continue;
      RI_RETURN_IF_ERROR(verify(*attr.graph, where + node.describe() + " attribute '" + key + "': "));
      captured += attr.graph->captures.size();
    }
    if (node.inputs.size() - static_cast<size_t>(node.num_declared_inputs) != captured) {
      return internal_error("{}{}: {} implicit inputs but its subgraphs capture {}", where,
                            node.describe(), node.inputs.size() - static_cast<size_t>(node.num_declared_inputs),
                            captured);
    }
    for (ValueId out : node.outputs) {
      if (out == kNoValue) continue;
      RI_RETURN_IF_ERROR(check_id(out, " " + node.describe() + " output"));
      if (defined[static_cast<size_t>(out)]) {
        return internal_error("{}{} writes '{}', which is already defined", where, node.describe(),
                              g.value(out).name);
      }
      defined[static_cast<size_t>(out)] = 1;
    }
  }
  for (ValueId out : g.outputs) {
    RI_RETURN_IF_ERROR(check_id(out, " graph output"));
    if (!defined[static_cast<size_t>(out)]) {
      return internal_error("{}graph output '{}' is never produced", where, g.value(out).name);
    }
  }
  return Status::ok();
}

}  // namespace

Status verify_graph(const Graph& graph) { return verify(graph, ""); }

}  // namespace recinfer::ir
