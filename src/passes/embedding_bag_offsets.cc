#include "passes/embedding_bag_offsets.h"

#include <fmt/format.h>

#include <limits>

#include "passes/node_rewrite_pass.h"

namespace recinfer::passes {
namespace {

using ir::OpType;
using ir::ValueId;

// `v` is [len(indices)]: Shape(indices) of a 1-D tensor, or Unsqueeze(Gather(Shape(indices), 0)).
bool is_length_of(const GraphQuery& q, ValueId v, ValueId indices) {
  auto shape_of_indices = [&](ValueId s) {
    const ir::Node* shape = q.producer(s, OpType::kShape);
    return shape != nullptr && shape->input(0) == indices && !shape->has_attr("start") &&
           !shape->has_attr("end");
  };
  if (shape_of_indices(v)) return q.rank(indices) == 1;
  const ir::Node* unsqueeze = q.producer(v, OpType::kUnsqueeze);
  if (unsqueeze == nullptr || q.axes(*unsqueeze) != std::vector<int64_t>{0}) return false;
  const ir::Node* gather = q.producer(unsqueeze->input(0), OpType::kGather);
  if (gather == nullptr || gather->attr_int("axis", 0) != 0) return false;
  auto index = q.constant_ints(gather->input(1));
  return index && index->size() == 1 && (*index)[0] == 0 && shape_of_indices(gather->input(0));
}

// ends = Slice(bounds, [1], [>= len], axes [0], steps [1]).
bool is_tail_of(const GraphQuery& q, ValueId ends, ValueId bounds) {
  const ir::Node* slice = q.producer(ends, OpType::kSlice);
  if (slice == nullptr || slice->input(0) != bounds || slice->opset < 10) return false;
  auto starts = q.constant_ints(slice->input(1));
  auto stops = q.constant_ints(slice->input(2));
  if (!starts || !stops || *starts != std::vector<int64_t>{1} || stops->size() != 1 ||
      (*stops)[0] < std::numeric_limits<int32_t>::max()) {
    return false;
  }
  if (slice->input(3) != ir::kNoValue && q.constant_ints(slice->input(3)) != std::vector<int64_t>{0}) {
    return false;
  }
  return slice->input(4) == ir::kNoValue || q.constant_ints(slice->input(4)) == std::vector<int64_t>{1};
}

class EmbeddingBagOffsets final : public NodeRewritePass {
 public:
  std::string_view name() const override { return "embedding-bag-offsets"; }
  std::string_view summary() const override {
    return "EmbeddingBag bounds Concat(offsets, [len]) / Slice(1:) -> the offsets form (no ends)";
  }

 protected:
  std::optional<Rewrite> rewrite(const GraphQuery& q, const ir::Node& node) override {
    if (node.op != OpType::kEmbeddingBag) return std::nullopt;
    ir::Node out = node;
    std::string tables;
    for (size_t g = 0; g + 3 < node.inputs.size(); g += 5) {
      const ValueId indices = node.inputs[g + 1], bounds = node.inputs[g + 2], ends = node.inputs[g + 3];
      if (ends == ir::kNoValue) continue;
      const ir::Node* concat = q.producer(bounds, OpType::kConcat);
      if (concat == nullptr || concat->inputs.size() != 2 || concat->attr_int("axis", 0) != 0 ||
          q.rank(concat->inputs[0]).value_or(1) != 1 || !is_length_of(q, concat->inputs[1], indices) ||
          !is_tail_of(q, ends, bounds)) {
        continue;
      }
      out.inputs[g + 2] = concat->inputs[0];
      out.inputs[g + 3] = ir::kNoValue;
      tables += fmt::format("{}'{}'", tables.empty() ? "" : ", ", q.graph().value(concat->inputs[0]).name);
    }
    if (tables.empty()) return std::nullopt;
    return Rewrite{std::move(out), fmt::format("{}: bags from the offsets {} directly", node.describe(), tables)};
  }
};

}  // namespace

std::unique_ptr<Pass> make_embedding_bag_offsets() { return std::make_unique<EmbeddingBagOffsets>(); }

}  // namespace recinfer::passes
