#include "passes/comparison_match.h"

namespace recinfer::passes {
namespace {

using ir::OpType;

std::optional<std::string> comparison_name(OpType op) {
  switch (op) {
    case OpType::kEqual: return "Equal";
    case OpType::kGreater: return "Greater";
    case OpType::kLess: return "Less";
    case OpType::kGreaterOrEqual: return "GreaterOrEqual";
    case OpType::kLessOrEqual: return "LessOrEqual";
    default: return std::nullopt;
  }
}

std::optional<std::string> negated(const std::string& op) {
  if (op == "Less") return "GreaterOrEqual";
  if (op == "Greater") return "LessOrEqual";
  if (op == "GreaterOrEqual") return "Less";
  if (op == "LessOrEqual") return "Greater";
  return std::nullopt;  // Not(Equal) has no counterpart in the list
}

bool is_integer(const GraphQuery& query, ir::ValueId v) {
  return dtype_is_integer(query.dtype(v));
}

}  // namespace

std::optional<Comparison> match_comparison(const GraphQuery& query, ir::ValueId v) {
  bool negate = false;
  const ir::Node* node = query.producer(v);
  if (node != nullptr && node->op == OpType::kNot) {
    negate = true;
    node = query.producer(node->input(0));
  }
  if (node == nullptr) return std::nullopt;
  auto name = comparison_name(node->op);
  if (!name) return std::nullopt;
  Comparison c{*name, node->input(0), node->input(1)};
  if (negate) {
    auto flipped = negated(c.op);
    bool integers = is_integer(query, c.lhs) || is_integer(query, c.rhs);
    if (!flipped || !integers) return std::nullopt;
    c.op = *flipped;
  }
  return c;
}

Comparison swapped(const Comparison& c) {
  Comparison s{c.op, c.rhs, c.lhs};
  if (c.op == "Greater") s.op = "Less";
  else if (c.op == "Less") s.op = "Greater";
  else if (c.op == "GreaterOrEqual") s.op = "LessOrEqual";
  else if (c.op == "LessOrEqual") s.op = "GreaterOrEqual";
  return s;
}

std::optional<ir::ValueId> match_non_negative_mask(const GraphQuery& query, ir::ValueId v) {
  auto c = match_comparison(query, v);
  if (!c) return std::nullopt;
  if (query.constant_scalar(c->lhs).has_value()) c = swapped(*c);
  if (c->op != "GreaterOrEqual" || query.constant_scalar(c->rhs) != 0.0) return std::nullopt;
  if (!is_integer(query, c->lhs)) return std::nullopt;
  return c->lhs;
}

}  // namespace recinfer::passes
