#include "passes/dot_interaction_fusion.h"

#include <fmt/format.h>

#include "passes/node_rewrite_pass.h"

namespace recinfer::passes {
namespace {

using ir::kNoValue;
using ir::OpType;
using ir::ValueId;

bool has_perm(const ir::Node* node, std::vector<int64_t> perm) {
  return node != nullptr && node->attr_ints("perm") == perm;
}

class DotInteractionFusion final : public NodeRewritePass {
 public:
  std::string_view name() const override { return "dot-interaction-fusion"; }
  std::string_view summary() const override {
    return "BatchMatMul(T, Tᵀ) + lower-triangle Gather (DLRM interaction) -> DotInteraction";
  }

 protected:
  std::optional<Rewrite> rewrite(const GraphQuery& q, const ir::Node& node) override {
    // Root: Reshape(Transpose(Reshape(Gather(...)), [1, 0]), (B, K)).
    if (node.op != OpType::kReshape) return std::nullopt;
    const ir::Node* transpose = q.producer(node.input(0), OpType::kTranspose);
    if (!has_perm(transpose, {1, 0})) return std::nullopt;
    const ir::Node* reshape = q.producer(transpose->input(0), OpType::kReshape);
    const ir::Node* gather = reshape ? q.producer(reshape->input(0), OpType::kGather) : nullptr;
    if (gather == nullptr || gather->attr_int("axis", 0) != 0) return std::nullopt;
    const ir::Node* flatten = q.producer(gather->input(0), OpType::kFlatten);
    if (flatten == nullptr || flatten->attr_int("axis", 1) != 2) return std::nullopt;
    const ir::Node* zt = q.producer(flatten->input(0), OpType::kTranspose);
    if (!has_perm(zt, {1, 2, 0})) return std::nullopt;
    ValueId z = zt->input(0);
    const ir::Node* matmul = q.producer(z, OpType::kMatMul);
    const ir::Node* tt = matmul ? q.producer(matmul->input(1), OpType::kTranspose) : nullptr;
    if (!has_perm(tt, {0, 2, 1}) || tt->input(0) != matmul->input(0)) return std::nullopt;
    ValueId t = matmul->input(0);
    // The flat index is li * F + lj with F = Z.shape[2]: Flatten(axis 2) of (F, F, B) has
    // F * F rows, row li * F + lj holding Z[:, li, lj].
    auto pairs = match_flat_index(q, gather->input(1), z);
    if (!pairs) return std::nullopt;
    // Both reshapes keep the (K, B) / (B, K) layout: (-1, B) and (B, len(index)).
    if (!is_dims(q, reshape->input(1), {kMinusOne, kBatch}, z, kNoValue) ||
        !is_dims(q, node.input(1), {kBatch, kShapeOfIndex}, z, gather->input(1))) {
      return std::nullopt;
    }
    // The intermediates must not be read elsewhere, or nothing would be saved. (Z itself may
    // be: its Shape feeds the reshapes; the MatMul goes once those uses are dead.)
    for (ValueId v : {zt->outputs[0], flatten->outputs[0], gather->outputs[0],
                      reshape->outputs[0], transpose->outputs[0]}) {
      if (q.uses(v) != 1 || q.is_graph_output(v)) return std::nullopt;
    }
    return Rewrite{make_node(node.name, OpType::kDotInteraction, {t, pairs->first, pairs->second},
                             node.outputs),
                   fmt::format("{}: pairwise dots of '{}' ({} pairs; MatMul, 3 Transpose, "
                               "Flatten, Gather, 2 Reshape)",
                               node.describe(), q.graph().value(t).name,
                               q.constant(pairs->first)->numel())};
  }

 private:
  // Pieces of a shape Concat.
  enum Piece { kMinusOne, kBatch, kShapeOfIndex };  // [-1], Gather(Shape(z), 0), Shape(index)

  // Gather(Shape(z), c) with constant c == axis (scalar or [axis]).
  static bool is_shape_dim(const GraphQuery& q, ValueId v, ValueId z, int64_t axis) {
    const ir::Node* g = q.producer(v, OpType::kGather);
    if (g == nullptr || g->attr_int("axis", 0) != 0) return false;
    auto index = q.constant_ints(g->input(1));
    if (!index || index->size() != 1 || (*index)[0] != axis) return false;
    const ir::Node* shape = q.producer(g->input(0), OpType::kShape);
    return shape != nullptr && shape->input(0) == z && shape->attr_int("start", 0) == 0 &&
           !shape->has_attr("end");
  }

  // li * F + lj, F = z.shape[2]: returns (li, lj) constant value ids.
  static std::optional<std::pair<ValueId, ValueId>> match_flat_index(const GraphQuery& q,
                                                                     ValueId index, ValueId z) {
    const ir::Node* add = q.producer(index, OpType::kAdd);
    if (add == nullptr) return std::nullopt;
    for (int side = 0; side < 2; ++side) {
      const ir::Node* mul = q.producer(add->input(1 - side), OpType::kMul);
      ValueId lj = add->input(side);
      if (mul == nullptr || !is_index_vector(q, lj)) continue;
      for (int m = 0; m < 2; ++m) {
        ValueId li = mul->input(m);
        if (is_index_vector(q, li) && is_shape_dim(q, mul->input(1 - m), z, 2) &&
            q.constant(li)->numel() == q.constant(lj)->numel()) {
          return std::make_pair(li, lj);
        }
      }
    }
    return std::nullopt;
  }

  static bool is_index_vector(const GraphQuery& q, ValueId v) {
    const Tensor* t = q.constant(v);
    return t != nullptr && t->dtype() == DType::kInt64 && t->rank() == 1;
  }

  static bool is_dims(const GraphQuery& q, ValueId shape, std::vector<Piece> want, ValueId z,
                      ValueId index) {
    const ir::Node* concat = q.producer(shape, OpType::kConcat);
    if (concat == nullptr || concat->inputs.size() != want.size()) return false;
    for (size_t i = 0; i < want.size(); ++i) {
      ValueId piece = concat->inputs[i];
      if (want[i] == kMinusOne) {
        if (q.constant_ints(piece) != std::vector<int64_t>{-1}) return false;
      } else if (want[i] == kShapeOfIndex) {
        const ir::Node* s = q.producer(piece, OpType::kShape);
        if (s == nullptr || s->input(0) != index) return false;
      } else {
        const ir::Node* unsq = q.producer(piece, OpType::kUnsqueeze);
        if (!is_shape_dim(q, unsq ? unsq->input(0) : piece, z, 0)) return false;
      }
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<Pass> make_dot_interaction_fusion() { return std::make_unique<DotInteractionFusion>(); }

}  // namespace recinfer::passes
