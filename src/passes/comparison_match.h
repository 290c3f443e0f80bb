// Recognises a comparison producing a bool value, looking through one Not (opset-11 exports write
// `x >= c` as Not(Less(x, c))), so fusions can name it as an ai.recinfer `comparison` attribute.
#pragma once

#include <optional>
#include <string>

#include "passes/graph_query.h"

namespace recinfer::passes {

struct Comparison {
  std::string op;  // "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual"
  ir::ValueId lhs = ir::kNoValue;
  ir::ValueId rhs = ir::kNoValue;
};

// Not(x) is folded into the comparison only when the operands are known to be integers
// (for floats, Not(Less(NaN, c)) is true while GreaterOrEqual(NaN, c) is false).
std::optional<Comparison> match_comparison(const GraphQuery& query, ir::ValueId v);

// The comparison with its operands swapped: a < b  <=>  b > a.
Comparison swapped(const Comparison& c);

// `v` is `ids >= 0` (or Not(ids < 0)) for integer `ids`: returns `ids`.
std::optional<ir::ValueId> match_non_negative_mask(const GraphQuery& query, ir::ValueId v);

}  // namespace recinfer::passes
