#include "passes/count_distinct_fusion.h"

#include <fmt/format.h>

#include "kernels/op_runner.h"
#include "passes/comparison_match.h"
#include "passes/node_rewrite_pass.h"

namespace recinfer::passes {
namespace {

using ir::OpType;

class CountDistinctFusion final : public NodeRewritePass {
 public:
  std::string_view name() const override { return "count-distinct-fusion"; }
  std::string_view summary() const override {
    return "Unique(x) -> comparison with a constant -> Cast -> ReduceSum -> CountDistinct";
  }

 protected:
  std::optional<Rewrite> rewrite(const GraphQuery& q, const ir::Node& node) override {
    if (node.op != OpType::kReduceSum || !reduces_all_of_a_vector(q, node)) return std::nullopt;
    const ir::Node* cast = q.producer(node.input(0), OpType::kCast);
    if (cast == nullptr) return std::nullopt;
    auto cmp = match_comparison(q, cast->input(0));
    if (!cmp) return std::nullopt;
    if (q.producer(cmp->rhs, OpType::kUnique) != nullptr) cmp = swapped(*cmp);
    const ir::Node* unique = q.producer(cmp->lhs, OpType::kUnique);
    const Tensor* bound = q.constant(cmp->rhs);
    if (unique == nullptr || unique->has_attr("axis") || bound == nullptr || bound->numel() != 1) {
      return std::nullopt;
    }
    ir::ValueId x = unique->input(0);
    DType dtype = q.dtype(x);
    if (bound->dtype() != dtype ||
        !(dtype == DType::kInt64 || dtype == DType::kInt32 || dtype == DType::kFloat32)) {
      return std::nullopt;
    }
    int64_t keepdims = node.attr_int("keepdims", 1);
    return Rewrite{
        make_node(node.name, OpType::kCountDistinct, {x, cmp->rhs}, node.outputs,
                  {{"comparison", kernels::attr_string(cmp->op)},
                   {"to", kernels::attr_int(cast->attr_int("to", 0))},
                   {"keepdims", kernels::attr_int(keepdims)}}),
        fmt::format("{}: distinct values of '{}' that are {} {} (Unique, {}, Cast, ReduceSum)",
                    node.describe(), q.graph().value(x).name, cmp->op,
                    q.constant_scalar(cmp->rhs).value_or(0.0), cmp->op)};
  }

 private:
  // Unique's first output is 1-D: no axes (and noop_with_empty_axes = 0), [0] or [-1] all
  // reduce the whole vector.
  static bool reduces_all_of_a_vector(const GraphQuery& q, const ir::Node& node) {
    auto axes = q.axes(node);
    bool axes_given = node.has_attr("axes") || (node.opset >= 13 && node.input(1) != ir::kNoValue);
    if (!axes_given) return node.attr_int("noop_with_empty_axes", 0) == 0;
    return axes && (*axes == std::vector<int64_t>{0} || *axes == std::vector<int64_t>{-1});
  }
};

}  // namespace

std::unique_ptr<Pass> make_count_distinct_fusion() { return std::make_unique<CountDistinctFusion>(); }

}  // namespace recinfer::passes
