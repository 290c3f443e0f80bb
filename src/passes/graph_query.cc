#include "passes/graph_query.h"

#include <algorithm>

namespace recinfer::passes {

using ir::OpType;
using ir::ValueId;

GraphQuery::GraphQuery(const ir::Graph& graph)
    : graph_(graph), producers_(graph.producers()), use_counts_(graph.use_counts()) {}

GraphQuery::GraphQuery(const ir::Graph& subgraph, const GraphQuery& enclosing, const ir::Node& owner)
    : GraphQuery(subgraph) {
  enclosing_ = &enclosing;
  owner_ = &owner;
}

int GraphQuery::producer_index(ValueId v) const {
  return v < 0 ? -1 : producers_[static_cast<size_t>(v)];
}

const ir::Node* GraphQuery::producer(ValueId v) const {
  int index = producer_index(v);
  return index < 0 ? nullptr : &graph_.nodes[static_cast<size_t>(index)];
}

const ir::Node* GraphQuery::producer(ValueId v, OpType op, int output) const {
  const ir::Node* node = producer(v);
  if (node == nullptr || node->op != op) return nullptr;
  if (static_cast<int>(node->outputs.size()) <= output ||
      node->outputs[static_cast<size_t>(output)] != v) {
    return nullptr;
  }
  return node;
}

bool GraphQuery::is_graph_output(ValueId v) const {
  return std::find(graph_.outputs.begin(), graph_.outputs.end(), v) != graph_.outputs.end();
}

const Tensor* GraphQuery::constant(ValueId v) const {
  if (v < 0) return nullptr;
  const auto& value = graph_.value(v);
  if (value.constant) return &*value.constant;
  if (enclosing_ == nullptr) return nullptr;
  auto it = std::find(graph_.captures.begin(), graph_.captures.end(), v);
  if (it == graph_.captures.end()) return nullptr;
  size_t k = static_cast<size_t>(owner_->num_declared_inputs) +
             static_cast<size_t>(it - graph_.captures.begin());
  return k < owner_->inputs.size() ? enclosing_->constant(owner_->inputs[k]) : nullptr;
}

std::optional<std::vector<int64_t>> GraphQuery::constant_ints(ValueId v) const {
  const Tensor* t = constant(v);
  if (t == nullptr) return std::nullopt;
  std::vector<int64_t> out(static_cast<size_t>(t->numel()));
  if (t->dtype() == DType::kInt64) {
    std::copy_n(t->data<int64_t>(), out.size(), out.begin());
  } else if (t->dtype() == DType::kInt32) {
    std::copy_n(t->data<int32_t>(), out.size(), out.begin());
  } else {
    return std::nullopt;
  }
  return out;
}

std::optional<double> GraphQuery::constant_scalar(ValueId v) const {
  const Tensor* t = constant(v);
  if (t == nullptr || t->numel() != 1) return std::nullopt;
  switch (t->dtype()) {
    case DType::kFloat32: return static_cast<double>(t->data<float>()[0]);
    case DType::kFloat64: return t->data<double>()[0];
    case DType::kInt64: return static_cast<double>(t->data<int64_t>()[0]);
    case DType::kInt32: return static_cast<double>(t->data<int32_t>()[0]);
    case DType::kBool: return t->data<bool>()[0] ? 1.0 : 0.0;
    default: return std::nullopt;
  }
}

DType GraphQuery::dtype(ValueId v) const {
  for (int depth = 0; depth < 16 && v >= 0; ++depth) {
    DType known = graph_.value(v).dtype;
    if (known != DType::kUndefined) return known;
    if (const Tensor* t = constant(v)) return t->dtype();
    const ir::Node* node = producer(v);
    if (node == nullptr) return DType::kUndefined;
    switch (node->op) {
      case OpType::kIdentity: case OpType::kReshape: case OpType::kSqueeze:
      case OpType::kUnsqueeze: case OpType::kTranspose: case OpType::kFlatten:
      case OpType::kExpand: case OpType::kGather: case OpType::kGatherND:
        v = node->input(0);
        break;
      case OpType::kUnique:
        if (node->outputs[0] != v) return DType::kInt64;  // indices and counts
        v = node->input(0);
        break;
      default:
        return DType::kUndefined;
    }
  }
  return DType::kUndefined;
}

std::optional<int> GraphQuery::rank(ValueId v) const {
  if (v < 0) return std::nullopt;
  if (const Tensor* t = constant(v)) return t->rank();
  const auto& declared = graph_.value(v).declared_shape;
  if (declared) return static_cast<int>(declared->size());
  if (enclosing_ == nullptr) {  // StaticShapes sees top-level values only
    if (!shapes_) shapes_ = std::make_shared<const StaticShapes>(graph_);
    if (auto r = shapes_->rank(v)) return r;
  }
  return propagated_rank(v, 0);
}

// Ranks through ops whose output rank follows from their inputs' ranks alone, for values whose
// dims depend on data (a Slice by bounds read from an input): their rank is still known.
std::optional<int> GraphQuery::propagated_rank(ValueId v, int depth) const {
  const ir::Node* node = producer(v);
  if (node == nullptr || depth > 32) return std::nullopt;
  auto input_rank = [&](int i) -> std::optional<int> {
    const ValueId in = node->input(i);
    if (in == ir::kNoValue) return std::nullopt;
    if (const Tensor* t = constant(in)) return t->rank();
    if (const auto& declared = graph_.value(in).declared_shape) return static_cast<int>(declared->size());
    if (shapes_) {
      if (auto r = shapes_->rank(in)) return r;
    }
    return propagated_rank(in, depth + 1);
  };
  switch (node->op) {
    case OpType::kSlice: case OpType::kCast: case OpType::kCumSum: case OpType::kIdentity:
    case OpType::kConcat: case OpType::kNeg: case OpType::kAbs: case OpType::kRelu:
    case OpType::kTranspose: case OpType::kSoftmax:
      return input_rank(0);
    case OpType::kAdd: case OpType::kSub: case OpType::kMul: case OpType::kDiv: {
      auto a = input_rank(0), b = input_rank(1);
      if (!a || !b) return std::nullopt;
      return std::max(*a, *b);
    }
    case OpType::kGather: {
      auto data = input_rank(0), index = input_rank(1);
      if (!data || !index || *data < 1) return std::nullopt;
      return *data - 1 + *index;
    }
    case OpType::kUnsqueeze: case OpType::kSqueeze: {
      auto in = input_rank(0);
      auto ax = axes(*node);
      if (!in || !ax) return std::nullopt;
      const int n = static_cast<int>(ax->size());
      return node->op == OpType::kUnsqueeze ? *in + n : *in - n;
    }
    default:
      return std::nullopt;
  }
}

std::optional<std::vector<int64_t>> GraphQuery::axes(const ir::Node& node) const {
  if (node.has_attr("axes")) return node.attr_ints("axes");
  bool axes_input = node.op == OpType::kReduceSum || node.op == OpType::kUnsqueeze ||
                    node.op == OpType::kSqueeze;
  if (axes_input && node.opset >= 13 && node.input(1) != ir::kNoValue) {
    return constant_ints(node.input(1));
  }
  return std::nullopt;
}

bool is_last_axis(const std::vector<int64_t>& axes, std::optional<int> rank) {
  if (axes.size() != 1) return false;
  if (axes[0] == -1) return true;
  return rank.has_value() && axes[0] == *rank - 1;
}

bool has_valid_gemm_flags(const ir::Node& node) {
  for (const char* flag : {"transA", "transB"}) {
    const int64_t value = node.attr_int(flag, 0);
    if (value != 0 && value != 1) return false;
  }
  return true;
}

std::optional<std::string> reduce_mode(ir::OpType op) {
  if (op == ir::OpType::kReduceSum) return "sum";
  if (op == ir::OpType::kReduceMean) return "mean";
  if (op == ir::OpType::kReduceMax) return "max";
  return std::nullopt;
}

const char* activation_name(ir::OpType op) {
  return op == ir::OpType::kRelu      ? "Relu"
         : op == ir::OpType::kSigmoid ? "Sigmoid"
         : op == ir::OpType::kTanh    ? "Tanh"
                                      : nullptr;
}

}  // namespace recinfer::passes
