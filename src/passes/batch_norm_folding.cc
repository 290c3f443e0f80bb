#include "passes/batch_norm_folding.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "kernels/op_runner.h"
#include "passes/graph_edit.h"
#include "passes/graph_query.h"
#include "passes/static_shapes.h"

namespace recinfer::passes {
namespace {

using ir::OpType;
using ir::ValueId;

struct Fold {
  const ir::Node* bn = nullptr;
  const ir::Node* producer = nullptr;  // Conv, Gemm or MatMul
  const ir::Node* add = nullptr;       // the MatMul's bias Add, if any
  int add_bias_input = -1;
  std::vector<const ir::Node*> links;  // Transposes / Unsqueezes, producer side first
  std::vector<double> scale, shift;    // y = p * scale + shift per channel
};

// `v` feeds exactly one node and is not a graph output: its producer may be rewritten.
bool feeds_one(const GraphQuery& q, ValueId v) { return q.uses(v) == 1 && !q.is_graph_output(v); }

const Tensor* float_constant(const GraphQuery& q, ValueId v) {
  const Tensor* t = v == ir::kNoValue ? nullptr : q.constant(v);
  return t != nullptr && t->dtype() == DType::kFloat32 ? t : nullptr;
}

// A constant with `channels` elements broadcasting along the last axis, or (scalars) one.
bool is_row(const Tensor* t, int64_t channels, bool allow_scalar) {
  if (t == nullptr) return false;
  if (allow_scalar && t->numel() == 1) return true;
  if (t->numel() != channels || t->rank() < 1) return false;
  return t->shape()[t->rank() - 1] == channels;
}

// The BatchNormalization's per-channel affine, when it runs in inference mode with constant
// float parameters and only its first output is read.
bool bn_affine(const GraphQuery& q, const ir::Node& bn, Fold* fold) {
  if (bn.opset >= 14 && bn.attr_int("training_mode", 0) != 0) return false;
  if (bn.opset < 9 && bn.attr_int("spatial", 1) == 0) return false;
  for (size_t i = 1; i < bn.outputs.size(); ++i) {
    const ValueId out = bn.outputs[i];
    if (out != ir::kNoValue && (q.uses(out) > 0 || q.is_graph_output(out))) return false;
  }
  const Tensor* p[4];
  for (int i = 0; i < 4; ++i) {
    p[i] = float_constant(q, bn.input(i + 1));
    if (p[i] == nullptr || p[i]->rank() != 1 || p[i]->numel() != p[0]->numel()) return false;
  }
  const double epsilon = bn.attr_float("epsilon", 1e-5f);
  for (int64_t c = 0; c < p[0]->numel(); ++c) {
    const double s = p[0]->data<float>()[c] / std::sqrt(double{p[3]->data<float>()[c]} + epsilon);
    fold->scale.push_back(s);
    fold->shift.push_back(p[1]->data<float>()[c] - p[2]->data<float>()[c] * s);
  }
  return true;
}

// Maps the channel axis from a link's output to its input; false when the channel is not one
// of the input's axes or the mapping needs a rank that is not known.
bool channel_through(const GraphQuery& q, const StaticShapes& shapes, const ir::Node& link,
                     int* axis) {
  const auto rank = shapes.rank(link.outputs[0]);
  if (!rank || *axis >= *rank) return false;
  if (link.op == OpType::kTranspose) {
    const std::vector<int64_t> perm = link.attr_ints("perm");
    if (perm.empty()) {
      *axis = *rank - 1 - *axis;  // no perm: the dims are reversed
      return true;
    }
    if (static_cast<int>(perm.size()) != *rank) return false;
    *axis = static_cast<int>(perm[static_cast<size_t>(*axis)]);
    return true;
  }
  const auto axes = q.axes(link);  // Unsqueeze: axes of the output that are new
  if (!axes) return false;
  int before = 0;
  for (int64_t a : *axes) {
    int d = 0;
    if (!normalize_axis(a, *rank, &d) || d == *axis) return false;
    if (d < *axis) ++before;
  }
  *axis -= before;
  return true;
}

std::optional<Fold> match(const GraphQuery& q, const StaticShapes& shapes, const ir::Node& bn) {
  Fold fold;
  fold.bn = &bn;
  if (!bn_affine(q, bn, &fold)) return std::nullopt;
  const int64_t channels = static_cast<int64_t>(fold.scale.size());
  ValueId v = bn.input(0);
  int axis = 1;
  const ir::Node* p = nullptr;
  for (;;) {
    p = feeds_one(q, v) ? q.producer(v) : nullptr;
    if (p == nullptr) return std::nullopt;
    if ((p->op != OpType::kTranspose && p->op != OpType::kUnsqueeze) || fold.links.size() >= 4) break;
    if (!channel_through(q, shapes, *p, &axis)) return std::nullopt;
    fold.links.insert(fold.links.begin(), p);
    v = p->input(0);
  }
  if (p->op == OpType::kAdd) {
    for (int side = 0; side < 2 && fold.add == nullptr; ++side) {
      const ir::Node* matmul = q.producer(p->input(1 - side), OpType::kMatMul);
      const Tensor* bias = float_constant(q, p->input(side));
      const auto rank = matmul != nullptr ? shapes.rank(matmul->outputs[0]) : std::nullopt;
      // The bias must not add dims to the product (Add broadcasts both ways).
      if (matmul != nullptr && feeds_one(q, p->input(1 - side)) && is_row(bias, channels, false) &&
          rank && bias->rank() <= *rank) {
        fold.add = p;
        fold.add_bias_input = side;
        p = matmul;
      }
    }
    if (fold.add == nullptr) return std::nullopt;
  }
  fold.producer = p;
  const Tensor* w = float_constant(q, p->input(1));
  if (w == nullptr) return std::nullopt;
  switch (p->op) {
    case OpType::kConv: {
      const ValueId b = p->input(2);
      if (fold.add != nullptr || axis != 1 || w->rank() < 3 || w->shape()[0] != channels) return std::nullopt;
      if (b != ir::kNoValue && !is_row(float_constant(q, b), channels, false)) return std::nullopt;
      return fold;
    }
    case OpType::kGemm: {
      const int64_t n = w->rank() == 2 ? w->shape()[p->attr_int("transB", 0) != 0 ? 0 : 1] : -1;
      const ValueId c = p->input(2);
      if (fold.add != nullptr || axis != 1 || n != channels) return std::nullopt;
      if (c != ir::kNoValue) {
        const Tensor* bias = float_constant(q, c);
        if (!is_row(bias, channels, true) || (bias->rank() == 2 && bias->shape()[0] != 1)) return std::nullopt;
      }
      return fold;
    }
    case OpType::kMatMul: {
      const auto rank = shapes.rank(p->outputs[0]);
      if (w->rank() != 2 || w->shape()[1] != channels || !rank || axis != *rank - 1) return std::nullopt;
      return fold;
    }
    default:
      return std::nullopt;
  }
}

Tensor new_tensor(const Shape& shape) { return *Tensor::allocate(DType::kFloat32, shape); }

// The producer's weight with channel c's slice multiplied by scale[c]: rows of a (C, ...) Conv
// weight or Gemm B with transB, columns of a (K, C) MatMul weight or Gemm B.
Tensor scaled_weight(const Tensor& w, const std::vector<double>& scale, bool channel_first) {
  Tensor out = new_tensor(w.shape());
  const int64_t channels = static_cast<int64_t>(scale.size());
  const float* src = w.data<float>();
  float* dst = out.data<float>();
  for (int64_t i = 0; i < w.numel(); ++i) {
    const int64_t c = channel_first ? i / (w.numel() / channels) : i % channels;
    dst[i] = static_cast<float>(src[i] * scale[static_cast<size_t>(c)]);
  }
  return out;
}

// b' = multiplier · b · scale + shift per channel; b may be absent, a single value or C values.
Tensor folded_bias(const Tensor* b, double multiplier, const Fold& f) {
  const int64_t channels = static_cast<int64_t>(f.scale.size());
  Tensor out = new_tensor(Shape{channels});
  for (int64_t c = 0; c < channels; ++c) {
    const double bc = b == nullptr ? 0.0 : b->data<float>()[b->numel() == 1 ? 0 : c];
    out.data<float>()[c] =
        static_cast<float>(multiplier * bc * f.scale[static_cast<size_t>(c)] + f.shift[static_cast<size_t>(c)]);
  }
  return out;
}

// Emits the folded chain; its last node writes the BatchNormalization's output and takes the
// BatchNormalization's place. The old chain is left dead for dead-code elimination.
void rewrite(ir::Graph& g, NodeEmitter& emit, const Fold& f) {
  const ir::Node& p = *f.producer;
  const std::string base = f.bn->name + "/folded";
  // Handles, not pointers: adding constants may move the graph's values.
  const Tensor w = *g.value(p.input(1)).constant;
  std::optional<Tensor> b;
  auto attrs = p.attributes;
  if (p.op == OpType::kConv && p.input(2) != ir::kNoValue) b = *g.value(p.input(2)).constant;
  if (p.op == OpType::kGemm && p.input(2) != ir::kNoValue) b = *g.value(p.input(2)).constant;
  if (f.add != nullptr) b = *g.value(f.add->input(f.add_bias_input)).constant;
  double multiplier = 1.0;
  if (p.op == OpType::kGemm) {
    multiplier = p.attr_float("beta", 1.0f);
    attrs["beta"] = kernels::attr_float(1.0f);
  }
  const bool channel_first = p.op == OpType::kConv || (p.op == OpType::kGemm && p.attr_int("transB", 0) != 0);
  const ValueId weight = emit.constant(base + "/weight", scaled_weight(w, f.scale, channel_first));
  const ValueId bias = emit.constant(base + "/bias", folded_bias(b ? &*b : nullptr, multiplier, f));

  struct Step {
    OpType op;
    std::vector<ValueId> inputs;  // input 0 is filled with the previous step's output
    std::map<std::string, ir::Attribute, std::less<>> attributes;
  };
  std::vector<Step> steps;
  if (p.op == OpType::kMatMul) {
    steps.push_back({OpType::kMatMul, {ir::kNoValue, weight}, {}});
    steps.push_back({OpType::kAdd, {ir::kNoValue, bias}, {}});
  } else {
    steps.push_back({p.op, {ir::kNoValue, weight, bias}, attrs});
  }
  for (const ir::Node* link : f.links) {
    steps.push_back({link->op, std::vector<ValueId>(link->inputs.begin(),
                                                    link->inputs.begin() + link->num_declared_inputs),
                     link->attributes});
  }
  ValueId current = p.input(0);
  for (size_t i = 0; i < steps.size(); ++i) {
    Step& s = steps[i];
    s.inputs[0] = current;
    const std::string name = fmt::format("{}/{}", base, ir::op_name(s.op));
    if (i + 1 < steps.size()) {
      current = emit.emit(name, s.op, s.inputs, DType::kFloat32, s.attributes);
      continue;
    }
    ir::Node last = make_node(name, s.op, s.inputs, {f.bn->outputs[0]}, s.attributes);
    last.opset = f.bn->opset;
    g.nodes[static_cast<size_t>(f.bn - g.nodes.data())] = std::move(last);
  }
}

class BatchNormFolding final : public Pass {
 public:
  std::string_view name() const override { return "batch-norm-folding"; }
  std::string_view summary() const override {
    return "BatchNormalization after Conv / Gemm / MatMul(+bias) [Transpose/Unsqueeze] -> "
           "scaled weights and bias";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    const bool any = std::any_of(graph.nodes.begin(), graph.nodes.end(), [](const ir::Node& n) {
      return n.op == OpType::kBatchNormalization;
    });
    if (!any) return Status::ok();
    remove_dead_nodes(graph);  // replaced nodes of earlier passes would count as readers
    std::vector<Fold> folds;
    {
      GraphQuery q(graph);
      StaticShapes shapes(graph);
      for (const ir::Node& node : graph.nodes) {
        if (node.op != OpType::kBatchNormalization) continue;
        if (auto f = match(q, shapes, node)) folds.push_back(std::move(*f));
      }
    }
    NodeEmitter emit(graph);
    for (const Fold& f : folds) {
      std::string through;
      if (f.add != nullptr) through += " + bias Add";
      for (const ir::Node* link : f.links) through += fmt::format(" -> {}", ir::op_name(link->op));
      report.add(fmt::format("{} folded into {}{} ({} channels)", f.bn->describe(),
                             f.producer->describe(), through, f.scale.size()));
      rewrite(graph, emit, f);
    }
    return commit_emitted(emit);
  }
};

}  // namespace

std::unique_ptr<Pass> make_batch_norm_folding() { return std::make_unique<BatchNormFolding>(); }

}  // namespace recinfer::passes
