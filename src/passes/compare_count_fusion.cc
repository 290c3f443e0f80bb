#include "passes/compare_count_fusion.h"

#include <fmt/format.h>

#include <algorithm>

#include "kernels/op_runner.h"
#include "passes/comparison_match.h"
#include "passes/node_rewrite_pass.h"

namespace recinfer::passes {
namespace {

using ir::OpType;

bool countable(DType dtype) {
  return dtype == DType::kInt64 || dtype == DType::kInt32 || dtype == DType::kFloat32;
}

class CompareCountFusion final : public NodeRewritePass {
 public:
  std::string_view name() const override { return "compare-count-fusion"; }
  std::string_view summary() const override {
    return "Equal/Greater/Less(a, b) -> Cast -> ReduceSum(last axis) -> CompareCount";
  }

 protected:
  std::optional<Rewrite> rewrite(const GraphQuery& q, const ir::Node& node) override {
    if (node.op != OpType::kReduceSum) return std::nullopt;
    const ir::Node* cast = q.producer(node.input(0), OpType::kCast);
    if (cast == nullptr) return std::nullopt;
    auto cmp = match_comparison(q, cast->input(0));
    if (!cmp || !countable(q.dtype(cmp->lhs)) || q.dtype(cmp->lhs) != q.dtype(cmp->rhs)) {
      return std::nullopt;
    }
    auto axes = q.axes(node);
    auto lhs_rank = q.rank(cmp->lhs);
    auto rhs_rank = q.rank(cmp->rhs);
    std::optional<int> rank;
    if (lhs_rank && rhs_rank) rank = std::max(*lhs_rank, *rhs_rank);
    if (!axes || !is_last_axis(*axes, rank)) return std::nullopt;
    int64_t to = cast->attr_int("to", 0);
    int64_t keepdims = node.attr_int("keepdims", 1);
    return Rewrite{
        make_node(node.name, OpType::kCompareCount, {cmp->lhs, cmp->rhs}, node.outputs,
                  {{"comparison", kernels::attr_string(cmp->op)},
                   {"to", kernels::attr_int(to)},
                   {"keepdims", kernels::attr_int(keepdims)}}),
        fmt::format("{}: count of {}('{}', '{}') over the last axis ({}, Cast, ReduceSum)",
                    node.describe(), cmp->op, q.graph().value(cmp->lhs).name,
                    q.graph().value(cmp->rhs).name, cmp->op)};
  }
};

}  // namespace

std::unique_ptr<Pass> make_compare_count_fusion() { return std::make_unique<CompareCountFusion>(); }

}  // namespace recinfer::passes
