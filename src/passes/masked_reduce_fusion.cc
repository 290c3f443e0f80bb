#include "passes/masked_reduce_fusion.h"

#include <fmt/format.h>

#include "kernels/op_runner.h"
#include "passes/comparison_match.h"
#include "passes/node_rewrite_pass.h"

namespace recinfer::passes {
namespace {

using ir::OpType;

class MaskedReduceFusion final : public NodeRewritePass {
 public:
  std::string_view name() const override { return "masked-reduce-fusion"; }
  std::string_view summary() const override {
    return "NonZero -> Transpose -> GatherND -> Reduce(axis 0) -> MaskedReduce (static shapes)";
  }

 protected:
  std::optional<Rewrite> rewrite(const GraphQuery& q, const ir::Node& node) override {
    auto mode = reduce_mode(node.op);
    if (!mode || q.axes(node) != std::vector<int64_t>{0}) return std::nullopt;
    const ir::Node* gather = q.producer(node.input(0), OpType::kGatherND);
    if (gather == nullptr || gather->attr_int("batch_dims", 0) != 0) return std::nullopt;
    const ir::Node* transpose = q.producer(gather->input(1), OpType::kTranspose);
    if (transpose == nullptr || transpose->attr_ints("perm") != std::vector<int64_t>{1, 0}) {
      return std::nullopt;
    }
    const ir::Node* nonzero = q.producer(transpose->input(0), OpType::kNonZero);
    if (nonzero == nullptr || !is_bool(q, nonzero->input(0))) return std::nullopt;
    ir::ValueId x = gather->input(0);
    ir::ValueId mask = nonzero->input(0);
    int64_t keepdims = node.attr_int("keepdims", 1);
    return Rewrite{make_node(node.name, OpType::kMaskedReduce, {x, mask}, node.outputs,
                             {{"mode", kernels::attr_string(*mode)},
                              {"keepdims", kernels::attr_int(keepdims)}}),
                   fmt::format("{}: {} of '{}' over the rows '{}' selects "
                               "(NonZero, Transpose, GatherND, {})",
                               node.describe(), *mode, q.graph().value(x).name,
                               q.graph().value(mask).name, ir::op_name(node.op))};
  }

 private:
  static bool is_bool(const GraphQuery& q, ir::ValueId v) {
    if (q.dtype(v) == DType::kBool) return true;
    const ir::Node* p = q.producer(v);
    if (p == nullptr) return false;
    return p->op == OpType::kNot || p->op == OpType::kAnd || p->op == OpType::kOr ||
           match_comparison(q, v).has_value();
  }
};

}  // namespace

std::unique_ptr<Pass> make_masked_reduce_fusion() { return std::make_unique<MaskedReduceFusion>(); }

}  // namespace recinfer::passes
