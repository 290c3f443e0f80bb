// The graph IR: values (SSA), nodes in topological order, graph inputs/outputs, constants.
// Subgraphs (Loop bodies) are Graphs too; values a body reads from the enclosing scope are listed
// in `captures` and appended to the owning node's inputs, so liveness in the outer graph is exact.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/attribute.h"
#include "ir/op_type.h"
#include "recinfer/dtype.h"
#include "recinfer/status.h"
#include "recinfer/tensor.h"

namespace recinfer::ir {

using ValueId = int32_t;
inline constexpr ValueId kNoValue = -1;

// A dimension as declared in the model: a fixed size or a named/unnamed symbol (e.g. "batch").
struct Dim {
  int64_t size = -1;  // >= 0 when fixed
  std::string symbol;
  bool is_fixed() const { return size >= 0; }
};

struct Value {
  std::string name;
  DType dtype = DType::kUndefined;
  std::optional<std::vector<Dim>> declared_shape;  // absent when the model gives no shape
  std::optional<Tensor> constant;                  // initializers and Constant-folded values
};

struct Node {
  std::string name;
  OpType op = OpType::kCount;
  int opset = 0;  // opset version of the node's domain in this model
  std::vector<ValueId> inputs;  // kNoValue for an omitted optional input
  int num_declared_inputs = 0;  // inputs beyond this are implicit captures of subgraphs
  std::vector<ValueId> outputs;  // kNoValue for an omitted optional output
  std::map<std::string, Attribute, std::less<>> attributes;

  bool has_attr(std::string_view key) const { return attributes.find(key) != attributes.end(); }
  const Attribute* attr(std::string_view key) const;
  int64_t attr_int(std::string_view key, int64_t fallback) const;
  float attr_float(std::string_view key, float fallback) const;
  std::string attr_string(std::string_view key, const std::string& fallback) const;
  std::vector<int64_t> attr_ints(std::string_view key) const;  // empty when absent
  std::vector<float> attr_floats(std::string_view key) const;
  const Graph* attr_graph(std::string_view key) const;

  // The declared input i, or kNoValue when omitted/absent.
  ValueId input(int i) const {
    return i < num_declared_inputs ? inputs[static_cast<size_t>(i)] : kNoValue;
  }
  // "node 'name' (Op)": the prefix of every error about this node.
  std::string describe() const;
};

class Graph {
 public:
  std::string name;
  int opset = 0;  // default-domain opset version
  std::vector<Value> values;
  std::vector<Node> nodes;  // topological order
  std::vector<ValueId> inputs;   // runtime inputs (initializers excluded)
  std::vector<ValueId> outputs;
  // Subgraphs only: values of the enclosing graph read by this graph, by local ValueId.
  // captures[k] is bound to the owning node's input (num_declared_inputs + k).
  std::vector<ValueId> captures;

  ValueId add_value(Value value);
  std::optional<ValueId> find_value(std::string_view name) const;
  const Value& value(ValueId id) const { return values[static_cast<size_t>(id)]; }
  Value& value(ValueId id) { return values[static_cast<size_t>(id)]; }

  // For each value, the index of the producing node (-1 for inputs, constants, captures).
  std::vector<int> producers() const;
  // For each value, how many node inputs read it (+1 per graph-output use).
  std::vector<int> use_counts() const;

 private:
  std::map<std::string, ValueId, std::less<>> by_name_;
};

}  // namespace recinfer::ir
