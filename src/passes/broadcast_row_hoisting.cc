#include "passes/broadcast_row_hoisting.h"

#include <cstring>

#include <fmt/format.h>

#include "kernels/op_runner.h"
#include "passes/graph_edit.h"
#include "passes/graph_query.h"
#include "passes/static_shapes.h"

namespace recinfer::passes {
namespace {

using ir::OpType;
using ir::ValueId;

struct Part {
  ValueId value = ir::kNoValue;  // the Concat input
  ValueId row = ir::kNoValue;    // invariant parts: the tensor Expand broadcasts over the rows
  int64_t begin = 0, width = 0;  // columns of the Concat
};

struct HoistMatch {
  const ir::Node* gemm = nullptr;
  std::vector<Part> variant, invariant;
  int64_t k = 0;
};

// True when every row of `v` broadcast to (M, ·) is the same: rank < 2, or one row.
bool single_row(const StaticShapes& shapes, ValueId v) {
  auto rank = shapes.rank(v);
  return rank && (*rank < 2 || (*rank == 2 && shapes.dim(v, 0) == 1));
}

class BroadcastRowHoisting final : public Pass {
 public:
  std::string_view name() const override { return "broadcast-row-hoisting"; }
  std::string_view summary() const override {
    return "Gemm(Concat(rows..., Expand(one row)...)) -> Gemm over the rows, the broadcast part once into the bias";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    if (graph.opset < 11) return Status::ok();  // the hoisted Gemm leaves C out
    // Earlier fusions leave the nodes they replaced behind; they would count as uses.
    remove_dead_nodes(graph);
    std::vector<HoistMatch> matches;
    {
      GraphQuery q(graph);
      StaticShapes shapes(graph);
      for (const ir::Node& node : graph.nodes) {
        if (auto m = match(q, shapes, node)) matches.push_back(std::move(*m));
      }
    }
    if (matches.empty()) return Status::ok();
    NodeEmitter emit(graph);
    for (const HoistMatch& m : matches) {
      int64_t hoisted = 0;
      for (const Part& p : m.invariant) hoisted += p.width;
      std::string site = fmt::format(
          "{}: {} of {} Concat parts are one row broadcast by Expand ({} of {} columns): "
          "their product is computed once and added to the bias; the per-row Gemm keeps K = {}",
          m.gemm->describe(), m.invariant.size(), m.variant.size() + m.invariant.size(), hoisted,
          m.k, m.k - hoisted);
      const size_t index = static_cast<size_t>(m.gemm - graph.nodes.data());
      RI_ASSIGN_OR_RETURN(ir::Node replacement, rewrite(emit, m));
      graph.nodes[index] = std::move(replacement);
      report.add(std::move(site));
    }
    return commit_emitted(emit);
  }

 private:
  static std::optional<HoistMatch> match(const GraphQuery& q, const StaticShapes& shapes,
                                         const ir::Node& node) {
    if (node.op != OpType::kGemm && node.op != OpType::kFusedGemm) return std::nullopt;
    if (!has_valid_gemm_flags(node)) return std::nullopt;
    if (node.attr_int("transA", 0) != 0 || node.attr_float("alpha", 1.0f) != 1.0f ||
        node.attr_float("beta", 1.0f) != 1.0f) {
      return std::nullopt;
    }
    const Tensor* weight = q.constant(node.input(1));
    if (weight == nullptr || weight->dtype() != DType::kFloat32 || weight->rank() != 2) {
      return std::nullopt;
    }
    ValueId bias = node.input(2);
    if (bias != ir::kNoValue && !single_row(shapes, bias)) return std::nullopt;
    ValueId a = node.input(0);
    const ir::Node* concat = q.producer(a, OpType::kConcat);
    if (concat == nullptr || q.uses(a) != 1 || q.is_graph_output(a) || shapes.rank(a) != 2) {
      return std::nullopt;
    }
    const int64_t axis = concat->attr_int("axis", 0);
    if (axis != 1 && axis != -1) return std::nullopt;

    HoistMatch m;
    m.gemm = &node;
    m.k = node.attr_int("transB", 0) != 0 ? weight->shape()[1] : weight->shape()[0];
    int64_t column = 0;
    for (ValueId part : concat->inputs) {
      auto width = shapes.dim(part, 1);
      if (!width || shapes.rank(part) != 2) return std::nullopt;
      Part p{part, ir::kNoValue, column, *width};
      column += *width;
      const ir::Node* expand = q.producer(part, OpType::kExpand);
      if (expand != nullptr && single_row(shapes, expand->input(0))) {
        p.row = expand->input(0);
        m.invariant.push_back(p);
      } else {
        m.variant.push_back(p);
      }
    }
    if (column != m.k || m.invariant.empty() || m.variant.empty()) return std::nullopt;
    return m;
  }

  // The columns `parts` select from the Concat, as rows (transB = 0) or columns (transB = 1)
  // of the weight.
  static Result<Tensor> slice_weight(const Tensor& weight, bool trans_b,
                                     const std::vector<Part>& parts) {
    int64_t k = 0;
    for (const Part& p : parts) k += p.width;
    const int64_t n = trans_b ? weight.shape()[0] : weight.shape()[1];
    RI_ASSIGN_OR_RETURN(Tensor out, Tensor::allocate(DType::kFloat32,
                                                     trans_b ? Shape{n, k} : Shape{k, n}));
    const float* src = weight.data<float>();
    float* dst = out.data<float>();
    const int64_t src_k = trans_b ? weight.shape()[1] : weight.shape()[0];
    int64_t at = 0;
    for (const Part& p : parts) {
      if (trans_b) {
        for (int64_t r = 0; r < n; ++r) {
          std::memcpy(dst + r * k + at, src + r * src_k + p.begin, sizeof(float) * p.width);
        }
      } else {
        std::memcpy(dst + at * n, src + p.begin * n, sizeof(float) * p.width * n);
      }
      at += p.width;
    }
    return out;
  }

  static Result<ir::Node> rewrite(NodeEmitter& emit, const HoistMatch& m) {
    const ir::Node& gemm = *m.gemm;
    const std::string& base = gemm.name;
    const Tensor& weight = *emit.graph().value(gemm.input(1)).constant;
    const bool trans_b = gemm.attr_int("transB", 0) != 0;
    RI_ASSIGN_OR_RETURN(Tensor w_variant, slice_weight(weight, trans_b, m.variant));
    RI_ASSIGN_OR_RETURN(Tensor w_invariant, slice_weight(weight, trans_b, m.invariant));

    // The broadcast rows, each as (1, width), side by side.
    std::vector<ValueId> rows;
    for (const Part& p : m.invariant) {
      auto shape = Tensor::from_vector<int64_t>(Shape{2}, {1, p.width});
      if (!shape.is_ok()) return shape.status();
      rows.push_back(emit.emit(base + "/row", OpType::kExpand,
                               {p.row, emit.constant(base + "/row_shape", *shape)},
                               DType::kFloat32));
    }
    auto concat = [&](const std::string& name, const std::vector<ValueId>& parts) {
      if (parts.size() == 1) return parts[0];
      return emit.emit(base + name, OpType::kConcat, parts, DType::kFloat32,
                       {{"axis", kernels::attr_int(1)}});
    };
    ValueId row = concat("/broadcast_row", rows);
    std::vector<ValueId> row_gemm_inputs = {row, emit.constant(base + "/broadcast_weight", w_invariant)};
    if (gemm.input(2) != ir::kNoValue) row_gemm_inputs.push_back(gemm.input(2));
    ValueId row_bias = emit.emit(base + "/broadcast_product", OpType::kGemm, row_gemm_inputs,
                                 DType::kFloat32, {{"transB", kernels::attr_int(trans_b ? 1 : 0)}});

    std::vector<ValueId> variant;
    for (const Part& p : m.variant) variant.push_back(p.value);
    ir::Node out = gemm;
    out.inputs = {concat("/rows", variant), emit.constant(base + "/row_weight", w_variant), row_bias};
    out.num_declared_inputs = 3;
    return out;
  }
};

}  // namespace

std::unique_ptr<Pass> make_broadcast_row_hoisting() {
  return std::make_unique<BroadcastRowHoisting>();
}

}  // namespace recinfer::passes
