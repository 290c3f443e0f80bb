#include "passes/expand_matmul_folding.h"

#include <fmt/format.h>

#include "passes/node_rewrite_pass.h"
#include "passes/static_shapes.h"

namespace recinfer::passes {
namespace {

using ir::OpType;
using ir::ValueId;

class ExpandMatMulFolding final : public Pass {
 public:
  std::string_view name() const override { return "expand-matmul-folding"; }
  std::string_view summary() const override {
    return "MatMul(A, Expand(W 2-D)) -> MatMul(A, W): the product broadcasts W itself";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    std::vector<std::pair<size_t, ValueId>> folds;  // (MatMul node, the un-expanded operand)
    {
      GraphQuery q(graph);
      StaticShapes shapes(graph);
      for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const ir::Node& node = graph.nodes[i];
        if (node.op != OpType::kMatMul) continue;
        const ir::Node* expand = q.producer(node.input(1), OpType::kExpand);
        if (expand == nullptr) continue;
        if (folds_away(shapes, node.input(0), node.input(1), expand->input(0))) {
          folds.emplace_back(i, expand->input(0));
        }
      }
    }
    for (const auto& [i, w] : folds) {
      ir::Node& node = graph.nodes[i];
      report.add(fmt::format("{}: B = Expand('{}') read directly, MatMul broadcasts it",
                             node.describe(), graph.value(w).name));
      node.inputs[1] = w;
    }
    return Status::ok();
  }

 private:
  // W is 2-D (K, N), the Expand keeps those last two dims and only adds batch dims that A
  // already has (or 1s): MatMul(A, W) then has exactly MatMul(A, Expand(W))'s shape and values.
  static bool folds_away(const StaticShapes& shapes, ValueId a, ValueId expanded, ValueId w) {
    auto a_rank = shapes.rank(a);
    auto e_rank = shapes.rank(expanded);
    if (!a_rank || !e_rank || shapes.rank(w) != 2 || *e_rank < 2 || *e_rank > *a_rank) return false;
    if (shapes.dim(w, 0) != shapes.dim(expanded, -2) || shapes.dim(w, 1) != shapes.dim(expanded, -1) ||
        !shapes.dim(w, 0) || !shapes.dim(w, 1)) {
      return false;
    }
    for (int d = 0; d + 2 < *e_rank; ++d) {  // batch dims, right-aligned with A's
      const int ad = d + (*a_rank - *e_rank);
      if (shapes.dim(expanded, d) != 1 && !shapes.same_dim(expanded, d, a, ad)) return false;
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<Pass> make_expand_matmul_folding() { return std::make_unique<ExpandMatMulFolding>(); }

}  // namespace recinfer::passes
