#include "passes/matmul_to_gemm.h"

#include <fmt/format.h>

#include "kernels/op_runner.h"
#include "passes/graph_edit.h"
#include "passes/graph_query.h"
#include "passes/static_shapes.h"

namespace recinfer::passes {
namespace {

using ir::OpType;
using ir::ValueId;

struct LinearMatch {
  const ir::Node* last = nullptr;    // the Add (or the MatMul without bias), or the activation
                                     // after it when rows are folded: replaced
  const ir::Node* matmul = nullptr;
  ValueId bias = ir::kNoValue;       // constant, N elements, or none
  const char* activation = nullptr;  // folded rows: the Relu/Sigmoid/Tanh fused into the Gemm
  int rank = 0;                      // of X
};

// With folded rows the activation would follow the Reshape back, out of gemm-activation-fusion's
// reach: take the sole reader of the product if it is one, and fuse it here.
void take_activation(const GraphQuery& q, const std::vector<int>& readers, const ir::Graph& g,
                     LinearMatch& m) {
  const ValueId out = m.last->outputs[0];
  if (m.rank <= 2 || q.uses(out) != 1 || q.is_graph_output(out)) return;
  const int reader = readers[static_cast<size_t>(out)];
  if (reader < 0) return;
  const ir::Node& act = g.nodes[static_cast<size_t>(reader)];
  if (activation_name(act.op) == nullptr) return;
  m.activation = activation_name(act.op);
  m.last = &act;
}

// The node reading each value, when exactly one node does (-1 otherwise).
std::vector<int> sole_readers(const ir::Graph& g) {
  std::vector<int> readers(g.values.size(), -1);
  std::vector<int> count(g.values.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (ValueId in : g.nodes[i].inputs) {
      if (in == ir::kNoValue) continue;
      if (++count[static_cast<size_t>(in)] == 1) readers[static_cast<size_t>(in)] = static_cast<int>(i);
      else readers[static_cast<size_t>(in)] = -1;
    }
  }
  return readers;
}

// A constant with N elements that broadcasts as a row: shape (N) or (1, ..., 1, N).
bool is_row_bias(const Tensor* t, int64_t n) {
  if (t == nullptr || t->dtype() != DType::kFloat32 || t->numel() != n || t->rank() < 1) return false;
  for (int d = 0; d + 1 < t->rank(); ++d) {
    if (t->shape()[d] != 1) return false;
  }
  return t->shape()[t->rank() - 1] == n;
}

class MatMulToGemm final : public Pass {
 public:
  std::string_view name() const override { return "matmul-to-gemm"; }
  std::string_view summary() const override {
    return "MatMul(X, W const 2-D) [+ bias] -> Gemm over X's rows (Reshape views around it)";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    if (graph.opset < 11) return Status::ok();
    remove_dead_nodes(graph);  // replaced nodes of earlier passes would count as readers
    std::vector<LinearMatch> matches;
    {
      GraphQuery q(graph);
      StaticShapes shapes(graph);
      const std::vector<int> readers = sole_readers(graph);
      std::vector<char> taken(graph.nodes.size(), 0);  // a MatMul matched through its Add
      for (const ir::Node& node : graph.nodes) {
        if (node.op == OpType::kAdd) {
          if (auto m = match_add(q, shapes, node)) {
            taken[static_cast<size_t>(m->matmul - graph.nodes.data())] = 1;
            take_activation(q, readers, graph, *m);
            matches.push_back(*m);
          }
        }
      }
      for (const ir::Node& node : graph.nodes) {
        if (node.op != OpType::kMatMul || taken[static_cast<size_t>(&node - graph.nodes.data())]) continue;
        if (auto m = match_matmul(q, shapes, node)) {
          take_activation(q, readers, graph, *m);
          matches.push_back(*m);
        }
      }
    }
    NodeEmitter emit(graph);
    for (const LinearMatch& m : matches) {
      const Tensor& w = *graph.value(m.matmul->input(1)).constant;
      const std::string site = fmt::format(
          "{}: ({}-D x) · '{}' ({}, {}){}{} -> {}{}", m.matmul->describe(), m.rank,
          graph.value(m.matmul->input(1)).name, w.shape()[0], w.shape()[1],
          m.bias != ir::kNoValue ? " + bias" : "", m.activation ? fmt::format(" -> {}", m.activation) : "",
          m.activation ? fmt::format("FusedGemm({})", m.activation) : "Gemm",
          m.rank > 2 ? " over the folded rows" : "");
      const size_t index = static_cast<size_t>(m.last - graph.nodes.data());
      ir::Node replacement = rewrite(emit, m, w.shape()[0], w.shape()[1]);
      graph.nodes[index] = std::move(replacement);
      report.add(site);
    }
    return commit_emitted(emit);
  }

 private:
  static std::optional<LinearMatch> match_matmul(const GraphQuery& q, const StaticShapes& shapes,
                                                 const ir::Node& matmul) {
    const Tensor* w = q.constant(matmul.input(1));
    if (w == nullptr || w->dtype() != DType::kFloat32 || w->rank() != 2) return std::nullopt;
    auto rank = shapes.rank(matmul.input(0));
    if (!rank || *rank < 2 || shapes.dtype(matmul.input(0)) != DType::kFloat32 ||
        shapes.dim(matmul.input(0), -1) != w->shape()[0]) {
      return std::nullopt;
    }
    LinearMatch m;
    m.last = &matmul;
    m.matmul = &matmul;
    m.rank = *rank;
    return m;
  }

  static std::optional<LinearMatch> match_add(const GraphQuery& q, const StaticShapes& shapes,
                                              const ir::Node& add) {
    for (int side = 0; side < 2; ++side) {
      const ir::Node* matmul = q.producer(add.input(side), OpType::kMatMul);
      if (matmul == nullptr || q.uses(add.input(side)) != 1 || q.is_graph_output(add.input(side))) continue;
      auto m = match_matmul(q, shapes, *matmul);
      if (!m) continue;
      const int64_t n = q.constant(matmul->input(1))->shape()[1];
      const Tensor* bias = q.constant(add.input(1 - side));
      // The bias must not add dims to the product (Add broadcasts both ways).
      if (!is_row_bias(bias, n) || bias->rank() > m->rank) continue;
      m->last = &add;
      m->bias = add.input(1 - side);
      return m;
    }
    return std::nullopt;
  }

  static ir::Node rewrite(NodeEmitter& emit, const LinearMatch& m, int64_t k, int64_t n) {
    ir::Graph& g = emit.graph();
    const std::string& base = m.last->name;
    auto ints = [&](const std::string& name, std::vector<int64_t> values) {
      return emit.constant(base + name, *Tensor::from_vector<int64_t>(
                                            Shape{static_cast<int64_t>(values.size())}, values));
    };
    ValueId bias = ir::kNoValue;
    if (m.bias != ir::kNoValue) {
      const Tensor& b = *g.value(m.bias).constant;
      bias = b.rank() == 1 ? m.bias : emit.constant(base + "/bias", b.reshaped(Shape{n}));
    }
    ValueId x = m.matmul->input(0);
    std::vector<ValueId> gemm_inputs = {x, m.matmul->input(1)};
    if (bias != ir::kNoValue) gemm_inputs.push_back(bias);
    if (m.rank == 2) {
      ir::Node gemm = make_node(base, OpType::kGemm, gemm_inputs, m.last->outputs);
      gemm.opset = g.opset;
      return gemm;
    }
    // (..., K) -> (rows, K) -> Gemm -> (..., N): both Reshapes are views.
    gemm_inputs[0] = emit.emit(base + "/rows", OpType::kReshape, {x, ints("/rows_shape", {-1, k})},
                               DType::kFloat32);
    std::map<std::string, ir::Attribute, std::less<>> attrs;
    if (m.activation) attrs["activation"] = kernels::attr_string(m.activation);
    ValueId y = emit.emit(base + "/gemm", m.activation ? OpType::kFusedGemm : OpType::kGemm,
                          gemm_inputs, DType::kFloat32, std::move(attrs));
    ValueId x_shape = emit.emit(base + "/x_shape", OpType::kShape, {x}, DType::kInt64);
    ValueId lead = emit.emit(base + "/lead_dims", OpType::kSlice,
                             {x_shape, ints("/zero", {0}), ints("/minus_one", {-1})}, DType::kInt64);
    ValueId out_shape = emit.emit(base + "/out_shape", OpType::kConcat, {lead, ints("/n", {n})},
                                  DType::kInt64, {{"axis", kernels::attr_int(0)}});
    ir::Node reshape = make_node(base, OpType::kReshape, {y, out_shape}, m.last->outputs);
    reshape.opset = g.opset;
    return reshape;
  }
};

}  // namespace

std::unique_ptr<Pass> make_matmul_to_gemm() { return std::make_unique<MatMulToGemm>(); }

}  // namespace recinfer::passes
