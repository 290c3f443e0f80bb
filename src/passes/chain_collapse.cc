#include "passes/chain_collapse.h"

#include <fmt/format.h>

#include <algorithm>

#include "ir/dtype_code.h"
#include "passes/node_rewrite_pass.h"

namespace recinfer::passes {
namespace {

using ir::OpType;

// Whether every value of `from` survives a cast to `to` unchanged (so Cast(Cast(x, to), t2)
// equals Cast(x, t2)).
bool lossless(DType from, DType to) {
  if (from == to) return true;
  if (from == DType::kBool) return to != DType::kUndefined;
  switch (from) {
    case DType::kInt8: case DType::kInt16:
      return to == DType::kInt16 || to == DType::kInt32 || to == DType::kInt64 ||
             to == DType::kFloat32 || to == DType::kFloat64;
    case DType::kUint8:
      return to == DType::kInt16 || to == DType::kInt32 || to == DType::kInt64 ||
             to == DType::kUint16 || to == DType::kUint32 || to == DType::kUint64 ||
             to == DType::kFloat32 || to == DType::kFloat64;
    case DType::kInt32: return to == DType::kInt64 || to == DType::kFloat64;
    case DType::kFloat32: return to == DType::kFloat64;
    default: return false;
  }
}

class ChainCollapse final : public NodeRewritePass {
 public:
  std::string_view name() const override { return "chain-collapse"; }
  std::string_view summary() const override {
    return "Reshape(Reshape), Squeeze(Unsqueeze) and lossless Cast(Cast) chains -> one op";
  }

 protected:
  std::optional<Rewrite> rewrite(const GraphQuery& q, const ir::Node& node) override {
    switch (node.op) {
      case OpType::kReshape: return reshape(q, node);
      case OpType::kSqueeze: return squeeze(q, node);
      case OpType::kCast: return cast(q, node);
      default: return std::nullopt;
    }
  }

 private:
  // The outer shape decides alone unless it copies a dim (0) from the inner result.
  static std::optional<Rewrite> reshape(const GraphQuery& q, const ir::Node& node) {
    const ir::Node* inner = q.producer(node.input(0), OpType::kReshape);
    auto shape = q.constant_ints(node.input(1));
    if (inner == nullptr || !shape) return std::nullopt;
    bool copies_dims = node.attr_int("allowzero", 0) == 0 &&
                       std::find(shape->begin(), shape->end(), 0) != shape->end();
    if (copies_dims) return std::nullopt;
    ir::Node collapsed = node;
    collapsed.inputs[0] = inner->input(0);
    return Rewrite{std::move(collapsed),
                   fmt::format("{}: Reshape of {} skipped", node.describe(), inner->describe())};
  }

  // Squeeze(Unsqueeze(x, a), a) is x; the Squeeze becomes an Identity (removed next run).
  static std::optional<Rewrite> squeeze(const GraphQuery& q, const ir::Node& node) {
    const ir::Node* unsq = q.producer(node.input(0), OpType::kUnsqueeze);
    if (unsq == nullptr) return std::nullopt;
    auto a = q.axes(*unsq);
    auto b = q.axes(node);
    if (!a || !b || *a != *b || std::any_of(a->begin(), a->end(), [](int64_t x) { return x < 0; })) {
      return std::nullopt;  // negative axes refer to different ranks before and after
    }
    ir::Node identity = make_node(node.name, OpType::kIdentity, {unsq->input(0)}, node.outputs);
    identity.opset = node.opset;
    return Rewrite{std::move(identity),
                   fmt::format("{}: undoes {}", node.describe(), unsq->describe())};
  }

  static std::optional<Rewrite> cast(const GraphQuery& q, const ir::Node& node) {
    const ir::Node* inner = q.producer(node.input(0), OpType::kCast);
    if (inner == nullptr) return std::nullopt;
    DType source = q.dtype(inner->input(0));
    DType middle = ir::dtype_from_code(inner->attr_int("to", 0));
    if (source == DType::kUndefined || !lossless(source, middle)) return std::nullopt;
    ir::Node collapsed = node;
    collapsed.inputs[0] = inner->input(0);
    return Rewrite{std::move(collapsed), fmt::format("{}: {} -> {} cast skipped", node.describe(),
                                                     dtype_name(source), dtype_name(middle))};
  }
};

}  // namespace

std::unique_ptr<Pass> make_chain_collapse() { return std::make_unique<ChainCollapse>(); }

}  // namespace recinfer::passes
