#include "passes/fixed_bag_fusion.h"

#include <fmt/format.h>

#include "kernels/op_runner.h"
#include "passes/graph_edit.h"
#include "passes/graph_query.h"
#include "passes/static_shapes.h"

namespace recinfer::passes {
namespace {

using ir::OpType;
using ir::ValueId;

struct BagMatch {
  const ir::Node* reduce = nullptr;
  const ir::Node* gather = nullptr;
  ValueId weights = ir::kNoValue;  // (B, L, 1) factor of a weighted sum
  std::string mode;
  int64_t bag_length = 0;
  int64_t dim = 0;
};

class FixedBagFusion final : public Pass {
 public:
  std::string_view name() const override { return "fixed-bag-fusion"; }
  std::string_view summary() const override {
    return "Gather(table, ids (B,L)) -> [Mul by (B,L,1)] -> ReduceSum|Mean|Max(axis 1) -> EmbeddingBag";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    if (graph.opset < 11) return Status::ok();  // the rewrite uses Range
    std::vector<BagMatch> matches;
    {
      GraphQuery q(graph);
      StaticShapes shapes(graph);
      for (const ir::Node& node : graph.nodes) {
        if (auto m = match(q, shapes, node)) matches.push_back(*m);
      }
      if (matches.empty()) return Status::ok();
      // Copy out what the rewrite needs: `matches` points into graph.nodes, which is rewritten.
    }
    NodeEmitter emit(graph);
    for (const BagMatch& m : matches) {
      const size_t index = static_cast<size_t>(m.reduce - graph.nodes.data());
      std::string site = fmt::format(
          "{}: {} of '{}' rows gathered by '{}' in bags of {}{}", m.reduce->describe(), m.mode,
          graph.value(m.gather->input(0)).name, graph.value(m.gather->input(1)).name,
          m.bag_length,
          m.weights == ir::kNoValue ? "" : fmt::format(", weighted by '{}'", graph.value(m.weights).name));
      ir::Node replacement = rewrite(emit, m);
      graph.nodes[index] = std::move(replacement);
      report.add(std::move(site));
    }
    return commit_emitted(emit);
  }

 private:
  static std::optional<BagMatch> match(const GraphQuery& q, const StaticShapes& shapes,
                                       const ir::Node& node) {
    auto mode = reduce_mode(node.op);
    if (!mode) return std::nullopt;
    auto axes = q.axes(node);
    if (!axes || axes->size() != 1 || ((*axes)[0] != 1 && (*axes)[0] != -2)) return std::nullopt;
    BagMatch m;
    m.reduce = &node;
    m.mode = *mode;
    ValueId x = node.input(0);
    if (q.uses(x) != 1 || q.is_graph_output(x)) return std::nullopt;
    m.gather = q.producer(x, OpType::kGather);
    if (m.gather == nullptr && node.op == OpType::kReduceSum) {
      const ir::Node* mul = q.producer(x, OpType::kMul);
      if (mul == nullptr) return std::nullopt;
      for (int side = 0; side < 2 && m.gather == nullptr; ++side) {
        ValueId rows = mul->input(side);
        const ir::Node* g = q.producer(rows, OpType::kGather);
        if (g == nullptr || q.uses(rows) != 1 || q.is_graph_output(rows)) continue;
        m.gather = g;
        m.weights = mul->input(1 - side);
      }
    }
    if (m.gather == nullptr || m.gather->attr_int("axis", 0) != 0) return std::nullopt;
    ValueId table = m.gather->input(0), ids = m.gather->input(1);
    if (shapes.dtype(table) != DType::kFloat32 || shapes.rank(table) != 2 || shapes.rank(ids) != 2) {
      return std::nullopt;
    }
    auto dim = shapes.dim(table, 1);
    auto length = shapes.dim(ids, 1);
    if (!dim || !length || *length <= 0) return std::nullopt;
    m.dim = *dim;
    m.bag_length = *length;
    if (m.weights != ir::kNoValue) {
      // One factor per (bag, position), broadcast over the row: (B, L, 1) exactly.
      if (shapes.dtype(m.weights) != DType::kFloat32 || shapes.rank(m.weights) != 3 ||
          !shapes.same_dim(m.weights, 0, ids, 0) || shapes.dim(m.weights, 1) != *length ||
          shapes.dim(m.weights, 2) != 1) {
        return std::nullopt;
      }
    }
    return m;
  }

  static ir::Node rewrite(NodeEmitter& emit, const BagMatch& m) {
    const std::string& base = m.reduce->name;
    auto ints = [&](const std::string& name, const Shape& shape, std::vector<int64_t> values) {
      return emit.constant(base + name, *Tensor::from_vector<int64_t>(shape, values));
    };
    ValueId flat_shape = ints("/flat_shape", Shape{1}, {-1});
    ValueId ids = emit.emit(base + "/flat_ids", OpType::kReshape, {m.gather->input(1), flat_shape},
                            emit.graph().value(m.gather->input(1)).dtype);
    ValueId count_1d = emit.emit(base + "/id_count", OpType::kShape, {ids}, DType::kInt64);
    ValueId count = emit.emit(base + "/id_count_scalar", OpType::kReshape,
                              {count_1d, ints("/scalar_shape", Shape{0}, {})}, DType::kInt64);
    ValueId starts = emit.emit(base + "/bag_starts", OpType::kRange,
                               {ints("/zero", Shape{}, {0}), count,
                                ints("/bag_length", Shape{}, {m.bag_length})},
                               DType::kInt64);
    std::vector<ValueId> inputs = {m.gather->input(0), ids, starts};
    if (m.weights != ir::kNoValue) {
      inputs.push_back(ir::kNoValue);
      inputs.push_back(emit.emit(base + "/flat_weights", OpType::kReshape, {m.weights, flat_shape},
                                 DType::kFloat32));
    }
    auto attrs = std::map<std::string, ir::Attribute, std::less<>>{
        {"mode", kernels::attr_string(m.mode)}};
    if (m.reduce->attr_int("keepdims", 1) == 0) {
      return make_node(base, OpType::kEmbeddingBag, inputs, m.reduce->outputs, std::move(attrs));
    }
    ValueId pooled = emit.emit(base + "/bags", OpType::kEmbeddingBag, inputs, DType::kFloat32,
                               std::move(attrs));
    // keepdims: (B, D) -> (B, 1, D); 0 copies B, which may be symbolic (and may be 0).
    ir::Node reshape = make_node(base, OpType::kReshape,
                                 {pooled, ints("/keepdims_shape", Shape{3}, {0, 1, m.dim})},
                                 m.reduce->outputs);
    reshape.opset = emit.graph().opset;
    return reshape;
  }
};

}  // namespace

std::unique_ptr<Pass> make_fixed_bag_fusion() { return std::make_unique<FixedBagFusion>(); }

}  // namespace recinfer::passes
