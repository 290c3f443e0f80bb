#include "passes/masked_gather_fusion.h"

#include <fmt/format.h>

#include "passes/comparison_match.h"
#include "passes/node_rewrite_pass.h"

namespace recinfer::passes {
namespace {

using ir::kNoValue;
using ir::OpType;
using ir::ValueId;

class MaskedGatherFusion final : public NodeRewritePass {
 public:
  std::string_view name() const override { return "masked-gather-fusion"; }
  std::string_view summary() const override {
    return "Gather(table, Where(ids>=0, ids, 0)) masked by ids>=0 -> MaskedGather";
  }

 protected:
  std::optional<Rewrite> rewrite(const GraphQuery& q, const ir::Node& node) override {
    if (node.op == OpType::kMul) {
      for (int side = 0; side < 2; ++side) {
        // Mul(gathered, Unsqueeze(Cast(mask), -1))
        const ir::Node* unsq = q.producer(node.input(1 - side), OpType::kUnsqueeze);
        const ir::Node* cast = unsq ? q.producer(unsq->input(0), OpType::kCast) : nullptr;
        if (cast == nullptr) continue;
        if (auto r = match(q, node, node.input(side), cast->input(0), *unsq)) return r;
      }
    } else if (node.op == OpType::kWhere && q.constant_scalar(node.input(2)) == 0.0) {
      // Where(Unsqueeze(mask, -1), gathered, 0)
      if (const ir::Node* unsq = q.producer(node.input(0), OpType::kUnsqueeze)) {
        return match(q, node, node.input(1), unsq->input(0), *unsq);
      }
    }
    return std::nullopt;
  }

 private:
  // `gathered` must be Gather(table, Where(mask, ids, 0)) with mask = ids >= 0, and `unsq`
  // must append the last axis to the mask.
  static std::optional<Rewrite> match(const GraphQuery& q, const ir::Node& root, ValueId gathered,
                                      ValueId mask, const ir::Node& unsq) {
    auto ids = match_non_negative_mask(q, mask);
    const ir::Node* gather = q.producer(gathered, OpType::kGather);
    if (!ids || gather == nullptr || gather->attr_int("axis", 0) != 0) return std::nullopt;
    const ir::Node* where = q.producer(gather->input(1), OpType::kWhere);
    if (where == nullptr || where->input(1) != *ids || q.constant_scalar(where->input(2)) != 0.0 ||
        match_non_negative_mask(q, where->input(0)) != ids) {
      return std::nullopt;
    }
    auto axes = q.axes(unsq);
    auto rank = q.rank(*ids);
    if (!axes || axes->size() != 1 || !((*axes)[0] == -1 || (rank && (*axes)[0] == *rank))) {
      return std::nullopt;
    }
    ValueId table = gather->input(0);
    return Rewrite{make_node(root.name, OpType::kMaskedGather, {table, *ids}, root.outputs),
                   fmt::format("{}: rows of '{}' by '{}', zero where the id is negative "
                               "(Where, Gather, Cast, Unsqueeze, Mul)",
                               root.describe(), q.graph().value(table).name,
                               q.graph().value(*ids).name)};
  }
};

}  // namespace

std::unique_ptr<Pass> make_masked_gather_fusion() { return std::make_unique<MaskedGatherFusion>(); }

}  // namespace recinfer::passes
