// GELU as exporters spell it -> one ai.recinfer Gelu node (docs/ai_recinfer_ops.md):
//   x * 0.5 * (1 + Erf(x / sqrt(2)))                                     approximate = "none"
//   x * 0.5 * (1 + Tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))               approximate = "tanh"
// in any order of the products (torch's nn.GELU export, hand-written 0.5 * x * (...),
// x * (...) / 2), with x / sqrt(2) or x * (1/sqrt(2)) and x^3 as Mul chains or Pow(x, 3).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_gelu_fusion();

}  // namespace recinfer::passes
